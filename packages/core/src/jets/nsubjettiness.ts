import {
  type ClusterTree,
  clusterJet,
  deltaR2,
  exclusiveNodes,
  type Momenta,
  rapPhi,
} from './cluster.js';

export interface NSubjettinessOptions {
  /** Angular exponent of the measure (default 1). */
  beta?: number;
  /** Characteristic radius of the normalisation (default 0.8, the JetClass jet radius). */
  r0?: number;
}

/**
 * N-subjettiness with the exclusive-kT axes ("KT_Axes") and the normalised measure:
 * tau_N = sum_i pT_i min_k dR_ik^beta / (R0^beta sum_i pT_i), dR in (rapidity, phi).
 * JetClass' jet_tau* use one-pass minimised kT axes instead, which move the axes slightly and
 * give tau_N no larger than these. tau_N is 0 when the jet has no more than N constituents.
 *
 * `tree` may be passed to reuse one kT clustering for several N.
 */
export function nSubjettiness(
  jet: Momenta,
  n: number,
  options: NSubjettinessOptions = {},
  tree?: ClusterTree,
): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`N-subjettiness needs an integer N >= 1, got ${n}`);
  }
  const beta = options.beta ?? 1;
  const r0 = options.r0 ?? 0.8;
  if (!(beta > 0)) throw new RangeError(`beta must be > 0, got ${beta}`);
  if (!(r0 > 0)) throw new RangeError(`r0 must be > 0, got ${r0}`);
  const size = jet.px.length;
  if (size <= n) return 0;

  const kt = tree ?? clusterJet(jet, 'kt');
  if (kt.algorithm !== 'kt' || kt.size !== size) {
    throw new RangeError('the tree passed to nSubjettiness must be the kT clustering of the jet');
  }
  const axes = exclusiveNodes(kt, n).map((k) =>
    rapPhi(kt.px[k]!, kt.py[k]!, kt.pz[k]!, kt.energy[k]!),
  );

  let numerator = 0;
  let sumPt = 0;
  for (let i = 0; i < size; i++) {
    const [y, phi] = rapPhi(jet.px[i]!, jet.py[i]!, jet.pz[i]!, jet.energy[i]!);
    let best = Number.POSITIVE_INFINITY;
    for (const [ay, aphi] of axes) best = Math.min(best, deltaR2(y, phi, ay, aphi));
    const pt = Math.hypot(jet.px[i]!, jet.py[i]!);
    numerator += pt * (beta === 1 ? Math.sqrt(best) : best ** (beta / 2));
    sumPt += pt;
  }
  return numerator / (sumPt * r0 ** beta);
}
