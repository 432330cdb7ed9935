import { type AttentionView, viewAttention } from './attention-tensor.js';
import { checkObject, checkPositiveInteger } from './checks.js';
import { discardLowest, fuseHeads, normaliseRows } from './layer-attention.js';
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
  const { tokens } = view;
  const fullMatrix = options.method === 'rollout' || options.discardRatio > 0;
  const rows = fullMatrix ? tokens : 1;
  const layerMatrix = new Float64Array(rows * tokens);

  const prepare = (layer: number): void => {
    fuseHeads(view, sample, layer, options.headFusion, rows, layerMatrix);
    if (options.discardRatio > 0) discardLowest(layerMatrix, tokens, options.discardRatio);
    normaliseRows(layerMatrix, tokens, rows, options.residual);
  };

  if (options.method === 'rollout' && options.discardRatio === 0) {
    return rolloutRowByRow(view, sample, options);
  }

  if (options.method === 'rollout') {
    // The CLS row of A_L ... A_1 is e_0 A_L ... A_1: multiplying a row vector from the last
    // layer down costs tokens^2 per layer instead of the tokens^3 of the matrix product.
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

/**
 * Rollout's CLS row without building any layer matrix: `e_0 A_L ... A_1` where each row of a
 * layer's matrix is fused, given its residual and normalised only when the running row vector
 * needs it. The same numbers as fusing whole matrices first, in one pass over the attention.
 * Discarding needs the whole fused matrix (it ranks all entries), so it takes the other path.
 */
function rolloutRowByRow(
  view: AttentionView,
  sample: number,
  options: AttentionMapOptions,
): Float64Array {
  const { tokens, heads } = view;
  const fusion = options.headFusion;
  let row = new Float64Array(tokens);
  let next = new Float64Array(tokens);
  const fused = new Float64Array(tokens);
  const arrays: Float32Array[] = [];
  const offsets = new Int32Array(heads);
  row[0] = 1;

  for (let i = options.layers.length - 1; i >= 0; i--) {
    for (let head = 0; head < heads; head++) {
      const { array, offset } = view.matrix(sample, options.layers[i]!, head);
      arrays[head] = array;
      offsets[head] = offset;
    }
    next.fill(0);

    for (let q = 0; q < tokens; q++) {
      const weight = row[q]!;
      if (weight === 0) continue;

      // Row q of the fused matrix.
      const start = q * tokens;
      const first = arrays[0]!;
      const firstOffset = offsets[0]! + start;
      for (let k = 0; k < tokens; k++) fused[k] = first[firstOffset + k]!;
      for (let head = 1; head < heads; head++) {
        const array = arrays[head]!;
        const offset = offsets[head]! + start;
        if (fusion === 'mean') {
          for (let k = 0; k < tokens; k++) fused[k] = fused[k]! + array[offset + k]!;
        } else if (fusion === 'max') {
          for (let k = 0; k < tokens; k++) fused[k] = Math.max(fused[k]!, array[offset + k]!);
        } else {
          for (let k = 0; k < tokens; k++) fused[k] = Math.min(fused[k]!, array[offset + k]!);
        }
      }
      if (fusion === 'mean') for (let k = 0; k < tokens; k++) fused[k] = fused[k]! / heads;

      // Residual and row normalisation, then this row's share of the product.
      if (options.residual) fused[q] = fused[q]! + 1;
      let sum = 0;
      for (let k = 0; k < tokens; k++) sum += fused[k]!;
      if (sum === 0) continue;
      const scale = weight / sum;
      for (let k = 0; k < tokens; k++) next[k] = next[k]! + scale * fused[k]!;
    }
    [row, next] = [next, row];
  }
  return row;
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
