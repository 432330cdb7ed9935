import { describe, expect, it } from 'vitest';
import { clusterJet, exclusiveSubjets, findProngs } from '../../src/jets/index.js';
import { goldenJets } from './golden.js';

const { jets, golden } = await goldenJets();

describe('exclusiveSubjets against FastJet', () => {
  for (const algorithm of ['kt', 'cambridge'] as const) {
    it(`matches FastJet's exclusive ${algorithm} subjets (axes to 1e-4, same members)`, () => {
      expect(jets).toHaveLength(golden.length);
      for (const [i, jet] of jets.entries()) {
        const tree = clusterJet(jet.constituents, algorithm);
        for (const n of [1, 2, 3]) {
          const ours = exclusiveSubjets(tree, n);
          const theirs = golden[i]!.subjets[algorithm][String(n)]!;
          expect(ours).toHaveLength(n);
          for (const [k, s] of ours.entries()) {
            const t = theirs[k]!;
            expect(Math.abs(s.rapidity - t.rapidity)).toBeLessThan(1e-4);
            expect(Math.abs(s.phi - t.phi)).toBeLessThan(1e-4);
            expect(Math.abs(s.pt - t.pt) / t.pt).toBeLessThan(1e-6);
            expect(s.members).toEqual(t.members);
          }
        }
      }
    });
  }
});

describe('findProngs', () => {
  it('places the pT-weighted centroid of each subjet in (deta, dphi)', () => {
    for (const jet of jets) {
      const prongs = findProngs(jet.constituents, { count: 3 });
      const c = jet.constituents;
      for (const p of prongs) {
        let w = 0;
        let x = 0;
        for (const j of p.members) {
          w += c.pt[j]!;
          x += c.pt[j]! * c.deta[j]!;
        }
        expect(p.centroid.deta).toBeCloseTo(x / w, 10);
        // the centroid lies inside the jet cone
        expect(Math.hypot(p.centroid.deta, p.centroid.dphi)).toBeLessThan(0.8);
      }
      // every constituent belongs to exactly one prong
      const members = prongs.flatMap((p) => p.members).sort((a, b) => a - b);
      expect(members).toEqual(Array.from({ length: c.pt.length }, (_, j) => j));
    }
  });

  it('finds the generated prong axes of two- and three-prong jets', () => {
    // golden-jets.root holds 3 QCD, 3 Hbb (two prongs) and 3 Tbqq (three prongs) jets
    for (const jet of jets.slice(3)) {
      const n = jet.label === 'Hbb' ? 2 : 3;
      const prongs = findProngs(jet.constituents, { count: n });
      const pt = prongs.reduce((s, p) => s + p.pt, 0);
      expect(pt / jet.features.pt).toBeGreaterThan(0.99);
      // distinct prongs, well separated in the plane
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          const d = Math.hypot(
            prongs[a]!.centroid.deta - prongs[b]!.centroid.deta,
            prongs[a]!.centroid.dphi - prongs[b]!.centroid.dphi,
          );
          expect(d).toBeGreaterThan(0.05);
        }
      }
    }
  });

  it('BAD CALL: a prong count outside 1..3', () => {
    expect(() => findProngs(jets[0]!.constituents, { count: 4 })).toThrow(
      new RangeError('prong count must be 1, 2 or 3, got 4'),
    );
  });

  it('BAD CALL: more prongs than constituents', () => {
    const c = jets[0]!.constituents;
    const two = {
      px: c.px.subarray(0, 2),
      py: c.py.subarray(0, 2),
      pz: c.pz.subarray(0, 2),
      energy: c.energy.subarray(0, 2),
      pt: c.pt.subarray(0, 2),
      deta: c.deta.subarray(0, 2),
      dphi: c.dphi.subarray(0, 2),
    };
    expect(() => findProngs(two, { count: 3 })).toThrow(
      new RangeError('cannot split a jet of 2 constituents into 3 subjets'),
    );
  });

  it('BAD CALL: an unknown algorithm', () => {
    expect(() =>
      findProngs(jets[0]!.constituents, { algorithm: 'antikt' as unknown as 'kt' }),
    ).toThrow(new RangeError('algorithm must be one of kt, cambridge, got antikt'));
  });
});
