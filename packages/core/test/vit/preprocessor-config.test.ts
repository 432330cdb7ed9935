import { describe, expect, it } from 'vitest';
import {
  HF_VIT_PREPROCESSOR_DEFAULTS,
  parsePreprocessorConfig,
} from '../../src/vit/preprocessor-config.js';

describe('parsePreprocessorConfig', () => {
  it("reads google/vit-base-patch16-224's file (old integer size)", () => {
    const config = parsePreprocessorConfig({
      do_normalize: true,
      do_resize: true,
      feature_extractor_type: 'ViTFeatureExtractor',
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
      resample: 2,
      size: 224,
    });
    expect(config).toEqual({ ...HF_VIT_PREPROCESSOR_DEFAULTS, fromFile: true });
  });

  it('reads {height, width} sizes and scalar means', () => {
    const config = parsePreprocessorConfig({
      size: { height: 64, width: 32 },
      image_mean: 0.1,
      image_std: 0.2,
    });
    expect(config.size).toEqual([64, 32]);
    expect(config.imageMean).toEqual([0.1, 0.1, 0.1]);
  });

  it("gives transformers' defaults when there is no file", () => {
    expect(parsePreprocessorConfig(undefined)).toBe(HF_VIT_PREPROCESSOR_DEFAULTS);
    expect(HF_VIT_PREPROCESSOR_DEFAULTS.fromFile).toBe(false);
  });

  describe('BAD CALL', () => {
    it('refuses resampling other than bilinear, bad sizes, stds and flags', () => {
      expect(() => parsePreprocessorConfig({ resample: 3 }, 'p.json')).toThrow(
        /p.json: resample 3 is not supported; JetLens resizes bilinearly \(resample 2\)/,
      );
      expect(() => parsePreprocessorConfig({ size: { shortest_edge: 224 } })).toThrow(
        /size must be/,
      );
      expect(() => parsePreprocessorConfig({ image_std: [0.5, 0, 0.5] })).toThrow(
        /image_std values must be > 0/,
      );
      expect(() => parsePreprocessorConfig({ image_mean: [0.5], image_std: [0.5, 0.5] })).toThrow(
        /image_mean has 1 channels, image_std 2/,
      );
      expect(() => parsePreprocessorConfig({ do_resize: 1 })).toThrow(TypeError);
      expect(() => parsePreprocessorConfig({ rescale_factor: -1 })).toThrow(RangeError);
      expect(() => parsePreprocessorConfig('x')).toThrow(TypeError);
    });
  });
});
