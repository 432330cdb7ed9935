import { checkObject, checkPositiveInteger, checkRange } from '../checks.js';
import { randomIndex, seededRandom } from './random.js';

export interface BootstrapOptions {
  /** Resamples; 1000 unless told. */
  readonly resamples?: number;
  /** Seed of the resampling; results are reproducible for a given seed. */
  readonly seed?: number;
  /** Coverage of the percentile interval; 0.95 unless told. */
  readonly level?: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

export interface Estimate {
  readonly estimate: number;
  /** Percentile bootstrap interval; null with fewer than two observations. */
  readonly interval: Interval | null;
  /** Resamples whose statistic was defined (a correlation of a constant resample is not). */
  readonly resamples: number;
}

export function resolveBootstrap(options: BootstrapOptions | undefined) {
  const given = options ?? {};
  checkObject('bootstrap', given);
  const resamples = given.resamples ?? 1000;
  checkPositiveInteger('bootstrap.resamples', resamples);
  const seed = given.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new TypeError(`bootstrap.seed: expected an integer, got ${seed}`);
  const level = given.level ?? 0.95;
  checkRange('bootstrap.level', level, 0, 1, false);
  return { resamples, seed, level };
}

/** Linear interpolation between order statistics (the default of NumPy and R, type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  const weight = position - low;
  return sorted[low]! * (1 - weight) + sorted[high]! * weight;
}

/**
 * `statistic` on the data and a percentile interval from resampling the `n` observations with
 * replacement. The statistic sees the indices of one resample; NaN results are left out.
 */
export function bootstrap(
  n: number,
  statistic: (indices: Int32Array) => number,
  options?: BootstrapOptions,
): Estimate {
  const { resamples, seed, level } = resolveBootstrap(options);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(all);
  if (n < 2) return { estimate, interval: null, resamples: 0 };

  const random = seededRandom(seed);
  const indices = new Int32Array(n);
  const replicates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = randomIndex(random, n);
    const value = statistic(indices);
    if (!Number.isNaN(value)) replicates.push(value);
  }
  if (replicates.length === 0) return { estimate, interval: null, resamples: 0 };

  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - level) / 2;
  return {
    estimate,
    interval: { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), level },
    resamples: replicates.length,
  };
}

export function meanOf(values: ArrayLike<number>, indices: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < indices.length; i++) sum += values[indices[i]!]!;
  return sum / indices.length;
}

/** The mean of `values` with its bootstrap interval. */
export function bootstrapMean(values: ArrayLike<number>, options?: BootstrapOptions): Estimate {
  if (values.length === 0) throw new RangeError('values: expected at least one value, got none');
  return bootstrap(values.length, (indices) => meanOf(values, indices), options);
}
