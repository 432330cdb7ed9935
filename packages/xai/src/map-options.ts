import { checkObject, checkOneOf, checkRange, describe } from './checks.js';
import { stableHash } from './hash.js';

/**
 * How the per-layer attentions become one map.
 * - `cumulative`: the study's map, the mean over the chosen layers of each layer's
 *   (fused, residual, row-normalised) attention.
 * - `rollout`: the product of those matrices over the chosen layers in forward order
 *   (Abnar and Zuidema 2020).
 * - `layer`: one layer's matrix alone; `layers` must name exactly one layer.
 */
export type MapMethod = 'cumulative' | 'rollout' | 'layer';
export const MAP_METHODS: readonly MapMethod[] = ['cumulative', 'rollout', 'layer'];

/** How the heads of one layer are fused into one matrix, element by element. */
export type HeadFusion = 'mean' | 'max' | 'min';
export const HEAD_FUSIONS: readonly HeadFusion[] = ['mean', 'max', 'min'];

/**
 * How the CLS-to-patch row is scaled: `sum` makes the patch map sum to 1 (attention
 * fractions are then shares of patch attention), `max` makes its maximum 1 (as vit-explain
 * does for display), `none` keeps the raw values, whose sum is 1 minus the CLS self-attention.
 */
export type MapNormalisation = 'sum' | 'max' | 'none';
export const MAP_NORMALISATIONS: readonly MapNormalisation[] = ['sum', 'max', 'none'];

/** Every choice that shapes an attention map; stored with each map. */
export interface AttentionMapOptions {
  readonly method: MapMethod;
  readonly headFusion: HeadFusion;
  /** Add the identity (the residual stream) to each layer's matrix before rows are renormalised. */
  readonly residual: boolean;
  /** Zero-based layer indices in forward order; resolved from 'all' to the full list. */
  readonly layers: readonly number[];
  /**
   * Share of each layer's fused `tokens x tokens` matrix, the lowest values, set to zero before
   * the residual is added (vit-explain's discard_ratio). The CLS-to-CLS entry is never zeroed.
   */
  readonly discardRatio: number;
  readonly normalisation: MapNormalisation;
}

/** Options as callers give them: anything left out takes the study's choice. */
export interface AttentionMapOptionsInput {
  readonly method?: MapMethod;
  readonly headFusion?: HeadFusion;
  readonly residual?: boolean;
  readonly layers?: 'all' | readonly number[];
  readonly discardRatio?: number;
  readonly normalisation?: MapNormalisation;
}

/** The study's cumulative map: heads averaged, identity added, rows renormalised, all layers. */
export const STUDY_MAP_OPTIONS = {
  method: 'cumulative',
  headFusion: 'mean',
  residual: true,
  layers: 'all',
  discardRatio: 0,
  normalisation: 'sum',
} as const satisfies AttentionMapOptionsInput;

/** Fills in defaults, checks every field against a model with `layerCount` layers. */
export function resolveMapOptions(
  input: AttentionMapOptionsInput | undefined,
  layerCount: number,
): AttentionMapOptions {
  const given = input ?? {};
  checkObject('options', given);

  const method = given.method ?? STUDY_MAP_OPTIONS.method;
  checkOneOf('options.method', method, MAP_METHODS);
  const headFusion = given.headFusion ?? STUDY_MAP_OPTIONS.headFusion;
  checkOneOf('options.headFusion', headFusion, HEAD_FUSIONS);
  const normalisation = given.normalisation ?? STUDY_MAP_OPTIONS.normalisation;
  checkOneOf('options.normalisation', normalisation, MAP_NORMALISATIONS);

  const residual = given.residual ?? STUDY_MAP_OPTIONS.residual;
  if (typeof residual !== 'boolean') {
    throw new TypeError(`options.residual: expected a boolean, got ${describe(residual)}`);
  }
  const discardRatio = given.discardRatio ?? STUDY_MAP_OPTIONS.discardRatio;
  checkRange('options.discardRatio', discardRatio, 0, 1, false);

  const layers = resolveLayers(given.layers ?? 'all', layerCount);
  if (method === 'layer' && layers.length !== 1) {
    throw new RangeError(
      `options.layers: method 'layer' takes exactly one layer, got ${layers.length}`,
    );
  }

  return { method, headFusion, residual, layers, discardRatio, normalisation };
}

function resolveLayers(layers: unknown, layerCount: number): number[] {
  if (layers === 'all') return Array.from({ length: layerCount }, (_, i) => i);
  if (!Array.isArray(layers)) {
    throw new TypeError(
      `options.layers: expected 'all' or an array of layer indices, got ${describe(layers)}`,
    );
  }
  if (layers.length === 0) {
    throw new RangeError('options.layers: expected at least one layer, got none');
  }
  layers.forEach((layer, i) => {
    if (typeof layer !== 'number' || !Number.isInteger(layer)) {
      throw new TypeError(`options.layers[${i}]: expected an integer, got ${describe(layer)}`);
    }
    if (layer < 0 || layer >= layerCount) {
      throw new RangeError(
        `options.layers[${i}]: expected a layer index in [0, ${layerCount - 1}], got ${layer}`,
      );
    }
    if (i > 0 && layer <= (layers[i - 1] as number)) {
      throw new RangeError(
        `options.layers[${i}]: expected increasing layer indices (forward order), ` +
          `got ${layer} after ${layers[i - 1]}`,
      );
    }
  });
  return [...layers];
}

/** The stable hash stored next to a map; it names the algorithm version as well. */
export function mapOptionsHash(options: AttentionMapOptions): string {
  return stableHash({ algorithm: 'jetlens.attention-map.v1', options });
}
