import { checkPositiveInteger } from './checks.js';
import { checkImageMap } from './roi.js';
import { spearman } from './stats/correlation.js';
import type { GridMap } from './types.js';

function checkSameGrid(a: GridMap, b: GridMap): void {
  checkImageMap(a, 'a');
  checkImageMap(b, 'b');
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(
      `b: expected a ${a.rows} x ${a.cols} map like a, got ${b.rows} x ${b.cols}`,
    );
  }
}

/** Each map divided by its maximum, so that maps of different scale compare by shape. */
function scaledToMax(map: GridMap): Float64Array {
  let max = 0;
  for (const v of map.values) max = Math.max(max, v);
  const out = Float64Array.from(map.values);
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / max;
  return out;
}

/** Spearman rank correlation between the pixels of two maps (NaN if either is constant). */
export function mapRankCorrelation(a: GridMap, b: GridMap): number {
  checkSameGrid(a, b);
  return spearman(a.values, b.values);
}

/**
 * Mean structural similarity (Wang et al. 2004) over `window x window` windows (uniform
 * weights, stride 1, as scikit-image's default), on maps scaled to a maximum of 1 with data
 * range 1. 1 means identical; near 0 means unrelated structure.
 */
export function mapSsim(a: GridMap, b: GridMap, window = 7): number {
  checkSameGrid(a, b);
  checkPositiveInteger('window', window);
  const size = Math.min(window, a.rows, a.cols);
  const x = scaledToMax(a);
  const y = scaledToMax(b);
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const n = size * size;
  // Sample covariance, as scikit-image uses by default.
  const correction = n > 1 ? n / (n - 1) : 1;

  let total = 0;
  let windows = 0;
  for (let top = 0; top + size <= a.rows; top++) {
    for (let left = 0; left + size <= a.cols; left++) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let r = top; r < top + size; r++) {
        for (let c = left; c < left + size; c++) {
          const vx = x[r * a.cols + c]!;
          const vy = y[r * a.cols + c]!;
          sx += vx;
          sy += vy;
          sxx += vx * vx;
          syy += vy * vy;
          sxy += vx * vy;
        }
      }
      const mx = sx / n;
      const my = sy / n;
      const vx = (sxx / n - mx * mx) * correction;
      const vy = (syy / n - my * my) * correction;
      const cxy = (sxy / n - mx * my) * correction;
      total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      windows++;
    }
  }
  return total / windows;
}

/**
 * Histogram of oriented gradients of a map: central-difference gradients, unsigned orientation
 * in `bins` bins over [0, π), magnitudes summed per `cell x cell` block, the whole descriptor
 * scaled to unit length (zero for a flat map).
 */
export function orientedGradients(map: GridMap, cell = 4, bins = 9): Float64Array {
  checkImageMap(map);
  checkPositiveInteger('cell', cell);
  checkPositiveInteger('bins', bins);
  const values = scaledToMax(map);
  const cellRows = Math.ceil(map.rows / cell);
  const cellCols = Math.ceil(map.cols / cell);
  const descriptor = new Float64Array(cellRows * cellCols * bins);
  const at = (r: number, c: number) =>
    values[
      Math.min(map.rows - 1, Math.max(0, r)) * map.cols + Math.min(map.cols - 1, Math.max(0, c))
    ]!;

  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.cols; c++) {
      const gx = (at(r, c + 1) - at(r, c - 1)) / 2;
      const gy = (at(r + 1, c) - at(r - 1, c)) / 2;
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      const bin = Math.min(bins - 1, Math.floor((angle / Math.PI) * bins));
      const cellIndex = Math.floor(r / cell) * cellCols + Math.floor(c / cell);
      descriptor[cellIndex * bins + bin] = descriptor[cellIndex * bins + bin]! + magnitude;
    }
  }

  const norm = Math.hypot(...descriptor);
  if (norm > 0) for (let i = 0; i < descriptor.length; i++) descriptor[i] = descriptor[i]! / norm;
  return descriptor;
}

/** Euclidean distance between the unit HOG descriptors of two maps, in [0, 2]; 0 for equal. */
export function mapHogDistance(a: GridMap, b: GridMap, cell = 4, bins = 9): number {
  checkSameGrid(a, b);
  const da = orientedGradients(a, cell, bins);
  const db = orientedGradients(b, cell, bins);
  let sum = 0;
  for (let i = 0; i < da.length; i++) sum += (da[i]! - db[i]!) ** 2;
  return Math.sqrt(sum);
}

export interface MapComparison {
  readonly rankCorrelation: number;
  readonly ssim: number;
  readonly hogDistance: number;
}

export function compareMaps(a: GridMap, b: GridMap): MapComparison {
  return {
    rankCorrelation: mapRankCorrelation(a, b),
    ssim: mapSsim(a, b),
    hogDistance: mapHogDistance(a, b),
  };
}
