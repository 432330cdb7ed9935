import { describe, expect, it } from 'vitest';
import { clusterJet, softDropMass } from '../../src/jets/index.js';
import { goldenJets } from './golden.js';

const { jets, golden } = await goldenJets();

describe('softDropMass against FastJet-contrib SoftDrop(0, 0.1, 0.8)', () => {
  it('matches to 1e-4 relative on every jet', () => {
    for (const [i, jet] of jets.entries()) {
      const ours = softDropMass(jet.constituents);
      const theirs = golden[i]!.sdmass;
      expect(Math.abs(ours - theirs) / theirs).toBeLessThan(1e-4);
    }
  });

  it("agrees with the file's jet_sdmass, written by the same FastJet configuration", () => {
    for (const jet of jets) {
      expect(softDropMass(jet.constituents)).toBeCloseTo(jet.features.sdmass, 2);
    }
  });

  it('grooms nothing with zcut = 0: the mass of the whole jet', () => {
    const c = jets[4]!.constituents;
    let [x, y, z, e] = [0, 0, 0, 0];
    for (let j = 0; j < c.px.length; j++) {
      x += c.px[j]!;
      y += c.py[j]!;
      z += c.pz[j]!;
      e += c.energy[j]!;
    }
    expect(softDropMass(c, { zcut: 0 })).toBeCloseTo(Math.sqrt(e * e - x * x - y * y - z * z), 6);
  });

  it('BAD CALL: options out of range, or a kT tree', () => {
    const c = jets[0]!.constituents;
    expect(() => softDropMass(c, { zcut: 0.5 })).toThrow(
      new RangeError('zcut must be in [0, 0.5), got 0.5'),
    );
    expect(() => softDropMass(c, { beta: -1 })).toThrow(
      new RangeError('beta must be >= 0, got -1'),
    );
    expect(() => softDropMass(c, {}, clusterJet(c, 'kt'))).toThrow(
      new RangeError('soft drop declusters a Cambridge/Aachen tree, got a kt tree'),
    );
  });
});
