import type { AttentionView } from './attention-tensor.js';
import type { HeadFusion } from './map-options.js';

/**
 * The matrix one layer contributes to a map: its heads fused, optionally its lowest entries
 * discarded, the residual identity added and every row renormalised to sum to 1.
 *
 * Only the first `rows` query rows are computed: the cumulative map reads the CLS row alone,
 * so it needs one row per layer unless discarding (which ranks the whole matrix) is on.
 */
export function fuseHeads(
  view: AttentionView,
  sample: number,
  layer: number,
  fusion: HeadFusion,
  rows: number,
  out: Float64Array,
): void {
  const { heads, tokens } = view;
  const length = rows * tokens;

  const first = view.matrix(sample, layer, 0);
  for (let i = 0; i < length; i++) out[i] = first.array[first.offset + i]!;

  for (let head = 1; head < heads; head++) {
    const { array, offset } = view.matrix(sample, layer, head);
    if (fusion === 'mean') {
      for (let i = 0; i < length; i++) out[i] = out[i]! + array[offset + i]!;
    } else if (fusion === 'max') {
      for (let i = 0; i < length; i++) out[i] = Math.max(out[i]!, array[offset + i]!);
    } else {
      for (let i = 0; i < length; i++) out[i] = Math.min(out[i]!, array[offset + i]!);
    }
  }

  if (fusion === 'mean') {
    for (let i = 0; i < length; i++) out[i] = out[i]! / heads;
  }
}

/**
 * Zeroes the `floor(ratio * tokens^2)` lowest entries of a fused `tokens x tokens` matrix, as
 * vit-explain's discard_ratio does, but for this sample alone. The CLS-to-CLS entry counts
 * towards the lowest ones yet is never zeroed (vit-explain drops index 0 from its list).
 * Ties at the threshold are broken by position, first ones first.
 */
export function discardLowest(matrix: Float64Array, tokens: number, ratio: number): void {
  const size = tokens * tokens;
  const count = Math.floor(size * ratio);
  if (count === 0) return;

  const sorted = Float64Array.from(matrix.subarray(0, size)).sort();
  const threshold = sorted[count - 1]!;
  let below = 0;
  for (let i = 0; i < count; i++) if (sorted[i]! < threshold) below++;
  let tiesLeft = count - below;

  for (let i = 0; i < size; i++) {
    const value = matrix[i]!;
    let drop = value < threshold;
    if (value === threshold && tiesLeft > 0) {
      drop = true;
      tiesLeft--;
    }
    if (drop && i !== 0) matrix[i] = 0;
  }
}

/**
 * Adds the identity (when `residual`) and divides each of the first `rows` rows by its sum.
 * A row left with no attention at all (possible only without the residual, after discarding)
 * stays zero rather than becoming NaN.
 */
export function normaliseRows(
  matrix: Float64Array,
  tokens: number,
  rows: number,
  residual: boolean,
): void {
  for (let row = 0; row < rows; row++) {
    const start = row * tokens;
    if (residual) matrix[start + row] = matrix[start + row]! + 1;

    let sum = 0;
    for (let k = 0; k < tokens; k++) sum += matrix[start + k]!;
    if (sum === 0) continue;
    for (let k = 0; k < tokens; k++) matrix[start + k] = matrix[start + k]! / sum;
  }
}
