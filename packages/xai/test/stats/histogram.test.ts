import { describe, expect, it } from 'vitest';
import { histogram } from '../../src/stats/histogram.js';

describe('histogram', () => {
  it('counts into fixed bins, the maximum in the last bin, outliers apart', () => {
    const h = histogram([0, 0.1, 0.25, 0.5, 0.99, 1, -0.1, 1.2], { bins: 4, min: 0, max: 1 });
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.counts).toEqual([2, 1, 1, 2]);
    expect(h.underflow).toBe(1);
    expect(h.overflow).toBe(1);
  });

  it('BAD CALLS: rejects an empty range and a bad bin count', () => {
    expect(() => histogram([1], { bins: 4, min: 1, max: 1 })).toThrow(
      /histogram.max: expected a value above min = 1, got 1/,
    );
    expect(() => histogram([1], { bins: 0, min: 0, max: 1 })).toThrow(/histogram.bins/);
    expect(() => histogram([1], { bins: 2, min: Number.NaN, max: 1 })).toThrow(/histogram.min/);
  });
});
