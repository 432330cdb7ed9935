/**
 * Sequential recombination of a jet's constituents (exclusive kT and Cambridge/Aachen), as
 * FastJet does with a radius large enough that no constituent ever merges with the beam (the
 * exclusive-subjet setting): the pair with the smallest d_ij = min(w_i, w_j) dR_ij^2 merges,
 * with w = pT^2 for kT and w = 1 for C/A, dR in (rapidity, phi), E-scheme recombination.
 *
 * The pair search keeps each object's geometric nearest neighbour (FastJet's "N2Plain"
 * strategy): the smallest d_ij is always between an object and its nearest neighbour, so each
 * merge costs O(n) and the whole history O(n^2).
 */

/** The four-momenta of a jet's constituents as parallel arrays. */
export interface Momenta {
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  pz: ArrayLike<number>;
  energy: ArrayLike<number>;
}

export type ClusterAlgorithm = 'kt' | 'cambridge';

export const CLUSTER_ALGORITHMS: readonly ClusterAlgorithm[] = ['kt', 'cambridge'];

/**
 * The merge tree. Nodes 0..n-1 are the constituents; node n + s is made by merge s of
 * `left[n + s]` and `right[n + s]`. The last node is the whole jet.
 */
export interface ClusterTree {
  algorithm: ClusterAlgorithm;
  size: number;
  px: Float64Array;
  py: Float64Array;
  pz: Float64Array;
  energy: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

const TWO_PI = 2 * Math.PI;

/** Rapidity and phi in [0, 2pi), as FastJet stores them. */
export function rapPhi(px: number, py: number, pz: number, e: number): [number, number] {
  const pt2 = px * px + py * py;
  let phi = pt2 === 0 ? 0 : Math.atan2(py, px);
  if (phi < 0) phi += TWO_PI;
  if (phi >= TWO_PI) phi -= TWO_PI;
  // the massless limit along the beam gets a large finite rapidity, as in FastJet
  const rap =
    e === Math.abs(pz) && pt2 === 0
      ? Math.sign(pz) * 1e5
      : 0.5 * Math.log((e + pz) / Math.max(e - pz, Number.MIN_VALUE));
  return [rap, phi];
}

/** dR^2 in (rapidity, phi) for phi in [0, 2pi). */
export function deltaR2(rapA: number, phiA: number, rapB: number, phiB: number): number {
  const dy = rapA - rapB;
  let dphi = Math.abs(phiA - phiB);
  if (dphi > Math.PI) dphi = TWO_PI - dphi;
  return dy * dy + dphi * dphi;
}

export function checkAlgorithm(algorithm: unknown): asserts algorithm is ClusterAlgorithm {
  if (!CLUSTER_ALGORITHMS.includes(algorithm as ClusterAlgorithm)) {
    throw new RangeError(
      `algorithm must be one of ${CLUSTER_ALGORITHMS.join(', ')}, got ${String(algorithm)}`,
    );
  }
}

/** Clusters all constituents into one jet and returns the merge tree. */
export function clusterJet(p: Momenta, algorithm: ClusterAlgorithm = 'kt'): ClusterTree {
  checkAlgorithm(algorithm);
  const n = p.px.length;
  if (n === 0) throw new RangeError('cannot cluster a jet without constituents');
  const nodes = 2 * n - 1;
  const tree: ClusterTree = {
    algorithm,
    size: n,
    px: new Float64Array(nodes),
    py: new Float64Array(nodes),
    pz: new Float64Array(nodes),
    energy: new Float64Array(nodes),
    left: new Int32Array(nodes).fill(-1),
    right: new Int32Array(nodes).fill(-1),
  };

  const rap = new Float64Array(nodes);
  const phi = new Float64Array(nodes);
  const weight = new Float64Array(nodes);
  const setNode = (k: number, x: number, y: number, z: number, e: number) => {
    tree.px[k] = x;
    tree.py[k] = y;
    tree.pz[k] = z;
    tree.energy[k] = e;
    [rap[k], phi[k]] = rapPhi(x, y, z, e);
    weight[k] = algorithm === 'kt' ? x * x + y * y : 1;
  };
  for (let i = 0; i < n; i++) setNode(i, p.px[i]!, p.py[i]!, p.pz[i]!, p.energy[i]!);

  const dist = (a: number, b: number) => deltaR2(rap[a]!, phi[a]!, rap[b]!, phi[b]!);

  // active objects, each with its nearest neighbour among the active ones
  const active: number[] = Array.from({ length: n }, (_, i) => i);
  const nn = new Int32Array(nodes).fill(-1);
  const nnDist = new Float64Array(nodes).fill(Number.POSITIVE_INFINITY);
  const findNeighbour = (a: number) => {
    nn[a] = -1;
    nnDist[a] = Number.POSITIVE_INFINITY;
    for (const b of active) {
      if (b === a) continue;
      const d = dist(a, b);
      if (d < nnDist[a]!) {
        nnDist[a] = d;
        nn[a] = b;
      }
    }
  };
  for (const a of active) findNeighbour(a);

  for (let step = 0; step < n - 1; step++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (const a of active) {
      const d = Math.min(weight[a]!, weight[nn[a]!]!) * nnDist[a]!;
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    const a = best;
    const b = nn[a]!;
    const k = n + step;
    setNode(
      k,
      tree.px[a]! + tree.px[b]!,
      tree.py[a]! + tree.py[b]!,
      tree.pz[a]! + tree.pz[b]!,
      tree.energy[a]! + tree.energy[b]!,
    );
    tree.left[k] = a;
    tree.right[k] = b;

    active.splice(active.indexOf(a), 1);
    active.splice(active.indexOf(b), 1);
    active.push(k);
    findNeighbour(k);
    for (const m of active) {
      if (m === k) continue;
      if (nn[m] === a || nn[m] === b) findNeighbour(m);
      else {
        const d = dist(m, k);
        if (d < nnDist[m]!) {
          nnDist[m] = d;
          nn[m] = k;
        }
      }
    }
  }
  return tree;
}

/** The nodes alive when `count` objects remain (count = 1 .. size), in creation order. */
export function exclusiveNodes(tree: ClusterTree, count: number): number[] {
  const n = tree.size;
  if (!Number.isInteger(count) || count < 1 || count > n) {
    throw new RangeError(`cannot split a jet of ${n} constituents into ${count} subjets`);
  }
  // after n - count merges, the alive nodes are those not yet consumed by a later merge
  const last = 2 * n - 1 - count;
  const consumed = new Uint8Array(last + 1);
  for (let k = n; k <= last; k++) {
    consumed[tree.left[k]!] = 1;
    consumed[tree.right[k]!] = 1;
  }
  const out: number[] = [];
  for (let k = 0; k <= last; k++) if (!consumed[k]) out.push(k);
  return out;
}

/** The constituent indices below a node. */
export function constituentsOf(tree: ClusterTree, node: number): number[] {
  const out: number[] = [];
  const stack = [node];
  while (stack.length) {
    const k = stack.pop()!;
    if (k < tree.size) out.push(k);
    else stack.push(tree.left[k]!, tree.right[k]!);
  }
  return out.sort((a, b) => a - b);
}
