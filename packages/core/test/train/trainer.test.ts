import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { createSession } from '../../src/runtime/execution-provider.js';
import { preprocessImages } from '../../src/runtime/preprocess.js';
import { loadViT } from '../../src/runtime/vit-session-impl.js';
import { saveFineTuned } from '../../src/train/export.js';
import { Prng } from '../../src/train/prng.js';
import { TopForwardSession } from '../../src/train/top-session.js';
import { type FineTuneOptions, fineTune, topConfigOf } from '../../src/train/trainer.js';
import { vitTopParameters } from '../../src/train/vit-top.js';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';
import { buildViTGraph, VIT_VALUES } from '../../src/vit/graph.js';

// A real transformers checkpoint (3 layers, hidden 48, 32x32 images, patch 8).
const tiny = loadViTCheckpoint(new URL('../golden/vit/tiny', import.meta.url).pathname);
const scratch = mkdtempSync(join(tmpdir(), 'jetlens-trainer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One-prong (class 0) and two-prong (class 1) toy jet images, 32 x 32, summing to one. */
function toyJets(n: number, seed: number) {
  const rng = new Prng(seed);
  const data = new Float32Array(n * 32 * 32);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels[i] = label;
    const image = data.subarray(i * 1024, (i + 1) * 1024);
    const prongs =
      label === 0
        ? [[16, 16]]
        : [
            [10 + rng.int(4), 10],
            [20, 20 + rng.int(4)],
          ];
    for (const [r, c] of prongs) image[r! * 32 + c!]! += 0.6 + 0.2 * rng.next();
    for (let k = 0; k < 6; k++) image[rng.int(1024)]! += 0.05 * rng.next();
    const sum = image.reduce((a, b) => a + b, 0);
    for (let p = 0; p < 1024; p++) image[p]! /= sum;
  }
  return { images: { data, dims: [n, 1, 32, 32] as [number, number, number, number] }, labels };
}

const train = toyJets(48, 1);
const validation = toyJets(24, 2);
const base: FineTuneOptions = {
  labels: ['one-prong', 'two-prong'],
  epochs: 10,
  batchSize: 8,
  learningRate: 3e-3,
  seeds: { head: 5, shuffle: 6 },
  intraOpNumThreads: 1,
};

describe('fineTune', () => {
  let result: Awaited<ReturnType<typeof fineTune>>;

  test('trains the top of layers 2-3 of 3 and learns the toy task', async () => {
    const reports: number[] = [];
    result = await fineTune(tiny.weights, tiny.preprocessor, train, validation, {
      ...base,
      onEpoch: (r) => reports.push(r.epoch),
    });
    expect(reports).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.freeze.trainableLayers).toEqual([1, 2]);
    expect(result.freeze.description).toMatch(/last 2 encoder layers \(2-3 of 3\)/);
    const last = result.history.at(-1)!;
    expect(last.validationAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(last.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(last.imagesPerSecond).toBeGreaterThan(0);
    expect(result.weights.config.labels).toEqual(base.labels);
  });

  test('frozen tensors are bit-for-bit unchanged, trained ones moved', () => {
    const trained = /^(vit\.encoder\.layer\.[12]\.|vit\.layernorm\.|classifier\.)/;
    let frozen = 0;
    for (const [name, tensor] of tiny.weights.tensors) {
      const after = result.weights.tensors.get(name)!;
      if (trained.test(name)) continue;
      frozen++;
      expect(Buffer.from(after.data.buffer, after.data.byteOffset, after.data.byteLength)).toEqual(
        Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
      );
    }
    expect(frozen).toBeGreaterThan(15);
    const before = tiny.weights.tensors.get('vit.encoder.layer.2.output.dense.weight')!.data;
    const after = result.weights.tensors.get('vit.encoder.layer.2.output.dense.weight')!.data;
    expect(after).not.toEqual(before);
  });

  test("the trained model's inference graph gives the validation accuracy the trainer saw", async () => {
    const graph = buildViTGraph(result.weights);
    const session = await createSession(graph.bytes, { intraOpNumThreads: 1 });
    const pixels = preprocessImages(validation.images, result.preprocessing);
    const out = await session.run({
      [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [...pixels.dims]),
    });
    const logits = out[VIT_VALUES.logits]!.data as Float32Array;
    let correct = 0;
    for (let i = 0; i < 24; i++) {
      correct += (logits[2 * i + 1]! > logits[2 * i]! ? 1 : 0) === validation.labels[i] ? 1 : 0;
    }
    const best = result.history[result.bestEpoch - 1]!;
    expect(correct / 24).toBe(best.validationAccuracy);
  });

  test("the trained top on cached hidden states equals the full inference graph's logits", async () => {
    const pixels = preprocessImages(validation.images, result.preprocessing);
    const feed = { [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [...pixels.dims]) };
    const full = await createSession(buildViTGraph(result.weights).bytes, { intraOpNumThreads: 1 });
    const expected = (await full.run(feed))[VIT_VALUES.logits]!.data as Float32Array;
    const trunkGraph = buildViTGraph(result.weights, {
      outputs: { logits: false, hiddenAfterLayer: 1 },
    });
    const trunk = await createSession(trunkGraph.bytes, { intraOpNumThreads: 1 });
    const hidden = (await trunk.run(feed))[VIT_VALUES.hiddenState]!.data as Float32Array;
    const config = topConfigOf(result.weights, 2, 2);
    const top = await TopForwardSession.create(config, { intraOpNumThreads: 1 });
    const params = new Map(
      vitTopParameters(config).map((s) => [s.name, result.weights.tensors.get(s.name)!.data]),
    );
    const logits = await top.logits(params, hidden, 24);
    let worst = 0;
    for (let i = 0; i < logits.length; i++)
      worst = Math.max(worst, Math.abs(logits[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  test('saved as a Hugging Face checkpoint, it is served by the runtime like any other', async () => {
    const dir = join(scratch, 'saved');
    saveFineTuned(dir, result, tiny.preprocessor);
    const session = await loadViT(dir, { intraOpNumThreads: 1 });
    const prediction = await session.predict(validation.images);
    expect(session.labels).toEqual(base.labels);
    let correct = 0;
    for (let i = 0; i < 24; i++) {
      const p = prediction.probabilities;
      correct += (p[2 * i + 1]! > p[2 * i]! ? 1 : 0) === validation.labels[i] ? 1 : 0;
    }
    expect(correct / 24).toBe(result.history[result.bestEpoch - 1]!.validationAccuracy);
    await session.dispose();
  });

  test('a run stopped after epoch 3 and resumed ends exactly where an unbroken run ends', async () => {
    const dir = join(scratch, 'resume');
    const controller = new AbortController();
    await expect(
      fineTune(tiny.weights, tiny.preprocessor, train, validation, {
        ...base,
        checkpointDir: dir,
        signal: controller.signal,
        onEpoch: (r) => {
          if (r.epoch === 3) controller.abort(new Error('stop for the test'));
        },
      }),
    ).rejects.toThrow('stop for the test');
    const resumed = await fineTune(tiny.weights, tiny.preprocessor, train, validation, {
      ...base,
      checkpointDir: dir,
    });
    expect(resumed.history.map((r) => r.trainLoss)).toEqual(result.history.map((r) => r.trainLoss));
    for (const [name, tensor] of result.weights.tensors) {
      expect(resumed.weights.tensors.get(name)!.data, name).toEqual(tensor.data);
    }
  });

  test('a saved state from other settings is refused', async () => {
    const dir = join(scratch, 'resume');
    await expect(
      fineTune(tiny.weights, tiny.preprocessor, train, validation, {
        ...base,
        batchSize: 4,
        checkpointDir: dir,
      }),
    ).rejects.toThrow(/saved by a different run \(batchSize: saved 8, this run 4\)/);
  });

  test('early stopping keeps the best epoch', async () => {
    const r = await fineTune(tiny.weights, tiny.preprocessor, train, validation, {
      ...base,
      epochs: 20,
      learningRate: 3e-2,
      patience: 1,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBeLessThan(20);
    const losses = r.history.map((h) => h.validationLoss);
    expect(r.history[r.bestEpoch - 1]!.validationLoss).toBe(Math.min(...losses));
  });

  test('an aborted signal stops before any work', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      fineTune(tiny.weights, tiny.preprocessor, train, validation, {
        ...base,
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
  });

  test('BAD CALLs', async () => {
    const run = (patch: Partial<FineTuneOptions>, t = train) =>
      fineTune(tiny.weights, tiny.preprocessor, t, validation, { ...base, ...patch });
    await expect(run({ labels: ['only'] })).rejects.toThrow(/at least 2 classes, got 1/);
    await expect(run({ trainableLayers: 4 })).rejects.toThrow(
      /trainable layers: expected an integer in 1..3, got 4/,
    );
    await expect(run({ epochs: 0 })).rejects.toThrow(/epochs: expected an integer >= 1, got 0/);
    await expect(run({ warmupFraction: 1 })).rejects.toThrow(/warmupFraction/);
    await expect(run({}, { ...train, labels: train.labels.slice(1) })).rejects.toThrow(
      /train.labels: 47 labels for 48 images/,
    );
    await expect(
      run({}, { ...train, labels: Int32Array.from(train.labels, () => 2) }),
    ).rejects.toThrow(/train.labels\[0\]: expected a class index in 0..1, got 2/);
    const tanh = {
      ...tiny.weights,
      config: { ...tiny.weights.config, hiddenAct: 'gelu_new' as const },
    };
    await expect(fineTune(tanh, tiny.preprocessor, train, validation, base)).rejects.toThrow(
      /supports hidden_act 'gelu'/,
    );
  });
});
