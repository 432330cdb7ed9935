import { describe, expect, it } from 'vitest';
import { deltaEtaJetClass, deltaPhi, wrapPhi } from '../../src/kinematics/index.js';

describe('wrapPhi', () => {
  it('maps into [-pi, pi)', () => {
    expect(wrapPhi(Math.PI)).toBeCloseTo(-Math.PI, 15);
    expect(wrapPhi(-Math.PI)).toBe(-Math.PI);
    expect(wrapPhi(3 * Math.PI + 0.5)).toBeCloseTo(-Math.PI + 0.5, 12);
    expect(wrapPhi(-7.5)).toBeCloseTo(-7.5 + 2 * Math.PI, 12);
    expect(wrapPhi(0.25)).toBe(0.25);
    for (let a = -20; a < 20; a += 0.37) {
      const w = wrapPhi(a);
      expect(w).toBeGreaterThanOrEqual(-Math.PI);
      expect(w).toBeLessThan(Math.PI);
      expect(Math.cos(w)).toBeCloseTo(Math.cos(a), 12);
    }
  });

  it('gives the short way round in deltaPhi', () => {
    expect(deltaPhi(3.1, -3.1)).toBeCloseTo(6.2 - 2 * Math.PI, 12);
    expect(deltaPhi(-3.1, 3.1)).toBeCloseTo(2 * Math.PI - 6.2, 12);
  });
});

describe('deltaEtaJetClass', () => {
  it('flips the sign for jets at negative eta', () => {
    expect(deltaEtaJetClass(1.2, 1.0)).toBeCloseTo(0.2, 12);
    expect(deltaEtaJetClass(-1.2, -1.0)).toBeCloseTo(0.2, 12);
  });
});
