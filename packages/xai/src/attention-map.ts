import { type AttentionView, viewAttention } from './attention-tensor.js';
import { checkObject, checkPositiveInteger } from './checks.js';
import { discardLowest, fuseHeadRow, fuseHeads, normaliseRows } from './layer-attention.js';
import {
  type AttentionMapOptions,
  type AttentionMapOptionsInput,
  mapOptionsHash,
  resolveMapOptions,
} from './map-options.js';
import type { AttentionTensor, GridMap, PatchGrid } from './types.js';

/** An attention map on the patch grid with the options that made it. */
export interface AttentionMap extends GridMap {
  readonly options: AttentionMapOptions;
  readonly optionsHash: string;
  /**
   * Share of the CLS row that stayed on CLS itself, before the CLS column was dropped; with
   * the residual on this is large, and it is why JetLens renormalises over patches.
   */
  readonly clsSelfShare: number;
}

/** Checks that the patches of `tokens` fill `grid` exactly. */
export function checkPatchGrid(grid: PatchGrid, tokens: number, name = 'grid'): void {
  checkObject(name, grid);
  checkPositiveInteger(`${name}.rows`, grid.rows);
  checkPositiveInteger(`${name}.cols`, grid.cols);
  if (grid.rows * grid.cols !== tokens - 1) {
    throw new RangeError(
      `${name}: expected rows * cols = ${tokens - 1} patches (tokens minus CLS), ` +
        `got ${grid.rows} x ${grid.cols} = ${grid.rows * grid.cols}`,
    );
  }
}

/**
 * The CLS row of the chosen combination of layers, all tokens (CLS first), for one sample.
 * Exported for tests and for callers who want the raw row.
 */
export function clsRow(
  view: AttentionView,
  sample: number,
  options: AttentionMapOptions,
): Float64Array {
  if (options.discardRatio > 0) return clsRowThroughMatrices(view, sample, options);
  return options.method === 'rollout'
    ? rolloutRow(view, sample, options)
    : meanOfClsRows(view, sample, options);
}

/**
 * How a fused row from `fuseHeadRow` becomes a row of the layer's matrix: row `q` is
 * `(headScale * fused + residual * e_q) / rowSum` with `rowSum = headScale * total + residual`,
 * applied as factors rather than by rewriting the row. A row with `rowSum` 0 (no attention at
 * all, possible only without the residual) stays zero, as `normaliseRows` leaves it.
 */
function rowFactors(options: AttentionMapOptions, heads: number) {
  return {
    headScale: options.headFusion === 'mean' ? 1 / heads : 1,
    residual: options.residual ? 1 : 0,
  };
}

/**
 * The cumulative map's row (and method `layer`'s): the mean over the chosen layers of row 0
 * of each layer's matrix. Fusing heads, the residual and row normalisation all act row by
 * row, so row 0 alone is exact: heads x tokens values per layer instead of heads x tokens².
 */
function meanOfClsRows(
  view: AttentionView,
  sample: number,
  options: AttentionMapOptions,
): Float64Array {
  const { tokens, heads } = view;
  const { headScale, residual } = rowFactors(options, heads);
  const mean = new Float64Array(tokens);
  const fused = new Float64Array(tokens);

  for (const layer of options.layers) {
    const total = fuseHeadRow(view.layer(sample, layer), 0, options.headFusion, fused);
    const rowSum = headScale * total + residual;
    if (rowSum === 0) continue;
    const fusedScale = headScale / rowSum;
    for (let k = 0; k < tokens; k++) mean[k] = mean[k]! + fusedScale * fused[k]!;
    mean[0] = mean[0]! + residual / rowSum;
  }

  for (let k = 0; k < tokens; k++) mean[k] = mean[k]! / options.layers.length;
  return mean;
}

/**
 * Rollout's CLS row without forming any matrix product. The CLS row of `A_L ... A_1` is
 * `e_0 A_L ... A_1`: starting from `e_0`, the running row vector is multiplied by each layer's
 * matrix from the last layer down, tokens² per layer instead of the tokens³ of a matrix
 * product. This is exact, not an approximation: the product is associative, and each layer's
 * matrix (heads fused, identity added, rows renormalised) is built row by row, so row `q` is
 * fused and scaled just when the vector's entry `q` multiplies it, and no layer matrix is kept.
 * Discarding ranks a whole fused matrix, so it takes `clsRowThroughMatrices` instead.
 */
function rolloutRow(
  view: AttentionView,
  sample: number,
  options: AttentionMapOptions,
): Float64Array {
  const { tokens, heads } = view;
  const { headScale, residual } = rowFactors(options, heads);
  let row = new Float64Array(tokens);
  let next = new Float64Array(tokens);
  const fused = new Float64Array(tokens);
  row[0] = 1;

  for (let i = options.layers.length - 1; i >= 0; i--) {
    const layer = view.layer(sample, options.layers[i]!);
    next.fill(0);

    for (let q = 0; q < tokens; q++) {
      const weight = row[q]!;
      if (weight === 0) continue;

      // Row q of this layer's matrix, weighted by the vector's entry q, into the product.
      const total = fuseHeadRow(layer, q, options.headFusion, fused);
      const rowSum = headScale * total + residual;
      if (rowSum === 0) continue;
      const fusedWeight = (weight * headScale) / rowSum;
      for (let k = 0; k < tokens; k++) next[k] = next[k]! + fusedWeight * fused[k]!;
      next[q] = next[q]! + (weight * residual) / rowSum;
    }

    const done = row;
    row = next;
    next = done;
  }
  return row;
}

