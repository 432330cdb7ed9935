import { describe, expect, test } from 'vitest';
import type { Tape, Value } from '../../../src/train/autodiff/tape.js';
import { goldenCase, worstExcess } from '../golden.js';
import { type CaseInput, gradSession } from '../gradcheck.js';

// Each operator on the tape, against PyTorch autograd (float64) on the same float32 inputs.
const OPS: Record<string, { params: string[]; f: (t: Tape, v: Value[]) => Value }> = {
  add_bias: { params: ['x', 'b'], f: (t, [x, b]) => t.add(x!, b!) },
  mul: { params: ['x', 'y'], f: (t, [x, y]) => t.mul(x!, y!) },
  gelu: { params: ['x'], f: (t, [x]) => t.gelu(x!) },
  linear: { params: ['x', 'w', 'b'], f: (t, [x, w, b]) => t.linear(x!, w!, b!) },
  matmul: { params: ['a', 'b'], f: (t, [a, b]) => t.matmul(a!, b!) },
  layer_norm: {
    params: ['x', 'gamma', 'beta'],
    f: (t, [x, g, b]) => t.layerNorm(x!, g!, b!, 1e-12),
  },
  softmax: { params: ['x'], f: (t, [x]) => t.softmax(x!) },
  reshape_transpose: {
    params: ['x'],
    f: (t, [x]) => t.transpose(t.reshape(x!, [2, 3, 2, 2]), [0, 2, 3, 1]),
  },
  gather: { params: ['x'], f: (t, [x]) => t.gather(x!, 1, 2) },
  cross_entropy: { params: ['z'], f: (t, [z, y, w]) => t.softmaxCrossEntropy(z!, y!, w!) },
};

describe('Tape gradients against PyTorch autograd (1e-5)', () => {
  for (const [name, op] of Object.entries(OPS)) {
    test(name, async () => {
      const golden = goldenCase(name);
      const inputs: CaseInput[] = Object.entries(golden.inputs).map(([key, t]) => ({
        name: key,
        shape: t.shape,
        data: Float32Array.from(t.data),
        param: op.params.includes(key),
      }));
      const projection = golden.projection && Float32Array.from(golden.projection.data);
      const session = await gradSession(inputs, op.f, projection);
      const { loss, grads } = await session.run();

      expect(Math.abs(loss - golden.loss)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(golden.loss)));
      const params = inputs.filter((i) => i.param);
      params.forEach((p, i) => {
        expect(worstExcess(grads[i]!, golden.grads[p.name]!.data, 1e-5)).toBeLessThanOrEqual(0);
      });
    });
  }
});
