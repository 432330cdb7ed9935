import { describe, expect, it } from 'vitest';
import { correlation, pearson, ranks, spearman } from '../../src/stats/correlation.js';
import { seededRandom } from '../../src/stats/random.js';

describe('pearson and spearman', () => {
  it('match NumPy on small examples (corrcoef of values and of ranks)', () => {
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692414834, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681234, 12);
  });

  it('gives tied values the mean of their ranks', () => {
    expect(Array.from(ranks([10, 30, 20, 30, 5]))).toEqual([2, 4.5, 3, 4.5, 1]);
  });

  it('spearman sees any monotonic relation as 1; pearson does not', () => {
    const x = [0.1, 0.5, 1, 2, 3, 5];
    const y = x.map((v) => Math.exp(3 * v));
    expect(spearman(x, y)).toBe(1);
    expect(pearson(x, y)).toBeLessThan(0.9);
  });

  it('is NaN for a constant side', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('correlation with a bootstrap interval', () => {
  it('brackets the estimate, drops non-finite pairs and counts them', () => {
    const random = seededRandom(2);
    const x = Array.from({ length: 200 }, random);
    const y = x.map((v) => v + 0.5 * random());
    y[3] = Number.NaN;
    for (const method of ['pearson', 'spearman'] as const) {
      const r = correlation(x, y, method, { seed: 9, resamples: 300 });
      expect(r.n).toBe(199);
      expect(r.dropped).toBe(1);
      expect(r.estimate).toBeGreaterThan(0.7);
      expect(r.interval!.low).toBeLessThan(r.estimate);
      expect(r.interval!.high).toBeGreaterThan(r.estimate);
      expect(r.interval!.high).toBeLessThan(1);
    }
  });

  it('BAD CALLS: unequal lengths and an unknown method', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/y: expected 2 values to pair with x, got 1/);
    expect(() => correlation([1, 2], [1, 2], 'kendall' as never)).toThrow(
      /method: expected one of pearson, spearman, got "kendall"/,
    );
  });
});
