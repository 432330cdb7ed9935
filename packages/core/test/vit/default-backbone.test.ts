import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJetImages } from '../../src/images/jet-images.js';
import { readAllJets } from '../../src/io/jet-reader.js';
import type { ViTSession } from '../../src/runtime/vit-session.js';
import { loadViT } from '../../src/runtime/vit-session-impl.js';
import { type Float32Tensor, openSafetensors } from '../../src/safetensors/reader.js';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';
import { buildViTGraph, VIT_VALUES } from '../../src/vit/graph.js';
import type { ViTWeights } from '../../src/vit/weights.js';
import { maxAbsDiff } from './golden.js';

// Written by tools/reference/backbone_parity.py: what transformers (eager, float32) computes
// with the committed default backbone for two seeded random inputs and one jet of the sample.
const repo = new URL('../../../../', import.meta.url).pathname;
const BACKBONE = join(repo, 'models/jetlens-vit-tiny-jets');
const SAMPLE = join(repo, 'data/jetclass-sample');
const GOLDEN = new URL('../golden/backbone/expected.safetensors', import.meta.url).pathname;

const TOLERANCE = 1e-4;
const IMAGES = 3;
const LAYERS = 12;
const HEADS = 4;
const TOKENS = 17;
const PER_LAYER = HEADS * TOKENS * TOKENS;
const JET_ROW = 2;
const asGiven = { intensity: 'none', resize: false, normalize: false } as const;

const golden = openSafetensors(GOLDEN);
const metadata = golden.metadata;
const expected = new Map<string, Float32Tensor>(
  [...golden.entries.keys()].map((name) => [name, golden.readFloat32(name)]),
);
golden.close();
const pixels = expected.get('pixel_values')!;
const logits = expected.get('logits')!;
const attentions = expected.get('attentions')!;

let weights: ViTWeights;
const sessions: InferenceSession[] = [];
const opened: ViTSession[] = [];

async function open(options: Parameters<typeof loadViT>[1] = {}) {
  const model = await loadViT(BACKBONE, options);
  opened.push(model);
  return model;
}

function softmax(row: Float32Array): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/** One image's attention of one layer, `[head][query][key]`, from `[image][layer]...` data. */
function layerOf(data: Float32Array, image: number, layer: number, layers = LAYERS) {
  const start = (image * layers + layer) * PER_LAYER;
  return data.subarray(start, start + PER_LAYER);
}

/** Every (image, layer) of `actual` against the golden attentions, naming the worst. */
function expectAttentionsMatch(actual: Float32Array, images: readonly number[]) {
  expect(actual.length).toBe(images.length * LAYERS * PER_LAYER);
  images.forEach((image, i) => {
    for (let layer = 0; layer < LAYERS; layer++) {
      const diff = maxAbsDiff(layerOf(actual, i, layer), layerOf(attentions.data, image, layer));
      expect(diff, `image ${image}, layer ${layer + 1}`).toBeLessThan(TOLERANCE);
    }
  });
}

beforeAll(() => {
  weights = loadViTCheckpoint(BACKBONE).weights;
});
afterAll(async () => {
  await Promise.all([...sessions.map((s) => s.release()), ...opened.map((m) => m.dispose())]);
});

describe('the default backbone against transformers (eager, float32)', () => {
  it('is the backbone the golden file was computed with (else rerun backbone_parity.py)', () => {
    const digest = createHash('sha256')
      .update(readFileSync(join(BACKBONE, 'model.safetensors')))
      .digest('hex');
    expect(digest).toBe(metadata.backbone_sha256);
    expect(weights.config.numHiddenLayers).toBe(LAYERS);
    expect(weights.config.numAttentionHeads).toBe(HEADS);
    expect(weights.config.hiddenSize).toBe(128);
    expect(weights.config.imageSize).toEqual([32, 32]);
    expect(attentions.shape).toEqual([IMAGES, LAYERS, HEADS, TOKENS, TOKENS]);
  });

  it('buildViTGraph matches the logits and all 12 layers of attention to 1e-4', async () => {
    const graph = buildViTGraph(weights, { outputs: { attentions: true } });
    const session = await InferenceSession.create(graph.bytes);
    sessions.push(session);
    const out = await session.run({
      [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [...pixels.shape]),
    });

    const ours = out[VIT_VALUES.logits]!;
    expect(ours.dims).toEqual([IMAGES, 6]);
    expect(maxAbsDiff(ours.data as Float32Array, logits.data)).toBeLessThan(TOLERANCE);

    const attention = out[VIT_VALUES.attentions]!;
    expect(attention.dims).toEqual(attentions.shape);
    expectAttentionsMatch(attention.data as Float32Array, [0, 1, 2]);
  });

  it('gives attention rows that sum to one, far from uniform (1 / 17 per key)', async () => {
    const model = await open({ preprocessing: asGiven });
    const explanation = await model.explainable({ data: pixels.data, dims: [IMAGES, 3, 32, 32] });
    const data = explanation.attentions;
    let largest = 0;
    for (let row = 0; row < data.length / TOKENS; row++) {
      const values = data.subarray(row * TOKENS, (row + 1) * TOKENS);
      const sum = values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      largest = Math.max(largest, ...values);
    }
    // Near-uniform rows would hide a wrong softmax axis or head split behind the tolerance.
    expect(largest).toBeGreaterThan(4 / TOKENS);
  });

  it('loadViT explains with the probabilities and attentions transformers computes', async () => {
    const model = await open({ preprocessing: asGiven, batchSize: 2 });
    expect(model.labels).toHaveLength(6);
    const explanation = await model.explainable({ data: pixels.data, dims: [IMAGES, 3, 32, 32] });
    expect(explanation.attentionDims).toEqual([IMAGES, LAYERS, HEADS, TOKENS, TOKENS]);

    const reference = [0, 1, 2].flatMap((i) => softmax(logits.data.subarray(i * 6, (i + 1) * 6)));
    expect(maxAbsDiff(explanation.probabilities, reference)).toBeLessThan(1e-5);
    expectAttentionsMatch(explanation.attentions, [0, 1, 2]);
  });

  it('classifies a jet of the bundled sample as the study does: ROOT file to attentions', async () => {
    const entry = Number(metadata.jet_entry);
    const { jets } = await readAllJets(join(SAMPLE, metadata.jet_file!), {
      firstEntry: entry,
      maxEntries: 1,
    });
    const images = makeJetImages(jets, { height: 32, width: 32 });
    expect(images.shape).toEqual([1, 1, 32, 32]);
    expect(maxAbsDiff(images.tensor, expected.get('jet_image')!.data)).toBeLessThan(1e-6);

    const model = await open();
    expect(model.preprocessing.intensity).toBe('max');
    const explanation = await model.explainable({ data: images.tensor, dims: [1, 1, 32, 32] });
    const jetLogits = logits.data.subarray(JET_ROW * 6, (JET_ROW + 1) * 6);
    expect(maxAbsDiff(explanation.probabilities, softmax(jetLogits))).toBeLessThan(1e-5);
    expectAttentionsMatch(explanation.attentions, [JET_ROW]);
  });
});
