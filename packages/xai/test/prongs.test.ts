import { describe, expect, it } from 'vitest';
import { detaDphiDistance, selectProngs, wrapDphi } from '../src/prongs.js';

describe('wrapDphi and detaDphiDistance', () => {
  it('wraps azimuthal differences to [-π, π)', () => {
    expect(wrapDphi(Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(wrapDphi((3 * Math.PI) / 2)).toBeCloseTo(-Math.PI / 2, 12);
    expect(wrapDphi(-0.3)).toBeCloseTo(-0.3, 12);
  });

  it('measures across the ±π seam the short way', () => {
    const d = detaDphiDistance(
      { deta: 0.3, dphi: Math.PI - 0.1 },
      { deta: 0, dphi: -Math.PI + 0.3, pt: 1 },
    );
    expect(d).toBeCloseTo(0.5, 12);
  });
});

describe('selectProngs', () => {
  it('keeps the hardest prongs first', () => {
    const prongs = [
      { deta: 0, dphi: 0, pt: 10 },
      { deta: 1, dphi: 0, pt: 30 },
      { deta: 2, dphi: 0, pt: 20 },
      { deta: 3, dphi: 0, pt: 5 },
    ];
    expect(selectProngs(prongs, 3).map((p) => p.pt)).toEqual([30, 20, 10]);
  });

  it('BAD CALLS: names the prong and field', () => {
    expect(() => selectProngs({} as never, 3)).toThrow(TypeError);
    expect(() => selectProngs([{ deta: 0, dphi: Number.NaN, pt: 1 }], 3)).toThrow(
      /prongs\[0\].dphi: expected a finite number, got NaN/,
    );
    expect(() => selectProngs([{ deta: 0, dphi: 0, pt: -1 }], 3)).toThrow(
      /prongs\[0\].pt: expected pT >= 0, got -1/,
    );
    expect(() => selectProngs([{ deta: '0', dphi: 0, pt: 1 } as never], 3)).toThrow(TypeError);
    expect(() => selectProngs([], 0)).toThrow(/maxProngs: expected a positive integer, got 0/);
  });
});
