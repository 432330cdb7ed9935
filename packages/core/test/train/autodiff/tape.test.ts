import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../../../src/onnx/graph-builder.js';
import { broadcastShapes, Tape } from '../../../src/train/autodiff/tape.js';
import { type CaseInput, finiteDifferenceCheck, gradSession, randomInput } from '../gradcheck.js';

async function expectGradientsMatch(
  inputs: CaseInput[],
  f: Parameters<typeof finiteDifferenceCheck>[1],
): Promise<void> {
  const { worst, checked } = await finiteDifferenceCheck(inputs, f);
  expect(checked).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(0);
}

describe('Tape gradients against central finite differences', () => {
  test('add with a broadcast bias', async () => {
    await expectGradientsMatch(
      [randomInput('x', [2, 3, 4], 1), randomInput('b', [4], 2)],
      (t, [x, b]) => t.add(x!, b!),
    );
  });

  test('add with a broadcast middle axis', async () => {
    await expectGradientsMatch(
      [randomInput('x', [2, 3, 4], 1), randomInput('y', [2, 1, 4], 2)],
      (t, [x, y]) => t.add(x!, y!),
    );
  });

  test('mul and scale', async () => {
    await expectGradientsMatch(
      [randomInput('x', [3, 4], 3), randomInput('y', [3, 4], 4)],
      (t, [x, y]) => t.scale(t.mul(x!, y!), 0.37),
    );
  });

  test('exact GELU', async () => {
    await expectGradientsMatch([randomInput('x', [5, 6], 5, true, 2)], (t, [x]) => t.gelu(x!));
  });

  test('linear (Gemm) in Hugging Face layout', async () => {
    await expectGradientsMatch(
      [randomInput('x', [5, 4], 6), randomInput('w', [3, 4], 7), randomInput('b', [3], 8)],
      (t, [x, w, b]) => t.linear(x!, w!, b!),
    );
  });

  test('batched matmul', async () => {
    await expectGradientsMatch(
      [randomInput('a', [2, 3, 4, 5], 9), randomInput('b', [2, 3, 5, 2], 10)],
      (t, [a, b]) => t.matmul(a!, b!),
    );
  });

  test('layer normalisation', async () => {
    await expectGradientsMatch(
      [
        randomInput('x', [4, 6], 11, true, 3),
        randomInput('gamma', [6], 12),
        randomInput('beta', [6], 13),
      ],
      (t, [x, g, b]) => t.layerNorm(x!, g!, b!, 1e-12),
    );
  });

  test('softmax', async () => {
    await expectGradientsMatch([randomInput('x', [3, 5], 14, true, 2)], (t, [x]) => t.softmax(x!));
  });

  test('reshape and transpose', async () => {
    await expectGradientsMatch([randomInput('x', [6, 4], 15)], (t, [x]) =>
      t.transpose(t.reshape(x!, [2, 3, 2, 2]), [0, 2, 3, 1]),
    );
  });

  test('gather of one token', async () => {
    await expectGradientsMatch([randomInput('x', [2, 4, 3], 16)], (t, [x]) => t.gather(x!, 1, 2));
  });

  test('weighted softmax cross-entropy', async () => {
    const target = new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    const weight = new Float32Array([0.5, 0.2, 0.3]);
    await expectGradientsMatch(
      [
        randomInput('z', [3, 3], 17, true, 2),
        { name: 't', shape: [3, 3], data: target, param: false },
        { name: 'w', shape: [3], data: weight, param: false },
      ],
      (t, [z, y, w]) => t.softmaxCrossEntropy(z!, y!, w!),
    );
  });

  test('a value used twice accumulates both gradients', async () => {
    await expectGradientsMatch([randomInput('x', [3, 3], 18)], (t, [x]) =>
      t.add(t.mul(x!, x!), t.softmax(x!)),
    );
  });

  test('a parameter the loss does not reach gets a zero gradient', async () => {
    const session = await gradSession(
      [randomInput('x', [2, 2], 19), randomInput('unused', [3], 20)],
      (t, [x]) => t.scale(x!, 2),
    );
    const { grads } = await session.run();
    expect(Array.from(grads[1]!)).toEqual([0, 0, 0]);
    expect(Array.from(grads[0]!).every((g) => g !== 0)).toBe(true);
  });
});

describe('Tape BAD CALLs', () => {
  const tape = () => new Tape(new GraphBuilder());

  test('broadcast of incompatible shapes', () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow(RangeError);
    expect(() => broadcastShapes([2, 3], [4])).toThrow(/\[2,3\] and \[4\]/);
  });

  test('linear with a weight that does not fit', () => {
    const t = tape();
    const x = t.input('x', [5, 4], true);
    const w = t.input('w', [3, 5], true);
    const b = t.input('b', [3], true);
    expect(() => t.linear(x, w, b)).toThrow(/x\[N,4\] does not fit weight\[3,5\]/);
    expect(() => t.linear(t.input('x3', [1, 5, 4]), w, b)).toThrow(RangeError);
  });

  test('matmul with mismatched inner dims or ranks', () => {
    const t = tape();
    const a = t.input('a', [2, 3, 4]);
    expect(() => t.matmul(a, t.input('b', [2, 5, 2]))).toThrow(/inner dims differ/);
    expect(() => t.matmul(a, t.input('c', [4, 2]))).toThrow(/one rank >= 2/);
  });

  test('layerNorm with a scale of the wrong size', () => {
    const t = tape();
    const x = t.input('x', [2, 6]);
    expect(() => t.layerNorm(x, t.input('g', [5]), t.input('b', [6]), 1e-5)).toThrow(
      /gamma\[5\] does not fit x\[2,6\]/,
    );
  });

  test('reshape with two symbolic dims', () => {
    const t = tape();
    expect(() => t.reshape(t.input('x', ['batch', 6]), ['batch', 'tokens'])).toThrow(
      /at most one symbolic dim/,
    );
  });

  test('transpose with a bad permutation', () => {
    const t = tape();
    expect(() => t.transpose(t.input('x', [2, 3]), [0, 0])).toThrow(/not a permutation/);
  });

  test('gather outside the axis', () => {
    const t = tape();
    expect(() => t.gather(t.input('x', [2, 3]), 1, 3)).toThrow(/index 3 outside axis 1/);
  });

  test('cross-entropy with wrong ranks', () => {
    const t = tape();
    const z = t.input('z', [2, 3], true);
    expect(() => t.softmaxCrossEntropy(z, t.input('y', [2]), t.input('w', [2]))).toThrow(
      /expects logits\[B,C\], target\[B,C\], weight\[B\]/,
    );
  });

  test('gradients of a non-scalar, or with respect to a non-parameter', () => {
    const t = tape();
    const x = t.input('x', [2], true);
    const c = t.input('c', [2]);
    expect(() => t.gradients(t.scale(x, 2), [x])).toThrow(/loss must be a scalar/);
    expect(() => t.gradients(t.sum(t.mul(x, c)), [c])).toThrow(/'c' is not a parameter/);
  });
});
