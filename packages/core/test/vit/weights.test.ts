import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';
import { SeededNormal } from '../../src/vit/seeded-normal.js';
import {
  backboneTensorShapes,
  newClassifierHead,
  randomViTWeights,
  withNewHead,
} from '../../src/vit/weights.js';
import { GOLDEN_VIT } from './golden.js';

const tiny = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny')).weights;

describe('SeededNormal', () => {
  it('repeats for a seed and has mean 0 and the asked standard deviation', () => {
    const a = new SeededNormal(3).fill(100_001, 0.5);
    expect(new SeededNormal(3).fill(100_001, 0.5)).toEqual(a);
    expect(new SeededNormal(4).fill(10, 0.5)).not.toEqual(a.subarray(0, 10));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.49);
    expect(std).toBeLessThan(0.51);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => new SeededNormal(0.5)).toThrow(/seed: expected an integer, got 0.5/);
  });
});

describe('withNewHead', () => {
  it("replaces the classifier, initialised as transformers does, and the config's labels", () => {
    const labels = ['HToBB', 'HToCC'];
    const replaced = withNewHead(tiny, { labels, seed: 11 });
    expect(replaced.config.labels).toEqual(labels);
    expect(replaced.tensors.get('classifier.weight')?.shape).toEqual([2, 48]);
    expect(replaced.tensors.get('classifier.bias')?.data).toEqual(new Float32Array(2));
    // the backbone is shared, not copied
    expect(replaced.tensors.get('vit.layernorm.weight')).toBe(
      tiny.tensors.get('vit.layernorm.weight'),
    );
    expect(newClassifierHead(tiny.config, labels, 11)).toEqual(
      new Map([...replaced.tensors].filter(([name]) => name.startsWith('classifier.'))),
    );
  });

  it('refuses empty or repeated labels', () => {
    expect(() => withNewHead(tiny, { labels: [], seed: 1 })).toThrow(/at least one class name/);
    expect(() => withNewHead(tiny, { labels: ['a', 'a'], seed: 1 })).toThrow(
      /names must be unique/,
    );
  });
});

describe('randomViTWeights', () => {
  it('gives every tensor of the config its shape, with unit layer norms', () => {
    const weights = randomViTWeights(tiny.config, 5);
    for (const [name, shape] of backboneTensorShapes(tiny.config)) {
      expect(weights.tensors.get(name)?.shape).toEqual(shape);
    }
    expect(weights.tensors.get('classifier.weight')?.shape).toEqual([3, 48]);
    expect(
      weights.tensors
        .get('vit.encoder.layer.0.layernorm_before.weight')
        ?.data.every((v) => v === 1),
    ).toBe(true);
  });
});
