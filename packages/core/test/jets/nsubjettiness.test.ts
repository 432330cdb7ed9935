import { describe, expect, it } from 'vitest';
import { clusterJet, nSubjettiness } from '../../src/jets/index.js';
import { goldenJets } from './golden.js';

const { jets, golden } = await goldenJets();

describe('nSubjettiness against FastJet-contrib', () => {
  it('matches NormalizedMeasure(1, 0.8) with KT_Axes to 1e-4 relative, N = 1..4', () => {
    for (const [i, jet] of jets.entries()) {
      const tree = clusterJet(jet.constituents, 'kt');
      for (const n of [1, 2, 3, 4]) {
        const ours = nSubjettiness(jet.constituents, n, {}, tree);
        const theirs = golden[i]!.tau_kt_axes[n - 1]!;
        expect(Math.abs(ours - theirs) / theirs).toBeLessThan(1e-4);
      }
    }
  });

  it('is never below the one-pass minimised axes of JetClass (which it approximates)', () => {
    for (const [i, jet] of jets.entries()) {
      for (const n of [1, 2, 3]) {
        const onePass = golden[i]!.tau_onepass_kt_axes[n - 1]!;
        expect(nSubjettiness(jet.constituents, n)).toBeGreaterThanOrEqual(onePass * (1 - 1e-6));
      }
    }
  });

  it('separates prongs: tau2/tau1 is lower for two-prong than for one-prong jets', () => {
    const ratio = (k: number) =>
      nSubjettiness(jets[k]!.constituents, 2) / nSubjettiness(jets[k]!.constituents, 1);
    const qcd = [0, 1, 2].map(ratio);
    const hbb = [3, 4, 5].map(ratio);
    expect(Math.max(...hbb)).toBeLessThan(Math.min(...qcd));
  });

  it('is 0 when the jet has no more constituents than N', () => {
    const c = jets[0]!.constituents;
    const two = { px: c.px.subarray(0, 2), py: c.py.subarray(0, 2), pz: c.pz.subarray(0, 2) };
    expect(nSubjettiness({ ...two, energy: c.energy.subarray(0, 2) }, 2)).toBe(0);
  });

  it('BAD CALL: N, beta or r0 out of range', () => {
    const c = jets[0]!.constituents;
    expect(() => nSubjettiness(c, 0)).toThrow(
      new RangeError('N-subjettiness needs an integer N >= 1, got 0'),
    );
    expect(() => nSubjettiness(c, 2, { beta: 0 })).toThrow(
      new RangeError('beta must be > 0, got 0'),
    );
    expect(() => nSubjettiness(c, 2, { r0: -1 })).toThrow(new RangeError('r0 must be > 0, got -1'));
    expect(() => nSubjettiness(c, 2, {}, clusterJet(c, 'cambridge'))).toThrow(RangeError);
  });
});
