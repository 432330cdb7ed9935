import { type ClusterTree, clusterJet, deltaR2, type Momenta, rapPhi } from './cluster.js';

export interface SoftDropOptions {
  /** Angular exponent (default 0: the modified mass-drop tagger). */
  beta?: number;
  /** Symmetry cut on min(pT1, pT2) / (pT1 + pT2) (default 0.1). */
  zcut?: number;
  /** Radius that normalises the angle in the cut (default 0.8). */
  r0?: number;
}

const nodeRapPhi = (t: ClusterTree, k: number) =>
  rapPhi(t.px[k]!, t.py[k]!, t.pz[k]!, t.energy[k]!);

/**
 * The node of the Cambridge/Aachen tree that soft drop keeps: walking down from the whole
 * jet, the first splitting with z > zcut (dR12 / R0)^beta, following the harder branch
 * otherwise. `tree` may be passed to reuse a C/A clustering.
 */
export function softDropNode(jet: Momenta, options: SoftDropOptions = {}, tree?: ClusterTree) {
  const beta = options.beta ?? 0;
  const zcut = options.zcut ?? 0.1;
  const r0 = options.r0 ?? 0.8;
  if (!(beta >= 0)) throw new RangeError(`beta must be >= 0, got ${beta}`);
  if (!(zcut >= 0 && zcut < 0.5)) throw new RangeError(`zcut must be in [0, 0.5), got ${zcut}`);
  if (!(r0 > 0)) throw new RangeError(`r0 must be > 0, got ${r0}`);

  const ca = tree ?? clusterJet(jet, 'cambridge');
  if (ca.algorithm !== 'cambridge') {
    throw new RangeError('soft drop declusters a Cambridge/Aachen tree, got a kt tree');
  }
  let node = 2 * ca.size - 2;
  while (node >= ca.size) {
    const a = ca.left[node]!;
    const b = ca.right[node]!;
    const ptA = Math.hypot(ca.px[a]!, ca.py[a]!);
    const ptB = Math.hypot(ca.px[b]!, ca.py[b]!);
    const z = Math.min(ptA, ptB) / (ptA + ptB);
    let cut = zcut;
    if (beta !== 0) {
      const [ya, pa] = nodeRapPhi(ca, a);
      const [yb, pb] = nodeRapPhi(ca, b);
      cut = zcut * (Math.sqrt(deltaR2(ya, pa, yb, pb)) / r0) ** beta;
    }
    if (z > cut) break;
    node = ptA >= ptB ? a : b;
  }
  return { tree: ca, node };
}

/** Soft-drop mass (GeV), by default with beta = 0, zcut = 0.1, R0 = 0.8 as in JetClass. */
export function softDropMass(jet: Momenta, options: SoftDropOptions = {}, tree?: ClusterTree) {
  const { tree: ca, node } = softDropNode(jet, options, tree);
  const e = ca.energy[node]!;
  const m2 = e * e - ca.px[node]! ** 2 - ca.py[node]! ** 2 - ca.pz[node]! ** 2;
  return m2 > 0 ? Math.sqrt(m2) : 0;
}
