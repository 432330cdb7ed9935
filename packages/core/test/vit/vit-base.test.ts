import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadViT } from '../../src/runtime/vit-session-impl.js';
import type { Float32Tensor } from '../../src/safetensors/reader.js';
import { writeSafetensors } from '../../src/safetensors/writer.js';
import { parseViTConfig, viTConfigJson } from '../../src/vit/config.js';
import { SeededNormal } from '../../src/vit/seeded-normal.js';
import { backboneTensorShapes } from '../../src/vit/weights.js';

const scratch = mkdtempSync(join(tmpdir(), 'jetlens-vit-base-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The hyper-parameters of google/vit-base-patch16-224-in21k (a ViTModel backbone). */
const VIT_B16 = parseViTConfig({
  architectures: ['ViTModel'],
  model_type: 'vit',
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  image_size: 224,
  patch_size: 16,
});

describe('a ViT-B/16-shaped checkpoint (86M parameters, random weights)', () => {
  it('loads in the hub backbone layout (bare names, pooler), classifies jets', async () => {
    // the hub layout: ViTModel names without the vit. prefix, plus the pooler
    const normal = new SeededNormal(16);
    const tensors: [string, Float32Tensor][] = [];
    let parameters = 0;
    for (const [name, shape] of backboneTensorShapes(VIT_B16)) {
      const size = shape.reduce((a, b) => a * b, 1);
      parameters += size;
      tensors.push([name.replace(/^vit\./, ''), { shape, data: normal.fill(size, 0.02) }]);
    }
    tensors.push([
      'pooler.dense.weight',
      { shape: [768, 768], data: normal.fill(768 * 768, 0.02) },
    ]);
    tensors.push(['pooler.dense.bias', { shape: [768], data: new Float32Array(768) }]);
    expect(parameters).toBe(85_798_656);

    const dir = join(scratch, 'vit-base-patch16-224-in21k');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(viTConfigJson(VIT_B16)));
    writeSafetensors(join(dir, 'model.safetensors'), tensors);
    tensors.length = 0;

    const model = await loadViT(dir, { head: { labels: ['TTBar', 'ZJetsToNuNu'], seed: 1 } });
    try {
      expect(model.notes.join()).toMatch(/ignored the pooler/);
      expect(model.preprocessing).toMatchObject({
        size: [224, 224],
        channels: 3,
        intensity: 'max',
      });

      // one 40x40 jet image with three hot pixels, summing to one
      const jet = new Float32Array(40 * 40);
      jet[20 * 40 + 20] = 0.5;
      jet[10 * 40 + 25] = 0.3;
      jet[30 * 40 + 12] = 0.2;
      const explanation = await model.explainable({ data: jet, dims: [1, 1, 40, 40] });
      expect(explanation.dims).toEqual([1, 2]);
      expect(explanation.probabilities[0]! + explanation.probabilities[1]!).toBeCloseTo(1, 6);
      expect(explanation.attentionDims).toEqual([1, 12, 12, 197, 197]);
      const firstRow = explanation.attentions.subarray(0, 197).reduce((a, b) => a + b, 0);
      expect(firstRow).toBeCloseTo(1, 5);
    } finally {
      await model.dispose();
    }
  });
});
