import { checkFinite, checkObject, checkPositiveInteger } from '../checks.js';

export interface HistogramOptions {
  readonly bins: number;
  readonly min: number;
  readonly max: number;
}

export interface Histogram {
  /** bins + 1 edges; bin i is [edges[i], edges[i+1]), the last bin also holds max. */
  readonly edges: number[];
  readonly counts: number[];
  readonly underflow: number;
  readonly overflow: number;
}

/** A fixed-range histogram, so that histograms of different groups line up bin by bin. */
export function histogram(values: ArrayLike<number>, options: HistogramOptions): Histogram {
  checkObject('histogram', options);
  checkPositiveInteger('histogram.bins', options.bins);
  checkFinite('histogram.min', options.min);
  checkFinite('histogram.max', options.max);
  if (!(options.max > options.min)) {
    throw new RangeError(
      `histogram.max: expected a value above min = ${options.min}, got ${options.max}`,
    );
  }

  const { bins, min, max } = options;
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value < min) underflow++;
    else if (value > max) overflow++;
    else counts[Math.min(bins - 1, Math.floor(((value - min) / (max - min)) * bins))]! += 1;
  }

  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  return { edges, counts, underflow, overflow };
}
