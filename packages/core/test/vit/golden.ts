import { join } from 'node:path';
import { type Float32Tensor, openSafetensors } from '../../src/safetensors/reader.js';

/** Folder of the golden files that tools/reference/vit_parity.py writes. */
export const GOLDEN_VIT = new URL('../golden/vit/', import.meta.url).pathname;

/** The tensors that transformers computed for the golden tiny ViT. */
export function readExpected(): Map<string, Float32Tensor> {
  const file = openSafetensors(join(GOLDEN_VIT, 'expected.safetensors'));
  try {
    return new Map([...file.entries.keys()].map((name) => [name, file.readFloat32(name)]));
  } finally {
    file.close();
  }
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`length ${a.length} vs ${b.length}`);
  }
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  return max;
}
