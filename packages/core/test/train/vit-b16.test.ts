import { describe, expect, test } from 'vitest';
import { Prng } from '../../src/train/prng.js';
import { fineTune } from '../../src/train/trainer.js';
import { parseViTConfig } from '../../src/vit/config.js';
import { HF_VIT_PREPROCESSOR_DEFAULTS } from '../../src/vit/preprocessor-config.js';
import { randomViTWeights } from '../../src/vit/weights.js';

/** google/vit-base-patch16-224's shape: 12 layers, hidden 768, 12 heads, 224 px, patch 16. */
const VIT_B16 = parseViTConfig({
  architectures: ['ViTForImageClassification'],
  model_type: 'vit',
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  image_size: 224,
  patch_size: 16,
});

function randomImages(n: number, seed: number) {
  const rng = new Prng(seed);
  const data = Float32Array.from({ length: n * 224 * 224 }, () => rng.next());
  return { data, dims: [n, 1, 224, 224] as [number, number, number, number] };
}

describe('fineTune on a ViT-B/16-shaped checkpoint (86M parameters, random weights)', () => {
  test('two steps train layers 11-12, the norm and the head, and nothing else', async () => {
    const weights = randomViTWeights(VIT_B16, 21);
    const before = new Map([...weights.tensors].map(([k, t]) => [k, Float32Array.from(t.data)]));
    const result = await fineTune(
      weights,
      HF_VIT_PREPROCESSOR_DEFAULTS,
      { images: randomImages(4, 1), labels: [0, 1, 0, 1] },
      { images: randomImages(2, 2), labels: [0, 1] },
      {
        labels: ['QCD', 'top'],
        epochs: 1,
        batchSize: 2,
        learningRate: 1e-3,
        warmupFraction: 0,
        seeds: { head: 1, shuffle: 2 },
        preprocessing: { intensity: 'none' },
      },
    );

    expect(result.freeze.description).toMatch(/11-12 of 12/);
    expect(result.history).toHaveLength(1);
    expect(Number.isFinite(result.history[0]!.trainLoss)).toBe(true);
    for (const [name, data] of before) {
      if (name.startsWith('classifier.')) continue;
      const after = result.weights.tensors.get(name)!.data;
      const trained = /^vit\.encoder\.layer\.1[01]\.|^vit\.layernorm\./.test(name);
      if (trained) expect(after, name).not.toEqual(data);
      else
        expect(
          Buffer.from(after.buffer, after.byteOffset, after.byteLength).equals(
            Buffer.from(data.buffer, data.byteOffset, data.byteLength),
          ),
          name,
        ).toBe(true);
    }
  }, 180_000);
});
