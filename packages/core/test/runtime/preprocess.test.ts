import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preprocessImages, resolvePreprocessing } from '../../src/runtime/preprocess.js';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';
import { HF_VIT_PREPROCESSOR_DEFAULTS } from '../../src/vit/preprocessor-config.js';
import { GOLDEN_VIT, maxAbsDiff, readExpected } from '../vit/golden.js';

const checkpoint = loadViTCheckpoint(join(GOLDEN_VIT, 'tiny'));
const config = checkpoint.weights.config;

describe('preprocessImages', () => {
  it('matches torch: per-image max, bilinear (align_corners=False), 3 channels, mean/std', () => {
    const expected = readExpected();
    const jets = expected.get('jet_images')!;
    const preprocessing = resolvePreprocessing(config, checkpoint.preprocessor);
    expect(preprocessing).toMatchObject({
      intensity: 'max',
      resize: true,
      size: [32, 32],
      channels: 3,
      normalize: true,
      mean: [0.5, 0.5, 0.5],
    });

    const out = preprocessImages({ data: jets.data, dims: [2, 1, 20, 20] }, preprocessing);
    expect(out.dims).toEqual([2, 3, 32, 32]);
    expect(maxAbsDiff(out.data, expected.get('jet_pixel_values')!.data)).toBeLessThan(1e-5);
  });

  it('keeps values as given when every step is off', () => {
    const preprocessing = resolvePreprocessing(config, checkpoint.preprocessor, {
      intensity: 'none',
      resize: false,
      normalize: false,
    });
    const data = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => i / 7);
    expect(preprocessImages({ data, dims: [1, 3, 32, 32] }, preprocessing).data).toEqual(data);
  });

  it("applies the checkpoint's rescale factor when asked", () => {
    const preprocessing = resolvePreprocessing(config, checkpoint.preprocessor, {
      intensity: 'rescale-factor',
      resize: false,
    });
    const data = new Float32Array(32 * 32).fill(255);
    const out = preprocessImages({ data, dims: [1, 1, 32, 32] }, preprocessing);
    // 255 / 255 = 1, then (1 - 0.5) / 0.5 = 1
    expect(out.data.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });

  describe('BAD CALL', () => {
    const preprocessing = resolvePreprocessing(config, checkpoint.preprocessor);

    it('refuses an empty jet image under per-image max scaling, naming the image', () => {
      const data = new Float32Array(2 * 20 * 20);
      data[5] = 1;
      expect(() => preprocessImages({ data, dims: [2, 1, 20, 20] }, preprocessing)).toThrow(
        /images\[1\]: per-image max rescale needs a finite maximum > 0, got 0/,
      );
    });

    it('refuses data that does not fit the dims, bad dims, and the wrong kind', () => {
      expect(() =>
        preprocessImages({ data: new Float32Array(10), dims: [1, 1, 4, 4] }, preprocessing),
      ).toThrow(/dims \[1, 1, 4, 4\] hold 16 values, data has 10/);
      expect(() =>
        preprocessImages(
          {
            data: new Float32Array(4),
            dims: [1, 1, 4] as unknown as [number, number, number, number],
          },
          preprocessing,
        ),
      ).toThrow(RangeError);
      expect(() =>
        preprocessImages({ data: [1], dims: [1, 1, 1, 1] } as never, preprocessing),
      ).toThrow(TypeError);
    });

    it('refuses channel counts the model cannot read and wrong sizes without resize', () => {
      expect(() =>
        preprocessImages({ data: new Float32Array(2 * 16), dims: [1, 2, 4, 4] }, preprocessing),
      ).toThrow(/2 channels given, the model reads 3/);
      const noResize = resolvePreprocessing(config, checkpoint.preprocessor, { resize: false });
      expect(() =>
        preprocessImages({ data: new Float32Array(16).fill(1), dims: [1, 1, 4, 4] }, noResize),
      ).toThrow(/4x4 pixels but the model reads 32x32 and resize is off/);
    });

    it('refuses an unknown intensity scaling and a preprocessor size unlike the model', () => {
      expect(() =>
        resolvePreprocessing(config, checkpoint.preprocessor, { intensity: 'log' as never }),
      ).toThrow(/preprocessing.intensity: expected one of max, rescale-factor, none/);
      // transformers' default size (224) against a 32-pixel model
      expect(() => resolvePreprocessing(config, HF_VIT_PREPROCESSOR_DEFAULTS)).toThrow(
        /preprocessor size \[224, 224\] differs from the model's image_size \[32, 32\]/,
      );
    });
  });
});
