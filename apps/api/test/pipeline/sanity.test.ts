import { parseViTConfig, randomViTWeights } from '@jetlens/core';
import { describe, expect, it } from 'vitest';
import { reinitTopLayers, sanityEvents } from '../../src/pipeline/sanity.js';

describe('sanityEvents', () => {
  const test = Array.from({ length: 50 }, (_, i) => 100 + 2 * i);

  it('draws a seeded subset of the test events, in image-set order', () => {
    const subset = sanityEvents(test, 10, 3);
    expect(subset).toHaveLength(10);
    expect(new Set(subset).size).toBe(10);
    expect(subset.every((event) => test.includes(event))).toBe(true);
    expect(subset).toEqual([...subset].sort((a, b) => a - b));
    expect(sanityEvents(test, 10, 3)).toEqual(subset);
    expect(sanityEvents(test, 10, 4)).not.toEqual(subset);
  });

  it('takes every test event when asked for more', () => {
    expect(sanityEvents(test, 500, 0)).toEqual(test);
  });

  it('BAD CALL: a subset size that is not a positive integer', () => {
    expect(() => sanityEvents(test, 0, 0)).toThrow(
      new RangeError('sanity events: expected an integer >= 1, got 0'),
    );
    expect(() => sanityEvents(test, 2.5, 0)).toThrow(RangeError);
  });
});

describe('reinitTopLayers', () => {
  const config = parseViTConfig({
    architectures: ['ViTForImageClassification'],
    hidden_size: 16,
    num_hidden_layers: 3,
    num_attention_heads: 2,
    intermediate_size: 32,
    image_size: 16,
    patch_size: 8,
    num_channels: 1,
    id2label: { 0: 'a', 1: 'b' },
  });
  const trained = randomViTWeights(config, 1);

  it('draws the named layers, the final norm and the head afresh, and keeps the rest', () => {
    const reinit = reinitTopLayers(trained, [3], 2);
    const fresh = randomViTWeights(config, 2);
    for (const [name, tensor] of reinit.tensors) {
      const redrawn =
        name.startsWith('vit.encoder.layer.2.') ||
        name.startsWith('vit.layernorm.') ||
        name.startsWith('classifier.');
      expect(tensor.data, name).toEqual((redrawn ? fresh : trained).tensors.get(name)!.data);
      if (!redrawn) expect(tensor, name).toBe(trained.tensors.get(name));
    }
    expect(reinit.tensors.size).toBe(trained.tensors.size);
    expect(reinit.tensors.get('classifier.weight')!.data).not.toEqual(
      trained.tensors.get('classifier.weight')!.data,
    );
  });
});
