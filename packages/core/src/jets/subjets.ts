import { mass, phi as phiOf, rapidity } from '../kinematics/four-vector.js';
import {
  type ClusterAlgorithm,
  type ClusterTree,
  clusterJet,
  constituentsOf,
  exclusiveNodes,
  type Momenta,
} from './cluster.js';

/** Constituents with their place in the (deta, dphi) plane of the jet image. */
export interface JetConstituents extends Momenta {
  pt: ArrayLike<number>;
  deta: ArrayLike<number>;
  dphi: ArrayLike<number>;
}

/** One exclusive subjet: its E-scheme four-vector and the constituents it holds. */
export interface Subjet {
  px: number;
  py: number;
  pz: number;
  energy: number;
  pt: number;
  rapidity: number;
  /** Azimuth in (-pi, pi]. */
  phi: number;
  mass: number;
  /** Indices into the jet's constituent arrays, ascending. */
  members: number[];
}

/**
 * A prong: a subjet with its pT-weighted centroid in the jet's (deta, dphi) plane, the point
 * that ROIs are drawn around.
 */
export interface Prong extends Subjet {
  centroid: { deta: number; dphi: number };
}

export interface ProngOptions {
  /** Number of prongs, 1 to 3 (default 3). */
  count?: number;
  /** Exclusive kT (default, as for N-subjettiness axes) or Cambridge/Aachen. */
  algorithm?: ClusterAlgorithm;
}

function subjetOf(tree: ClusterTree, node: number): Subjet {
  const v = {
    px: tree.px[node]!,
    py: tree.py[node]!,
    pz: tree.pz[node]!,
    energy: tree.energy[node]!,
  };
  return {
    ...v,
    pt: Math.hypot(v.px, v.py),
    rapidity: rapidity(v),
    phi: phiOf(v),
    mass: mass(v),
    members: constituentsOf(tree, node),
  };
}

/** The `count` exclusive subjets of a clustered jet, hardest first. */
export function exclusiveSubjets(tree: ClusterTree, count: number): Subjet[] {
  return exclusiveNodes(tree, count)
    .map((node) => subjetOf(tree, node))
    .sort((a, b) => b.pt - a.pt);
}

/**
 * The jet's prongs: exclusive subjets with their pT-weighted centroids in (deta, dphi).
 * A jet with fewer constituents than `count` is an error, not fewer prongs.
 */
export function findProngs(jet: JetConstituents, options: ProngOptions = {}): Prong[] {
  const count = options.count ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > 3) {
    throw new RangeError(`prong count must be 1, 2 or 3, got ${count}`);
  }
  const tree = clusterJet(jet, options.algorithm ?? 'kt');
  return exclusiveSubjets(tree, count).map((s) => {
    let w = 0;
    let x = 0;
    let y = 0;
    for (const j of s.members) {
      w += jet.pt[j]!;
      x += jet.pt[j]! * jet.deta[j]!;
      y += jet.pt[j]! * jet.dphi[j]!;
    }
    return { ...s, centroid: { deta: x / w, dphi: y / w } };
  });
}
