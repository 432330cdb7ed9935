import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type Float32Tensor, openSafetensors } from '../../src/safetensors/reader.js';
import { writeSafetensors } from '../../src/safetensors/writer.js';
import { CheckpointError, loadViTCheckpoint, saveViTCheckpoint } from '../../src/vit/checkpoint.js';
import { buildViTGraph, VIT_VALUES } from '../../src/vit/graph.js';
import { GOLDEN_VIT, maxAbsDiff, readExpected } from './golden.js';

const scratch = mkdtempSync(join(tmpdir(), 'jetlens-checkpoint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function goldenTensors(dir: string): [string, Float32Tensor][] {
  const file = openSafetensors(join(GOLDEN_VIT, dir, 'model.safetensors'));
  try {
    return [...file.entries.keys()].map((name) => [name, file.readFloat32(name)]);
  } finally {
    file.close();
  }
}

/** A copy of the golden tiny checkpoint whose tensors went through `edit`. */
function editedCheckpoint(
  name: string,
  edit: (tensors: [string, Float32Tensor][]) => [string, Float32Tensor][],
) {
  const dir = join(scratch, name);
  mkdirSync(dir);
  copyFileSync(join(GOLDEN_VIT, 'tiny', 'config.json'), join(dir, 'config.json'));
  writeSafetensors(join(dir, 'model.safetensors'), edit(goldenTensors('tiny')));
  return dir;
}

function layerNorm(
  x: Float32Array,
  width: number,
  scale: Float32Array,
  shift: Float32Array,
  eps: number,
) {
  const out = new Float32Array(x.length);
  for (let row = 0; row < x.length / width; row++) {
    const v = x.subarray(row * width, (row + 1) * width);
    const mean = v.reduce((a, b) => a + b, 0) / width;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / width;
    for (let i = 0; i < width; i++) {
      out[row * width + i] = ((v[i]! - mean) / Math.sqrt(variance + eps)) * scale[i]! + shift[i]!;
    }
  }
  return out;
}

describe('loadViTCheckpoint', () => {
  it('loads a ViTForImageClassification checkpoint saved by transformers', () => {
    const { weights, preprocessor, notes } = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny'));
    expect(weights.hasClassifier).toBe(true);
    expect(weights.tensors.size).toBe(56);
    expect(weights.tensors.get('classifier.weight')?.shape).toEqual([3, 48]);
    expect(preprocessor).toMatchObject({ fromFile: true, size: [32, 32] });
    expect(notes).toEqual([]);
  });

  it('loads bare ViTModel names, notes the ignored pooler, computes what HF did', async () => {
    const { weights, notes } = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny-bare'));
    expect(weights.hasClassifier).toBe(false);
    expect(weights.tensors.has('vit.embeddings.cls_token')).toBe(true);
    expect(notes).toEqual([
      expect.stringMatching(/ignored the pooler \(pooler.dense.bias, pooler.dense.weight\)/),
    ]);

    // HF's last_hidden_state is the final layer norm over the hidden state after all layers
    const expected = readExpected();
    const pixels = expected.get('pixel_values')!;
    const graph = buildViTGraph(weights, { outputs: { logits: false, hiddenAfterLayer: 3 } });
    const session = await InferenceSession.create(graph.bytes);
    const out = await session.run({
      [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [2, 3, 32, 32]),
    });
    await session.release();
    const normed = layerNorm(
      out[VIT_VALUES.hiddenState]!.data as Float32Array,
      48,
      weights.tensors.get('vit.layernorm.weight')!.data,
      weights.tensors.get('vit.layernorm.bias')!.data,
      1e-12,
    );
    expect(maxAbsDiff(normed, expected.get('bare_last_hidden_state')!.data)).toBeLessThan(1e-4);
  });

  it('saves a checkpoint that loads back to the same tensors, backbones in ViTModel names', () => {
    const tiny = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny')).weights;
    saveViTCheckpoint(join(scratch, 'saved'), tiny);
    const again = loadViTCheckpoint(join(scratch, 'saved')).weights;
    expect([...again.tensors.keys()].sort()).toEqual([...tiny.tensors.keys()].sort());
    expect(again.tensors.get('vit.encoder.layer.2.output.dense.weight')).toEqual(
      tiny.tensors.get('vit.encoder.layer.2.output.dense.weight'),
    );
    expect(again.config.labels).toEqual(tiny.config.labels);

    const bare = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny-bare')).weights;
    saveViTCheckpoint(join(scratch, 'saved-bare'), bare);
    const file = openSafetensors(join(scratch, 'saved-bare', 'model.safetensors'));
    expect(file.entries.has('embeddings.cls_token')).toBe(true);
    file.close();
  });

  describe('BAD CALL', () => {
    it('lists every wrong shape, missing and unexpected tensor in one error', () => {
      const dir = editedCheckpoint('mismatched', (tensors) => [
        ...tensors
          .filter(([name]) => name !== 'vit.encoder.layer.1.output.dense.bias')
          .map(([name, t]): [string, Float32Tensor] =>
            name === 'vit.embeddings.position_embeddings'
              ? [name, { shape: [1, 16, 48], data: t.data.subarray(0, 16 * 48) }]
              : [name, t],
          ),
        ['vit.encoder.layer.3.output.dense.bias', { shape: [48], data: new Float32Array(48) }],
      ]);
      let error: unknown;
      try {
        loadViTCheckpoint(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error).toBeInstanceOf(RangeError);
      const message = (error as Error).message;
      expect(message).toMatch(/mismatched\/model.safetensors does not fit its config.json/);
      expect(message).toMatch(
        'tensor vit.embeddings.position_embeddings: expected shape [1, 17, 48], got [1, 16, 48]',
      );
      expect(message).toMatch(/missing tensor vit.encoder.layer.1.output.dense.bias \[48\]/);
      expect(message).toMatch(/unexpected tensor vit.encoder.layer.3.output.dense.bias/);
      expect((error as CheckpointError).issues.map((i) => i.kind).sort()).toEqual([
        'missing',
        'shape',
        'unexpected',
      ]);
    });

    it('sums up long lists of issues', () => {
      const dir = editedCheckpoint('half', (tensors) =>
        tensors.filter(([name]) => !name.includes('layer.2.')),
      );
      expect(() => loadViTCheckpoint(dir)).toThrow(/\.\.\. and 4 more/);
    });

    it('reports a classifier with only one of its tensors, and names given twice', () => {
      const dir = editedCheckpoint('half-head', (tensors) =>
        tensors.filter(([name]) => name !== 'classifier.bias'),
      );
      expect(() => loadViTCheckpoint(dir)).toThrow(/missing tensor classifier.bias \[3\]/);
      const twice = editedCheckpoint('twice', (tensors) => [
        ...tensors,
        ['embeddings.cls_token', tensors.find(([n]) => n === 'vit.embeddings.cls_token')![1]],
      ]);
      expect(() => loadViTCheckpoint(twice)).toThrow(
        /vit.embeddings.cls_token appears both with and without/,
      );
    });

    it('reports a truncated model.safetensors', () => {
      const dir = editedCheckpoint('truncated', (tensors) => tensors);
      truncateSync(join(dir, 'model.safetensors'), 100_000);
      expect(() => loadViTCheckpoint(dir)).toThrow(
        /truncated\/model.safetensors: tensor '.*' ends at byte \d+ but the file has 100000 bytes/,
      );
    });

    it('refuses a config that names another architecture', () => {
      const dir = editedCheckpoint('bert', (tensors) => tensors);
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ architectures: ['BertForMaskedLM'], model_type: 'bert' }),
      );
      expect(() => loadViTCheckpoint(dir)).toThrow(
        /bert\/config.json: model_type is "bert", expected "vit"/,
      );
    });

    it('says what is missing from a folder', () => {
      const empty = join(scratch, 'empty');
      mkdirSync(empty);
      expect(() => loadViTCheckpoint(empty)).toThrow(/empty: no config.json/);
      copyFileSync(join(GOLDEN_VIT, 'tiny', 'config.json'), join(empty, 'config.json'));
      expect(() => loadViTCheckpoint(empty)).toThrow(/empty: no model.safetensors/);
      writeFileSync(join(empty, 'pytorch_model.bin'), '');
      expect(() => loadViTCheckpoint(empty)).toThrow(
        /has pytorch_model.bin but no model.safetensors/,
      );
      writeFileSync(join(empty, 'model.safetensors.index.json'), '{}');
      expect(() => loadViTCheckpoint(empty)).toThrow(/sharded checkpoints/);
      writeFileSync(join(empty, 'config.json'), '{not json');
      expect(() => loadViTCheckpoint(empty)).toThrow(/config.json: not valid JSON/);
      expect(() => loadViTCheckpoint(3 as unknown as string)).toThrow(TypeError);
    });
  });
});
