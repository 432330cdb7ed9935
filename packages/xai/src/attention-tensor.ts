import { checkFloat32Array, checkObject, checkPositiveInteger, describe } from './checks.js';
import type { AttentionTensor } from './types.js';

/** A validated view on an attention tensor that finds each `[query][key]` matrix. */
export interface AttentionView {
  readonly layers: number;
  readonly heads: number;
  readonly tokens: number;
  readonly samples: number;
  /** The array and offset of the `tokens x tokens` matrix of one sample, layer and head. */
  matrix(sample: number, layer: number, head: number): { array: Float32Array; offset: number };
  /**
   * All heads of one sample and layer: head `h`'s matrix starts at `offset + h * tokens²` of
   * `array` (both layouts keep a layer's heads next to each other).
   */
  layer(sample: number, layer: number): LayerHeads;
}

/** The heads of one layer, one `tokens x tokens` matrix after the other. */
export interface LayerHeads {
  readonly array: Float32Array;
  readonly offset: number;
  readonly heads: number;
  readonly tokens: number;
}

/** Checks the shape of `attention` against its data and returns a view on it. */
export function viewAttention(attention: AttentionTensor, name = 'attention'): AttentionView {
  checkObject(name, attention);
  checkPositiveInteger(`${name}.layers`, attention.layers);
  checkPositiveInteger(`${name}.heads`, attention.heads);
  checkPositiveInteger(`${name}.tokens`, attention.tokens);
  const samples = attention.samples ?? 1;
  checkPositiveInteger(`${name}.samples`, samples);
  if (attention.tokens < 2) {
    throw new RangeError(`${name}.tokens: expected CLS and at least one patch, got 1`);
  }

  const { layers, heads, tokens } = attention;
  const square = tokens * tokens;
  const data = attention.data;

  if (data instanceof Float32Array) {
    checkFloat32Array(`${name}.data`, data, samples * layers * heads * square);
    return {
      layers,
      heads,
      tokens,
      samples,
      matrix: (sample, layer, head) => ({
        array: data,
        offset: ((sample * layers + layer) * heads + head) * square,
      }),
      layer: (sample, layer) => ({
        array: data,
        offset: (sample * layers + layer) * heads * square,
        heads,
        tokens,
      }),
    };
  }

  if (!Array.isArray(data)) {
    throw new TypeError(
      `${name}.data: expected a Float32Array or an array of them, got ${describe(data)}`,
    );
  }
  if (data.length !== layers) {
    throw new RangeError(`${name}.data: expected ${layers} per-layer arrays, got ${data.length}`);
  }
  data.forEach((layer, index) => {
    checkFloat32Array(`${name}.data[${index}]`, layer, samples * heads * square);
  });
  const perLayer = data as readonly Float32Array[];
  return {
    layers,
    heads,
    tokens,
    samples,
    matrix: (sample, layer, head) => ({
      array: perLayer[layer]!,
      offset: (sample * heads + head) * square,
    }),
    layer: (sample, layer) => ({
      array: perLayer[layer]!,
      offset: sample * heads * square,
      heads,
      tokens,
    }),
  };
}
