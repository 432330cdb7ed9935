import { describe, expect, it } from 'vitest';
import { bootstrap, bootstrapMean, quantile } from '../../src/stats/bootstrap.js';
import { seededRandom } from '../../src/stats/random.js';

describe('quantile', () => {
  it('interpolates between order statistics like NumPy', () => {
    const sorted = [1, 2, 3, 4, 10];
    expect(quantile(sorted, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile(sorted, 0.5)).toBe(3);
    expect(quantile(sorted, 0.9)).toBeCloseTo(7.6, 12);
  });
});

describe('bootstrapMean', () => {
  it('covers the true mean about as often as its level says', () => {
    // 200 experiments of 40 draws from U(0, 1): a 90% interval should hold 0.5 in ~180.
    const random = seededRandom(11);
    let covered = 0;
    for (let experiment = 0; experiment < 200; experiment++) {
      const values = Array.from({ length: 40 }, random);
      const { interval } = bootstrapMean(values, { seed: experiment, resamples: 400, level: 0.9 });
      if (interval!.low <= 0.5 && 0.5 <= interval!.high) covered++;
    }
    expect(covered).toBeGreaterThan(160);
    expect(covered).toBeLessThan(196);
  });

  it('gives the sample mean as estimate, an interval around it, reproducible by seed', () => {
    const values = [0.1, 0.4, 0.35, 0.8, 0.2, 0.55];
    const a = bootstrapMean(values, { seed: 3 });
    expect(a.estimate).toBeCloseTo(0.4, 12);
    expect(a.interval!.low).toBeLessThan(0.4);
    expect(a.interval!.high).toBeGreaterThan(0.4);
    expect(a.resamples).toBe(1000);
    expect(bootstrapMean(values, { seed: 3 })).toEqual(a);
    expect(bootstrapMean(values, { seed: 4 }).interval).not.toEqual(a.interval);
  });

  it('has no interval for a single value and leaves out undefined resamples', () => {
    expect(bootstrapMean([0.3]).interval).toBeNull();
    const result = bootstrap(3, (indices) => (indices[0] === 0 ? Number.NaN : indices.length), {
      resamples: 300,
    });
    expect(result.resamples).toBeLessThan(300);
    expect(result.resamples).toBeGreaterThan(150);
  });

  it('BAD CALLS: names the option', () => {
    expect(() => bootstrapMean([])).toThrow(/values: expected at least one value/);
    expect(() => bootstrapMean([1, 2], { resamples: 0 })).toThrow(/bootstrap.resamples/);
    expect(() => bootstrapMean([1, 2], { level: 1 })).toThrow(
      /bootstrap.level: expected a number in \[0, 1\)/,
    );
    expect(() => bootstrapMean([1, 2], { seed: 0.5 })).toThrow(/bootstrap.seed/);
  });
});
