import type { AttentionView, LayerHeads } from './attention-tensor.js';
import type { HeadFusion } from './map-options.js';
import { selectKth } from './stats/select.js';

/**
 * The first `rows` query rows of one layer with its heads fused element by element (mean, max
 * or min over heads), into `out` as `rows x tokens`. The whole fused matrix is what discarding
 * ranks; the maps without discarding fuse one row at a time with `fuseHeadRow`, which this
 * calls row by row.
 */
export function fuseHeads(
  view: AttentionView,
  sample: number,
  layer: number,
  fusion: HeadFusion,
  rows: number,
  out: Float64Array,
): void {
  const heads = view.layer(sample, layer);
  const { tokens } = view;
  const headScale = fusion === 'mean' ? 1 / view.heads : 1;

  for (let row = 0; row < rows; row++) {
    const fused = out.subarray(row * tokens, (row + 1) * tokens);
    fuseHeadRow(heads, row, fusion, fused);
    if (headScale !== 1) for (let k = 0; k < tokens; k++) fused[k] = fused[k]! * headScale;
  }
}

/**
 * Row `query` of one layer with its heads fused, written to `out[0 .. tokens)`; returns the
 * row's total. For `mean` the row holds the sum over heads, not the mean: callers fold the
 * division by `heads` into their row normalisation, which saves a pass over the row. For `max`
 * and `min` it holds the element-wise extreme over heads.
 *
 * This is the hot loop of every map (rollout reads all `heads x tokens²` values of a layer
 * through it). Heads are summed twelve (ViT-B's count), then six, then one at a time: each pass
 * over `out` carries that many independent loads, and every pass sums what it writes, so the
 * last pass yields the total without another one.
 */
export function fuseHeadRow(
  layer: LayerHeads,
  query: number,
  fusion: HeadFusion,
  out: Float64Array,
): number {
  const { array, heads, tokens } = layer;
  const square = tokens * tokens;
  const start = layer.offset + query * tokens;
  if (fusion !== 'mean') return extremeOverHeads(array, start, heads, square, tokens, fusion, out);

  // Adding the first heads to zeros gives exactly their sum, so one loop per pass suffices.
  out.fill(0, 0, tokens);
  let total = 0;
  let head = 0;
  while (head < heads) {
    const offset = start + head * square;
    if (heads - head >= 12) {
      total = addTwelveHeadRows(array, offset, square, tokens, out);
      head += 12;
    } else if (heads - head >= 6) {
      total = addSixHeadRows(array, offset, square, tokens, out);
      head += 6;
    } else {
      total = addHeadRow(array, offset, tokens, out);
      head += 1;
    }
  }
  return total;
}

/** `out` += the sum of twelve head rows `square` apart; returns the total of `out`. */
function addTwelveHeadRows(
  array: Float32Array,
  offset: number,
  square: number,
  tokens: number,
  out: Float64Array,
): number {
  const o0 = offset;
  const o1 = o0 + square;
  const o2 = o1 + square;
  const o3 = o2 + square;
  const o4 = o3 + square;
  const o5 = o4 + square;
  const o6 = o5 + square;
  const o7 = o6 + square;
  const o8 = o7 + square;
  const o9 = o8 + square;
  const o10 = o9 + square;
  const o11 = o10 + square;
  let total = 0;
  for (let k = 0; k < tokens; k++) {
    const value =
      out[k]! +
      (array[o0 + k]! +
        array[o1 + k]! +
        array[o2 + k]! +
        array[o3 + k]! +
        array[o4 + k]! +
        array[o5 + k]! +
        array[o6 + k]! +
        array[o7 + k]! +
        array[o8 + k]! +
        array[o9 + k]! +
        array[o10 + k]! +
        array[o11 + k]!);
    out[k] = value;
    total += value;
  }
  return total;
}

/** As `addTwelveHeadRows`, for six head rows. */
function addSixHeadRows(
  array: Float32Array,
  offset: number,
  square: number,
  tokens: number,
  out: Float64Array,
): number {
  const o0 = offset;
  const o1 = o0 + square;
  const o2 = o1 + square;
  const o3 = o2 + square;
  const o4 = o3 + square;
  const o5 = o4 + square;
  let total = 0;
  for (let k = 0; k < tokens; k++) {
    const value =
      out[k]! +
      (array[o0 + k]! +
        array[o1 + k]! +
        array[o2 + k]! +
        array[o3 + k]! +
        array[o4 + k]! +
        array[o5 + k]!);
    out[k] = value;
    total += value;
  }
  return total;
}

/** `out` += one head row; returns the total of `out`. */
function addHeadRow(
  array: Float32Array,
  offset: number,
  tokens: number,
  out: Float64Array,
): number {
  let total = 0;
  for (let k = 0; k < tokens; k++) {
    const value = out[k]! + array[offset + k]!;
    out[k] = value;
    total += value;
  }
  return total;
}

function extremeOverHeads(
  array: Float32Array,
  start: number,
  heads: number,
  square: number,
  tokens: number,
  fusion: 'max' | 'min',
  out: Float64Array,
): number {
  for (let k = 0; k < tokens; k++) out[k] = array[start + k]!;
  for (let head = 1; head < heads; head++) {
    const offset = start + head * square;
    if (fusion === 'max') {
      for (let k = 0; k < tokens; k++) out[k] = Math.max(out[k]!, array[offset + k]!);
    } else {
      for (let k = 0; k < tokens; k++) out[k] = Math.min(out[k]!, array[offset + k]!);
    }
  }

  let total = 0;
  for (let k = 0; k < tokens; k++) total += out[k]!;
  return total;
}

/**
 * Zeroes the `floor(ratio * tokens^2)` lowest entries of a fused `tokens x tokens` matrix, as
 * vit-explain's discard_ratio does, but for this sample alone. The CLS-to-CLS entry counts
 * towards the lowest ones yet is never zeroed (vit-explain drops index 0 from its list).
 * Ties at the threshold are broken by position, first ones first.
 *
 * The threshold is the value a sort would put at position `count - 1`, found by selection
 * (linear, where sorting the tokens² entries of every layer dominated the discarding maps).
 * Sorting puts NaN last, so the threshold is selected among the numbers; when it would be NaN
 * no entry compares below or equal to it and nothing is zeroed, as with the sort.
 * `scratch` (at least tokens² values) saves an allocation per layer.
 */
export function discardLowest(
  matrix: Float64Array,
  tokens: number,
  ratio: number,
  scratch = new Float64Array(tokens * tokens),
): void {
  const size = tokens * tokens;
  const count = Math.floor(size * ratio);
  if (count === 0) return;

  let numbers = 0;
  for (let i = 0; i < size; i++) {
    const value = matrix[i]!;
    if (!Number.isNaN(value)) scratch[numbers++] = value;
  }
  if (count > numbers) return;
  const threshold = selectKth(scratch, numbers, count - 1);

  // Entries below the threshold are the first ones a sort puts before it, all within `count`.
  let below = 0;
  for (let i = 0; i < size; i++) if (matrix[i]! < threshold) below++;
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
