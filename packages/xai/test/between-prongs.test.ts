import { describe, expect, it } from 'vitest';
import { assignPatchesToProngs, BACKGROUND, betweenProngs } from '../src/between-prongs.js';
import { attentionFromRows, linearTransform } from './fixtures.js';

// 2 x 2 patches over a 32 x 32 image spanning ±0.8: patch centres at (Δη, Δφ) = (∓0.4, ±0.4).
const transform = linearTransform(32, 0.8);
const grid = { rows: 2, cols: 2 };
const prongs = [
  { deta: 0.4, dphi: 0.4, pt: 50 },
  { deta: -0.4, dphi: 0.4, pt: 100 },
];
const options = { radius: 0.1, maxProngs: 3 };

// Head 0 attends to itself; head 1 spreads patch attention over the other prong, background
// and CLS. Hardest prong first: patch 0 (top left) is prong 0, patch 1 (top right) prong 1.
const identity = [0, 1, 2, 3, 4].map((q) => [0, 1, 2, 3, 4].map((k) => (q === k ? 1 : 0)));
const spread = [
  [1, 0, 0, 0, 0],
  [0.1, 0, 0.5, 0.4, 0],
  [0.3, 0.2, 0.5, 0, 0],
  [0.2, 0.2, 0.2, 0.2, 0.2],
  [0.2, 0.2, 0.2, 0.2, 0.2],
];
const attention = attentionFromRows([[identity, spread]]);

describe('assignPatchesToProngs', () => {
  it('assigns patch centres inside a disk to its prong, the rest to background', () => {
    const sorted = [prongs[1]!, prongs[0]!];
    expect(Array.from(assignPatchesToProngs(grid, transform, sorted, 0.1))).toEqual([
      0,
      1,
      BACKGROUND,
      BACKGROUND,
    ]);
  });

  it('BAD CALL: more prongs than the assignment can index', () => {
    const many = Array.from({ length: 128 }, () => ({ deta: 0, dphi: 0, pt: 1 }));
    expect(() => assignPatchesToProngs(grid, transform, many, 0.1)).toThrow(
      /prongs: expected at most 127 prongs, got 128/,
    );
  });

  it('gives a patch in two disks to the nearer prong', () => {
    const near = [
      { deta: -0.3, dphi: 0.4, pt: 1 },
      { deta: -0.45, dphi: 0.4, pt: 1 },
    ];
    expect(assignPatchesToProngs(grid, transform, near, 0.2)[0]).toBe(1);
  });
});

describe('betweenProngs', () => {
  it('splits the attention of prong patches per layer and head', () => {
    const result = betweenProngs(attention, grid, transform, prongs, options);
    expect(result.queryPatches).toBe(2);
    expect(result.prongs[0]!.pt).toBe(100);
    expect(result.perHead![0]![0]).toEqual({ sameProng: 1, otherProng: 0, background: 0, cls: 0 });
    const head1 = result.perHead![0]![1]!;
    expect(head1.sameProng).toBeCloseTo(0.25, 6);
    expect(head1.otherProng).toBeCloseTo(0.35, 6);
    expect(head1.background).toBeCloseTo(0.2, 6);
    expect(head1.cls).toBeCloseTo(0.2, 6);
    expect(result.perLayer![0]!.sameProng).toBeCloseTo(0.625, 6);
    expect(result.overall!.otherProng).toBeCloseTo(0.175, 6);
  });

  it('reports no flows when no patch centre lies in a prong', () => {
    const far = [{ deta: 0, dphi: 0, pt: 1 }];
    const result = betweenProngs(attention, grid, transform, far, options);
    expect(result.queryPatches).toBe(0);
    expect(result.perHead).toBeNull();
    expect(result.overall).toBeNull();
  });

  it('BAD CALLS: rejects a sample out of range and a grid that does not fit', () => {
    expect(() => betweenProngs(attention, grid, transform, prongs, options, 1)).toThrow(
      /sample: expected an index in \[0, 0\], got 1/,
    );
    expect(() =>
      betweenProngs(attention, { rows: 1, cols: 2 }, transform, prongs, options),
    ).toThrow(/grid: expected rows \* cols = 4/);
    expect(() =>
      betweenProngs(attention, grid, transform, prongs, { radius: -1, maxProngs: 3 }),
    ).toThrow(/radius: expected a number/);
  });
});
