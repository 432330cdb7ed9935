import { describe, expect, test } from 'vitest';
import { bootstrap } from '../../src/metrics/bootstrap.js';
import { Prng } from '../../src/train/prng.js';

describe('bootstrap', () => {
  const rng = new Prng(11);
  const values = Array.from({ length: 400 }, () => rng.normal());
  const mean = (idx: Int32Array) => idx.reduce((s, i) => s + values[i]!, 0) / idx.length;

  test('the spread of a mean is sigma / sqrt(n)', () => {
    const estimate = bootstrap(values.length, mean, { resamples: 400, seed: 1 });
    expect(estimate.value).toBeCloseTo(mean(Int32Array.from(values.keys())), 12);
    expect(estimate.std).toBeGreaterThan(0.8 / Math.sqrt(400));
    expect(estimate.std).toBeLessThan(1.2 / Math.sqrt(400));
    expect(estimate.interval[0]).toBeLessThan(estimate.value);
    expect(estimate.interval[1]).toBeGreaterThan(estimate.value);
  });

  test('is reproducible from its seed', () => {
    const a = bootstrap(values.length, mean, { resamples: 50, seed: 7 });
    const b = bootstrap(values.length, mean, { resamples: 50, seed: 7 });
    const c = bootstrap(values.length, mean, { resamples: 50, seed: 8 });
    expect(b).toEqual(a);
    expect(c.std).not.toBe(a.std);
  });

  test('skips resamples where the statistic is undefined', () => {
    let calls = 0;
    const estimate = bootstrap(
      10,
      (idx) => {
        calls++;
        if (calls % 2 === 0) throw new RangeError('one class missing');
        return idx[0]!;
      },
      { resamples: 20 },
    );
    expect(Number.isFinite(estimate.std)).toBe(true);
  });

  test('BAD CALLs', () => {
    expect(() => bootstrap(0, mean)).toThrow(/n: expected a positive integer, got 0/);
    expect(() => bootstrap(3, mean, { resamples: 1 })).toThrow(
      /resamples: expected an integer >= 2, got 1/,
    );
  });
});
