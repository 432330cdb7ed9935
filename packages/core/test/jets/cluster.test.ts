import { describe, expect, it } from 'vitest';
import { clusterJet, constituentsOf, exclusiveNodes } from '../../src/jets/index.js';
import { goldenJets } from './golden.js';

const { jets } = await goldenJets();

describe('clusterJet', () => {
  it('builds a full binary merge tree whose root is the whole jet', () => {
    const c = jets[7]!.constituents;
    const n = c.px.length;
    const tree = clusterJet(c, 'cambridge');
    expect(tree.size).toBe(n);
    const root = 2 * n - 2;
    expect(constituentsOf(tree, root)).toEqual(Array.from({ length: n }, (_, j) => j));
    let e = 0;
    for (const v of c.energy) e += v;
    expect(tree.energy[root]).toBeCloseTo(e, 3);
    // every node but the root is merged exactly once
    const used = new Uint8Array(root + 1);
    for (let k = n; k <= root; k++) {
      used[tree.left[k]!]! += 1;
      used[tree.right[k]!]! += 1;
    }
    expect([...used.subarray(0, root)].every((u) => u === 1)).toBe(true);
  });

  it('merges the softest, closest pairs first with kT and the closest with C/A', () => {
    const c = jets[1]!.constituents;
    const kt = clusterJet(c, 'kt');
    const first = [kt.left[c.px.length]!, kt.right[c.px.length]!];
    // the first kT merge involves one of the softest constituents (sorted by falling pT)
    expect(Math.max(...first)).toBeGreaterThan(c.px.length / 2);
  });

  it('scales as O(n^2): 600 constituents cluster in well under a second', () => {
    const n = 600;
    const p = { px: new Float64Array(n), py: new Float64Array(n), pz: new Float64Array(n) };
    const energy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const phi = 0.001 * ((i * 7919) % 1000);
      const eta = 0.001 * ((i * 104729) % 1000);
      const pt = 1 + (i % 13);
      p.px[i] = pt * Math.cos(phi);
      p.py[i] = pt * Math.sin(phi);
      p.pz[i] = pt * Math.sinh(eta);
      energy[i] = pt * Math.cosh(eta);
    }
    const start = performance.now();
    const tree = clusterJet({ ...p, energy }, 'kt');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(exclusiveNodes(tree, 3)).toHaveLength(3);
  });

  it('BAD CALL: a jet without constituents', () => {
    const empty = new Float32Array(0);
    expect(() => clusterJet({ px: empty, py: empty, pz: empty, energy: empty })).toThrow(
      new RangeError('cannot cluster a jet without constituents'),
    );
  });
});
