import { describe } from '../checks.js';

/**
 * A seeded generator of uniform numbers in [0, 1): xoshiro128** (Blackman and Vigna), its state
 * filled from the seed by splitmix32, so equal seeds give equal streams on every platform.
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new TypeError(`seed: expected an integer, got ${describe(seed)}`);
  }

  let mix = seed >>> 0;
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // State in a typed array: 32-bit words stored in closure variables would be boxed as heap
  // numbers on every step, which makes the generator several times slower.
  const state = Uint32Array.of(splitmix(), splitmix(), splitmix(), splitmix());

  return () => {
    const result = Math.imul(rotl(Math.imul(state[1]!, 5), 7), 9) >>> 0;
    const t = state[1]! << 9;
    state[2]! ^= state[0]!;
    state[3]! ^= state[1]!;
    state[1]! ^= state[2]!;
    state[0]! ^= state[3]!;
    state[2]! ^= t;
    state[3] = rotl(state[3]!, 11);
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform integer in [0, n). */
export function randomIndex(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function randomPermutation(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const permutation = new Int32Array(n);
  for (let i = 0; i < n; i++) permutation[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    const swap = permutation[i]!;
    permutation[i] = permutation[j]!;
    permutation[j] = swap;
  }
  return permutation;
}
