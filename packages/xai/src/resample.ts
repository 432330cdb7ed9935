import { checkFloat32Array, checkObject, checkOneOf, checkPositiveInteger } from './checks.js';
import type { GridMap, ImageSize } from './types.js';

/** How a map on the patch grid is carried onto the jet-image grid. */
export type Resampling = 'nearest' | 'bilinear';
export const RESAMPLINGS: readonly Resampling[] = ['nearest', 'bilinear'];

/**
 * Source index pairs and weights along one axis. Pixel `i` of `to` has its centre at
 * `(i + 0.5) * from / to` in source units (both grids span the same image, since the model input
 * is the jet image resized); bilinear weights follow from the source centres at `j + 0.5`, with
 * coordinates clamped at the edges (as `align_corners=False` resizing does).
 */
function axisWeights(from: number, to: number, resampling: Resampling) {
  const lower = new Int32Array(to);
  const upper = new Int32Array(to);
  const weight = new Float64Array(to);
  for (let i = 0; i < to; i++) {
    const source = ((i + 0.5) * from) / to;
    if (resampling === 'nearest') {
      lower[i] = Math.min(from - 1, Math.floor(source));
      upper[i] = lower[i]!;
      continue;
    }
    const position = Math.min(from - 1, Math.max(0, source - 0.5));
    const low = Math.floor(position);
    lower[i] = low;
    upper[i] = Math.min(from - 1, low + 1);
    weight[i] = position - low;
  }
  return { lower, upper, weight };
}

/**
 * The map on the jet-image grid (`height` rows, `width` cols). Values are interpolated, not
 * rescaled: fractions and enrichments are ratios and do not depend on the scale.
 */
export function mapToImage(map: GridMap, size: ImageSize, resampling: Resampling): GridMap {
  checkObject('map', map);
  checkPositiveInteger('map.rows', map.rows);
  checkPositiveInteger('map.cols', map.cols);
  checkFloat32Array('map.values', map.values, map.rows * map.cols);
  checkObject('size', size);
  checkPositiveInteger('size.width', size.width);
  checkPositiveInteger('size.height', size.height);
  checkOneOf('resampling', resampling, RESAMPLINGS);

  const rows = axisWeights(map.rows, size.height, resampling);
  const cols = axisWeights(map.cols, size.width, resampling);
  const values = new Float32Array(size.width * size.height);
  const source = map.values;

  for (let r = 0; r < size.height; r++) {
    const top = rows.lower[r]! * map.cols;
    const bottom = rows.upper[r]! * map.cols;
    const wy = rows.weight[r]!;
    for (let c = 0; c < size.width; c++) {
      const left = cols.lower[c]!;
      const right = cols.upper[c]!;
      const wx = cols.weight[c]!;
      const upperRow = source[top + left]! * (1 - wx) + source[top + right]! * wx;
      const lowerRow = source[bottom + left]! * (1 - wx) + source[bottom + right]! * wx;
      values[r * size.width + c] = upperRow * (1 - wy) + lowerRow * wy;
    }
  }

  return { values, rows: size.height, cols: size.width };
}
