import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { Tape, type Value } from '../../src/train/autodiff/tape.js';
import { Prng } from '../../src/train/prng.js';

/** One input of a gradient-check case. */
export interface CaseInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** Whether the gradient is taken with respect to this input. */
  readonly param: boolean;
}

export function randomInput(
  name: string,
  shape: readonly number[],
  seed: number,
  param = true,
  scale = 1,
): CaseInput {
  const rng = new Prng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, () => scale * rng.normal());
  return { name, shape, data, param };
}

/** A session computing `loss = sum(f(inputs) * projection)` and its gradients. */
export interface GradSession {
  /** Runs the graph; returns the loss and one gradient per `param` input. */
  run(data?: ReadonlyMap<string, Float32Array>): Promise<{ loss: number; grads: Float32Array[] }>;
}

/**
 * Builds `f` on a tape, projects its output onto fixed weights (so every output element
 * matters) and returns a session for the loss and its analytic gradients.
 */
export async function gradSession(
  inputs: readonly CaseInput[],
  f: (tape: Tape, values: Value[]) => Value,
  projection?: Float32Array,
): Promise<GradSession> {
  const tape = new Tape(new GraphBuilder({ name: 'gradcheck' }));
  const values = inputs.map((i) => tape.input(i.name, i.shape, i.param));
  const out = f(tape, values);
  let loss = out;
  if (out.shape.length > 0) {
    const shape = out.shape.map(Number);
    const n = shape.reduce((a, b) => a * b, 1);
    const rng = new Prng(4242);
    const weights = projection ?? Float32Array.from({ length: n }, () => rng.normal());
    loss = tape.sum(tape.mul(out, tape.constant('projection', weights, shape)));
  }
  const params = values.filter((v) => v.requiresGrad);
  const grads = tape.gradients(loss, params);
  tape.output(loss.name, 'loss', []);
  grads.forEach((g, i) => {
    tape.output(g, `grad_${i}`, params[i]!.shape);
  });
  const session = await ort.InferenceSession.create(tape.graph.toModelBytes(), {
    logSeverityLevel: 3,
  });

  return {
    async run(data) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const i of inputs) {
        const d = data?.get(i.name) ?? i.data;
        feeds[i.name] = new ort.Tensor('float32', d, [...i.shape]);
      }
      const result = await session.run(feeds);
      const lossData = result.loss!.data as Float32Array;
      return {
        loss: lossData[0]!,
        grads: params.map((_, i) => result[`grad_${i}`]!.data as Float32Array),
      };
    },
  };
}

/**
 * Compares analytic gradients with central finite differences on up to `samples` entries of
 * each parameter input. Returns the worst violation of `|fd - grad| <= atol + rtol * |fd|`
 * (negative or zero when all entries pass).
 */
export async function finiteDifferenceCheck(
  inputs: readonly CaseInput[],
  f: (tape: Tape, values: Value[]) => Value,
  options: { eps?: number; atol?: number; rtol?: number; samples?: number } = {},
): Promise<{ worst: number; checked: number }> {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, samples = 12 } = options;
  const session = await gradSession(inputs, f);
  const base = await session.run();
  let worst = Number.NEGATIVE_INFINITY;
  let checked = 0;
  const rng = new Prng(7);
  let p = 0;
  for (const input of inputs) {
    if (!input.param) continue;
    const grad = base.grads[p++]!;
    const n = input.data.length;
    const picks = n <= samples ? [...Array(n).keys()] : rng.sample(n, samples);
    for (const k of picks) {
      const plus = Float32Array.from(input.data);
      const minus = Float32Array.from(input.data);
      plus[k]! += eps;
      minus[k]! -= eps;
      const lp = (await session.run(new Map([[input.name, plus]]))).loss;
      const lm = (await session.run(new Map([[input.name, minus]]))).loss;
      const fd = (lp - lm) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - grad[k]!) - (atol + rtol * Math.abs(fd)));
      checked++;
    }
  }
  return { worst, checked };
}
