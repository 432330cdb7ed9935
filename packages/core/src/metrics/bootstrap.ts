import { Prng } from '../train/prng.js';

/** A statistic with its bootstrap uncertainty. */
export interface Estimate {
  /** The statistic on the events as given. */
  readonly value: number;
  /** Standard deviation over the bootstrap resamples. */
  readonly std: number;
  /** Central 68% interval of the resamples (16th and 84th percentiles). */
  readonly interval: readonly [number, number];
  readonly resamples: number;
  readonly seed: number;
}

export interface BootstrapOptions {
  /** Number of resamples (default 200). */
  readonly resamples?: number;
  /** Seed of the resampling (default 0), so that an uncertainty can be reproduced. */
  readonly seed?: number;
}

function percentile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Bootstrap of `statistic` over `n` events: resamples event indices with replacement, seeded.
 * Resamples on which the statistic is not finite (e.g. a ROC with one class missing, or an
 * infinite rejection) are left out of the spread.
 */
export function bootstrap(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): Estimate {
  const resamples = options.resamples ?? 200;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(n) || n <= 0)
    throw new RangeError(`n: expected a positive integer, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError(`resamples: expected an integer >= 2, got ${resamples}`);
  }
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const value = statistic(identity);

  const rng = new Prng(seed);
  const values: number[] = [];
  const indices = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    let v: number;
    try {
      v = statistic(indices);
    } catch (error) {
      if (error instanceof RangeError) continue;
      throw error;
    }
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  const interval: [number, number] =
    values.length > 0
      ? [percentile(values, 0.16), percentile(values, 0.84)]
      : [Number.NaN, Number.NaN];
  return {
    value,
    std: values.length > 1 ? Math.sqrt(variance) : Number.NaN,
    interval,
    resamples,
    seed,
  };
}
