import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';
import { buildViTGraph, VIT_VALUES } from '../../src/vit/graph.js';
import type { ViTWeights } from '../../src/vit/weights.js';
import { GOLDEN_VIT, maxAbsDiff, readExpected } from './golden.js';

const TOLERANCE = 1e-4;
const expected = readExpected();
const pixels = expected.get('pixel_values')!;
let weights: ViTWeights;
const sessions: InferenceSession[] = [];

async function run(bytes: Uint8Array, feeds: Record<string, Tensor>) {
  const session = await InferenceSession.create(bytes);
  sessions.push(session);
  return session.run(feeds);
}

function pixelFeed() {
  return { [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [...pixels.shape]) };
}

beforeAll(() => {
  weights = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny')).weights;
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

describe('buildViTGraph: parity with transformers (eager, float32)', () => {
  it('matches the logits and every layer attention to 1e-4', async () => {
    const graph = buildViTGraph(weights, { outputs: { attentions: true } });
    expect(graph.outputNames).toEqual([VIT_VALUES.logits, VIT_VALUES.attentions]);
    const out = await run(graph.bytes, pixelFeed());

    const logits = out[VIT_VALUES.logits]!;
    expect(logits.dims).toEqual([2, 3]);
    expect(maxAbsDiff(logits.data as Float32Array, expected.get('logits')!.data)).toBeLessThan(
      TOLERANCE,
    );

    const attentions = out[VIT_VALUES.attentions]!;
    expect(attentions.dims).toEqual(expected.get('attentions')!.shape);
    const diff = maxAbsDiff(attentions.data as Float32Array, expected.get('attentions')!.data);
    expect(diff).toBeLessThan(TOLERANCE);
  });

  it('gives attention rows that sum to one, some peaked (the model is not uniform)', async () => {
    const graph = buildViTGraph(weights, { outputs: { logits: false, attentions: true } });
    const out = await run(graph.bytes, pixelFeed());
    const attentions = out[VIT_VALUES.attentions]!;
    const tokens = 17;
    const data = attentions.data as Float32Array;
    let largest = 0;
    for (let row = 0; row < data.length / tokens; row++) {
      const values = data.subarray(row * tokens, (row + 1) * tokens);
      const sum = values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      largest = Math.max(largest, ...values);
    }
    expect(largest).toBeGreaterThan(0.5);
  });

  it('emits the hidden state after n layers (HF hidden_states[n]) for every n', async () => {
    const hidden = expected.get('hidden_states')!;
    const perState = hidden.data.length / hidden.shape[0]!;
    for (let n = 0; n <= 3; n++) {
      const graph = buildViTGraph(weights, { outputs: { logits: false, hiddenAfterLayer: n } });
      expect(graph.layers).toEqual([0, n]);
      const out = await run(graph.bytes, pixelFeed());
      const state = out[VIT_VALUES.hiddenState]!;
      expect(state.dims).toEqual([2, 17, 48]);
      const reference = hidden.data.subarray(n * perState, (n + 1) * perState);
      expect(maxAbsDiff(state.data as Float32Array, reference)).toBeLessThan(TOLERANCE);
    }
  });

  it('splits into a trunk (cached hidden state) and a top graph, same logits', async () => {
    const trunk = buildViTGraph(weights, { outputs: { logits: false, hiddenAfterLayer: 2 } });
    const top = buildViTGraph(weights, { fromLayer: 2, outputs: { attentions: true } });
    expect(top.inputName).toBe(VIT_VALUES.hiddenStateIn);
    expect(top.layers).toEqual([2, 3]);

    const cached = (await run(trunk.bytes, pixelFeed()))[VIT_VALUES.hiddenState]!;
    const out = await run(top.bytes, { [VIT_VALUES.hiddenStateIn]: cached });
    expect(maxAbsDiff(out.logits!.data as Float32Array, expected.get('logits')!.data)).toBeLessThan(
      TOLERANCE,
    );

    // the top graph's attentions are the last layer's: [batch, 1, head, query, key]
    const all = expected.get('attentions')!;
    const attentions = out[VIT_VALUES.attentions]!;
    expect(attentions.dims).toEqual([2, 1, 3, 17, 17]);
    const perLayer = 3 * 17 * 17;
    const data = attentions.data as Float32Array;
    for (let b = 0; b < 2; b++) {
      const start = (b * 3 + 2) * perLayer;
      const reference = all.data.subarray(start, start + perLayer);
      expect(maxAbsDiff(data.subarray(b * perLayer, (b + 1) * perLayer), reference)).toBeLessThan(
        TOLERANCE,
      );
    }
  });

  it('runs any batch size (the batch dimension is dynamic)', async () => {
    const graph = buildViTGraph(weights);
    const one = pixels.data.subarray(0, 3 * 32 * 32);
    const out = await run(graph.bytes, {
      [VIT_VALUES.pixelValues]: new Tensor('float32', one, [1, 3, 32, 32]),
    });
    expect(
      maxAbsDiff(out.logits!.data as Float32Array, expected.get('logits')!.data.subarray(0, 3)),
    ).toBeLessThan(TOLERANCE);
  });

  it('declares chosen weights as graph inputs for a training step', async () => {
    const name = 'classifier.bias';
    const graph = buildViTGraph(weights, { fromLayer: 3, weightInputs: [name] });
    const session = await InferenceSession.create(graph.bytes);
    sessions.push(session);
    expect(session.inputNames).toEqual([VIT_VALUES.hiddenStateIn, name]);
  });
});

describe('BAD CALL', () => {
  it('rejects layer numbers outside the model and empty requests', () => {
    expect(() => buildViTGraph(weights, { fromLayer: 4 })).toThrow(
      /fromLayer: expected an integer in 0..3, got 4/,
    );
    expect(() =>
      buildViTGraph(weights, { fromLayer: 2, outputs: { hiddenAfterLayer: 1 } }),
    ).toThrow(/outputs.hiddenAfterLayer: expected an integer in 2..3, got 1/);
    expect(() => buildViTGraph(weights, { outputs: { logits: false } })).toThrow(/at least one of/);
    expect(() => buildViTGraph(weights, { fromLayer: 3, outputs: { attentions: true } })).toThrow(
      /runs no layers/,
    );
    expect(() => buildViTGraph(weights, { weightInputs: ['nope'] })).toThrow(
      /weightInputs: no tensor named 'nope'/,
    );
  });

  it('refuses logits for a backbone without a classifier', () => {
    const bare = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny-bare')).weights;
    expect(() => buildViTGraph(bare)).toThrow(/no classifier .*withNewHead/);
  });
});
