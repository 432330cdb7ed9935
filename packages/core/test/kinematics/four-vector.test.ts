import { describe, expect, it } from 'vitest';
import {
  add,
  eta,
  fromPtEtaPhiMass,
  mass,
  phi,
  pt,
  rapidity,
  sumFourVectors,
} from '../../src/kinematics/index.js';

describe('four-vectors', () => {
  it('round-trips (pt, eta, phi, m)', () => {
    const v = fromPtEtaPhiMass(120, -1.3, 2.9, 4.7);
    expect(pt(v)).toBeCloseTo(120, 10);
    expect(eta(v)).toBeCloseTo(-1.3, 12);
    expect(phi(v)).toBeCloseTo(2.9, 12);
    expect(mass(v)).toBeCloseTo(4.7, 8);
    // a massive particle's rapidity is closer to zero than its pseudorapidity
    expect(Math.abs(rapidity(v))).toBeLessThan(1.3);
  });

  it('adds to the invariant mass of a two-body decay', () => {
    const a = fromPtEtaPhiMass(50, 0, 0, 0);
    const b = fromPtEtaPhiMass(50, 0, Math.PI / 2, 0);
    // m^2 = 2 pt1 pt2 (1 - cos dphi) for massless particles at the same eta
    expect(mass(add(a, b))).toBeCloseTo(Math.sqrt(2 * 50 * 50), 10);
    const s = sumFourVectors([a.px, b.px], [a.py, b.py], [a.pz, b.pz], [a.energy, b.energy]);
    expect(s).toEqual(add(a, b));
  });
});
