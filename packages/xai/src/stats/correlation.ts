import { checkOneOf } from '../checks.js';
import { type BootstrapOptions, bootstrap, type Estimate } from './bootstrap.js';

export type CorrelationMethod = 'pearson' | 'spearman';
export const CORRELATION_METHODS: readonly CorrelationMethod[] = ['pearson', 'spearman'];

function checkPaired(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new RangeError(`y: expected ${x.length} values to pair with x, got ${y.length}`);
  }
}

/** Pearson's r over the observations at `indices`; NaN when either side is constant. */
export function pearsonAt(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  indices: ArrayLike<number>,
): number {
  const n = indices.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[indices[i]!]!;
    my += y[indices[i]!]!;
  }
  mx /= n;
  my /= n;

  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[indices[i]!]! - mx;
    const dy = y[indices[i]!]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks from 1, ties given the mean of the ranks they span. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => values[a]! - values[b]!,
  );
  const out = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) out[order[i]!] = rank;
    start = end + 1;
  }
  return out;
}

const everyIndex = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  return pearsonAt(x, y, everyIndex(x.length));
}

/** Spearman's rho: Pearson's r of the ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  return pearsonAt(ranks(x), ranks(y), everyIndex(x.length));
}

/**
 * A correlation with its bootstrap interval. Pairs with a non-finite side are left out (tau32
 * is undefined for jets with fewer than three constituents, say); `n` counts the pairs used.
 */
export function correlation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  method: CorrelationMethod,
  options?: BootstrapOptions,
): Estimate & { readonly method: CorrelationMethod; readonly n: number; readonly dropped: number } {
  checkPaired(x, y);
  checkOneOf('method', method, CORRELATION_METHODS);

  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) {
      xs.push(x[i]!);
      ys.push(y[i]!);
    }
  }

  // Spearman resamples re-rank each resample, as ranks depend on which observations are in it.
  const statistic =
    method === 'pearson'
      ? (indices: Int32Array) => pearsonAt(xs, ys, indices)
      : (indices: Int32Array) => {
          const rx = ranks(Array.from(indices, (i) => xs[i]!));
          const ry = ranks(Array.from(indices, (i) => ys[i]!));
          return pearsonAt(rx, ry, everyIndex(indices.length));
        };
  const estimate = bootstrap(xs.length, statistic, options);
  return { ...estimate, method, n: xs.length, dropped: x.length - xs.length };
}