/**
 * The CLS row through whole fused layer matrices, for discarding (which ranks every entry of
 * a layer's fused matrix). Rollout still multiplies a row vector, as in `rolloutRow`.
 */
function clsRowThroughMatrices(
  view: AttentionView,
  sample: number,
  options: AttentionMapOptions,
): Float64Array {
  const { tokens } = view;
  const layerMatrix = new Float64Array(tokens * tokens);
  const scratch = new Float64Array(tokens * tokens);

  const prepare = (layer: number): void => {
    fuseHeads(view, sample, layer, options.headFusion, tokens, layerMatrix);
    discardLowest(layerMatrix, tokens, options.discardRatio, scratch);
    normaliseRows(layerMatrix, tokens, tokens, options.residual);
  };

  if (options.method === 'rollout') {
    let row = new Float64Array(tokens);
    let next = new Float64Array(tokens);
    row[0] = 1;
    for (let i = options.layers.length - 1; i >= 0; i--) {
      prepare(options.layers[i]!);
      next.fill(0);
      for (let q = 0; q < tokens; q++) {
        const weight = row[q]!;
        if (weight === 0) continue;
        const start = q * tokens;
        for (let k = 0; k < tokens; k++) next[k] = next[k]! + weight * layerMatrix[start + k]!;
      }
      [row, next] = [next, row];
    }
    return row;
  }

  const mean = new Float64Array(tokens);
  for (const layer of options.layers) {
    prepare(layer);
    for (let k = 0; k < tokens; k++) mean[k] = mean[k]! + layerMatrix[k]!;
  }
  for (let k = 0; k < tokens; k++) mean[k] = mean[k]! / options.layers.length;
  return mean;
}

function finishMap(
  row: Float64Array,
  grid: PatchGrid,
  options: AttentionMapOptions,
  optionsHash: string,
  sample: number,
): AttentionMap {
  const patches = row.length - 1;
  let total = 0;
  let sum = 0;
  let max = 0;
  for (let k = 0; k < row.length; k++) total += row[k]!;
  for (let k = 1; k <= patches; k++) {
    sum += row[k]!;
    max = Math.max(max, row[k]!);
  }
  if (options.normalisation !== 'none' && sum <= 0) {
    throw new RangeError(
      `attention sample ${sample}: the CLS row has no attention on any patch, ` +
        `cannot normalise by ${options.normalisation}`,
    );
  }

  const scale =
    options.normalisation === 'sum' ? 1 / sum : options.normalisation === 'max' ? 1 / max : 1;
  const values = new Float32Array(patches);
  for (let k = 0; k < patches; k++) values[k] = row[k + 1]! * scale;

  return {
    values,
    rows: grid.rows,
    cols: grid.cols,
    options,
    optionsHash,
    clsSelfShare: total > 0 ? row[0]! / total : 0,
  };
}

/** The attention map of sample `sample` (default 0) of `attention` on the patch grid. */
export function attentionMap(
  attention: AttentionTensor,
  grid: PatchGrid,
  options?: AttentionMapOptionsInput,
  sample = 0,
): AttentionMap {
  const view = viewAttention(attention);
  checkPatchGrid(grid, view.tokens);
  if (!Number.isInteger(sample) || sample < 0 || sample >= view.samples) {
    throw new RangeError(`sample: expected an index in [0, ${view.samples - 1}], got ${sample}`);
  }
  const resolved = resolveMapOptions(options, view.layers);
  return finishMap(
    clsRow(view, sample, resolved),
    grid,
    resolved,
    mapOptionsHash(resolved),
    sample,
  );
}

/** One map per sample of a batch; each sample is computed from its own attentions alone. */
export function attentionMaps(
  attention: AttentionTensor,
  grid: PatchGrid,
  options?: AttentionMapOptionsInput,
): AttentionMap[] {
  const view = viewAttention(attention);
  checkPatchGrid(grid, view.tokens);
  const resolved = resolveMapOptions(options, view.layers);
  const hash = mapOptionsHash(resolved);
  return Array.from({ length: view.samples }, (_, sample) =>
    finishMap(clsRow(view, sample, resolved), grid, resolved, hash, sample),
  );
}

/** The map of each chosen layer alone (method `layer`), in forward order, for one sample. */
export function perLayerMaps(
  attention: AttentionTensor,
  grid: PatchGrid,
  options?: Omit<AttentionMapOptionsInput, 'method'>,
  sample = 0,
): AttentionMap[] {
  const view = viewAttention(attention);
  const layers = resolveMapOptions({ ...options, method: 'cumulative' }, view.layers).layers;
  return layers.map((layer) =>
    attentionMap(attention, grid, { ...options, method: 'layer', layers: [layer] }, sample),
  );
}
