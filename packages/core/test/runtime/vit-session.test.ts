import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ViTSession } from '../../src/runtime/vit-session.js';
import { loadViT } from '../../src/runtime/vit-session-impl.js';
import { GOLDEN_VIT, maxAbsDiff, readExpected } from '../vit/golden.js';

const expected = readExpected();
const pixels = expected.get('pixel_values')!;
const asGiven = { intensity: 'none', resize: false, normalize: false } as const;
const opened: ViTSession[] = [];

async function open(dir: string, options: Parameters<typeof loadViT>[1] = {}) {
  const model = await loadViT(join(GOLDEN_VIT, dir), options);
  opened.push(model);
  return model;
}

function softmax(row: Float32Array): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

afterAll(async () => {
  await Promise.all(opened.map((m) => m.dispose()));
});

describe('loadViT', () => {
  it('predicts the probabilities transformers computes (softmax of its logits)', async () => {
    const model = await open('tiny', { preprocessing: asGiven });
    expect(model.labels).toEqual(['TTBar', 'ZJetsToNuNu', 'HToBB']);
    expect(model.executionProvider).toBe('cpu');

    const prediction = await model.predict({ data: pixels.data, dims: [2, 3, 32, 32] });
    expect(prediction.dims).toEqual([2, 3]);
    const logits = expected.get('logits')!.data;
    const reference = [...softmax(logits.subarray(0, 3)), ...softmax(logits.subarray(3, 6))];
    expect(maxAbsDiff(prediction.probabilities, reference)).toBeLessThan(1e-5);
  });

  it('explains with [image, layer, head, query, key] attentions, in any batch size', async () => {
    const model = await open('tiny', { preprocessing: asGiven, batchSize: 1 });
    const explanation = await model.explainable({ data: pixels.data, dims: [2, 3, 32, 32] });
    expect(explanation.attentionDims).toEqual([2, 3, 3, 17, 17]);
    expect(maxAbsDiff(explanation.attentions, expected.get('attentions')!.data)).toBeLessThan(1e-4);

    const whole = await (await open('tiny', { preprocessing: asGiven })).predict({
      data: pixels.data,
      dims: [2, 3, 32, 32],
    });
    expect(maxAbsDiff(explanation.probabilities, whole.probabilities)).toBeLessThan(1e-6);
  });

  it('writes the attentions into a buffer the caller passes, on every call', async () => {
    const model = await open('tiny', { preprocessing: asGiven, batchSize: 1 });
    const images = { data: pixels.data, dims: [2, 3, 32, 32] } as const;
    const buffer = new Float32Array(2 * 3 * 3 * 17 * 17).fill(-1);
    const first = await model.explainable(images, { attentions: buffer });
    expect(first.attentions).toBe(buffer);
    expect(maxAbsDiff(buffer, expected.get('attentions')!.data)).toBeLessThan(1e-4);

    buffer.fill(-1);
    const second = await model.explainable(images, { attentions: buffer });
    expect(second.attentions).toBe(buffer);
    expect(maxAbsDiff(buffer, expected.get('attentions')!.data)).toBeLessThan(1e-4);
    expect(Array.from(second.probabilities)).toEqual(Array.from(first.probabilities));
  });

  it('classifies one-channel jet images through the recorded preprocessing', async () => {
    const model = await open('tiny');
    expect(model.preprocessing.intensity).toBe('max');
    const jets = expected.get('jet_images')!;
    const viaJets = await model.predict({ data: jets.data, dims: [2, 1, 20, 20] });

    const direct = await open('tiny', { preprocessing: asGiven });
    const viaPixels = await direct.predict({
      data: expected.get('jet_pixel_values')!.data,
      dims: [2, 3, 32, 32],
    });
    expect(maxAbsDiff(viaJets.probabilities, viaPixels.probabilities)).toBeLessThan(1e-5);
  });

  it('gives a bare backbone a seeded new head, the same for the same seed', async () => {
    const head = { labels: ['HToBB', 'HToCC'], seed: 7 };
    const a = await open('tiny-bare', { head, preprocessing: asGiven });
    const b = await open('tiny-bare', { head, preprocessing: asGiven });
    expect(a.labels).toEqual(['HToBB', 'HToCC']);
    expect(a.notes.join()).toMatch(/ignored the pooler/);
    const images = { data: pixels.data, dims: [2, 3, 32, 32] } as const;
    const pa = await a.predict(images);
    expect(pa.dims).toEqual([2, 2]);
    expect(Array.from(pa.probabilities)).toEqual(
      Array.from((await b.predict(images)).probabilities),
    );
  });

  it('runs with explicit thread settings', async () => {
    const model = await open('tiny', {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      preprocessing: asGiven,
    });
    const prediction = await model.predict({ data: pixels.data, dims: [2, 3, 32, 32] });
    expect(prediction.probabilities.length).toBe(6);
  });

  describe('BAD CALL', () => {
    it('asks for a head when the checkpoint has no classifier', async () => {
      await expect(loadViT(join(GOLDEN_VIT, 'tiny-bare'))).rejects.toThrow(/pass options.head/);
    });

    it('names the missing CUDA provider and how to install it', async () => {
      const install =
        'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install';
      const failure = await open('tiny', { executionProvider: 'cuda' }).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/execution provider 'cuda' could not start/);
      expect((failure as Error).message).toContain(install);
    });

    it('refuses unknown providers, bad thread counts and batch sizes', async () => {
      await expect(open('tiny', { executionProvider: 'tpu' as never })).rejects.toThrow(
        /executionProvider: expected one of cpu, cuda, webgpu, got "tpu"/,
      );
      await expect(open('tiny', { intraOpNumThreads: -1 })).rejects.toThrow(/intraOpNumThreads/);
      await expect(open('tiny', { batchSize: 0 })).rejects.toThrow(
        /batchSize: expected an integer >= 1, got 0/,
      );
    });

    it('refuses an attentions buffer of the wrong kind or size', async () => {
      const model = await open('tiny', { preprocessing: asGiven });
      const images = { data: pixels.data, dims: [2, 3, 32, 32] } as const;
      await expect(
        model.explainable(images, { attentions: new Float64Array(5202) as never }),
      ).rejects.toThrow(
        new TypeError('explainable: into.attentions must be a Float32Array, got Float64Array'),
      );
      await expect(
        model.explainable(images, { attentions: new Float32Array(5201) }),
      ).rejects.toThrow(
        new RangeError(
          'explainable: into.attentions must hold [2, 3, 3, 17, 17] = 5202 values, got 5201',
        ),
      );
      await expect(model.explainable(images, null as never)).rejects.toThrow(
        new TypeError("explainable: 'into' must be an object, got null"),
      );
    });

    it('refuses use after dispose', async () => {
      const model = await loadViT(join(GOLDEN_VIT, 'tiny'));
      await model.dispose();
      await expect(model.predict({ data: pixels.data, dims: [2, 3, 32, 32] })).rejects.toThrow(
        /used after dispose/,
      );
    });
  });
});
