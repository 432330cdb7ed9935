import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export interface GoldenTensor {
  readonly shape: number[];
  readonly data: number[];
}

export interface GoldenCase {
  readonly name: string;
  readonly inputs: Record<string, GoldenTensor>;
  readonly projection?: GoldenTensor;
  readonly loss: number;
  readonly grads: Record<string, GoldenTensor>;
  readonly [extra: string]: unknown;
}

const path = new URL('../golden/train/grad_golden.json', import.meta.url);

/** The golden cases written by tools/reference/grad_golden.py (PyTorch autograd). */
export function goldenCase(name: string): GoldenCase {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { cases: GoldenCase[] };
  const found = doc.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`golden case '${name}' is missing from ${path}`);
  return found;
}

/** Largest violation of |actual - expected| <= tol * (1 + |expected|), over all entries. */
export function worstExcess(actual: ArrayLike<number>, expected: readonly number[], tol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) - tol * (1 + Math.abs(e)));
  }
  return worst;
}
