import type { AttentionTensor, ImageGridTransform } from '../src/types.js';

/** Builds a one-sample attention tensor from nested [layer][head][query][key] numbers. */
export function attentionFromRows(layers: number[][][][]): AttentionTensor {
  const heads = layers[0]!.length;
  const tokens = layers[0]![0]!.length;
  return {
    data: Float32Array.from(layers.flat(3)),
    layers: layers.length,
    heads,
    tokens,
  };
}

/** A small seeded PRNG for test data (mulberry32). */
export function testRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random row-stochastic attentions [sample][layer][head][query][key]. */
export function randomAttention(
  seed: number,
  samples: number,
  layers: number,
  heads: number,
  tokens: number,
): AttentionTensor {
  const random = testRandom(seed);
  const data = new Float32Array(samples * layers * heads * tokens * tokens);
  for (let row = 0; row < data.length / tokens; row++) {
    let sum = 0;
    for (let k = 0; k < tokens; k++) {
      const value = Math.exp(3 * random());
      data[row * tokens + k] = value;
      sum += value;
    }
    for (let k = 0; k < tokens; k++) data[row * tokens + k] = data[row * tokens + k]! / sum;
  }
  return { data, layers, heads, tokens, samples };
}

/**
 * A linear jet-image transform: `size x size` pixels spanning [-half, half] in Δη and Δφ,
 * top row at +Δφ, left column at -Δη.
 */
export function linearTransform(size: number, half: number): ImageGridTransform {
  const pixel = (2 * half) / size;
  return {
    width: size,
    height: size,
    toPixel: (deta, dphi) => ({ row: (half - dphi) / pixel, col: (deta + half) / pixel }),
    toDetaDphi: (row, col) => ({ deta: col * pixel - half, dphi: half - row * pixel }),
  };
}
