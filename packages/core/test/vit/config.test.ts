import { describe, expect, it } from 'vitest';
import { parseViTConfig, patchGrid, tokenCount, viTConfigJson } from '../../src/vit/config.js';

/** A config.json in the form google/vit-base-patch16-224-in21k ships it. */
const IN21K = {
  _name_or_path: 'google/vit-base-patch16-224-in21k',
  architectures: ['ViTModel'],
  attention_probs_dropout_prob: 0.0,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.0,
  hidden_size: 768,
  image_size: 224,
  initializer_range: 0.02,
  intermediate_size: 3072,
  layer_norm_eps: 1e-12,
  model_type: 'vit',
  num_attention_heads: 12,
  num_channels: 3,
  num_hidden_layers: 12,
  patch_size: 16,
  qkv_bias: true,
  transformers_version: '4.13.0.dev0',
};

describe('parseViTConfig', () => {
  it('reads the in21k backbone config', () => {
    const config = parseViTConfig(IN21K);
    expect(config).toMatchObject({
      architecture: 'ViTModel',
      hiddenSize: 768,
      numHiddenLayers: 12,
      numAttentionHeads: 12,
      intermediateSize: 3072,
      hiddenAct: 'gelu',
      layerNormEps: 1e-12,
      imageSize: [224, 224],
      patchSize: [16, 16],
      numChannels: 3,
      qkvBias: true,
      labels: ['LABEL_0', 'LABEL_1'],
    });
    expect(patchGrid(config)).toEqual({ rows: 14, cols: 14, count: 196 });
    expect(tokenCount(config)).toBe(197);
  });

  it("fills in transformers' defaults and orders labels by id", () => {
    const config = parseViTConfig({
      model_type: 'vit',
      architectures: ['ViTForImageClassification'],
      id2label: { '1': 'QCD', '0': 'Top' },
    });
    expect(config.hiddenSize).toBe(768);
    expect(config.labels).toEqual(['Top', 'QCD']);
  });

  it('accepts [height, width] sizes', () => {
    const config = parseViTConfig({ ...IN21K, image_size: [32, 64], patch_size: [8, 16] });
    expect(patchGrid(config)).toEqual({ rows: 4, cols: 4, count: 16 });
  });

  it('writes back a config.json that parses to the same values', () => {
    const config = parseViTConfig({ ...IN21K, id2label: { '0': 'a', '1': 'b', '2': 'c' } });
    const json = viTConfigJson(config, 'ViTForImageClassification');
    expect(json.label2id).toEqual({ a: 0, b: 1, c: 2 });
    const again = parseViTConfig(json);
    expect({ ...again, raw: undefined }).toEqual({
      ...config,
      architecture: 'ViTForImageClassification',
      raw: undefined,
    });
  });

  describe('BAD CALL', () => {
    it('refuses a config of another architecture or model type', () => {
      expect(() =>
        parseViTConfig({ architectures: ['BertModel'], model_type: 'bert' }, 'bert/config.json'),
      ).toThrow(/bert\/config.json: model_type is "bert", expected "vit"/);
      expect(() => parseViTConfig({ ...IN21K, architectures: ['ViTMAEModel'] })).toThrow(
        'architectures ["ViTMAEModel"] names no ViT; expected ViTForImageClassification or ViTModel',
      );
      expect(() => parseViTConfig({ hidden_size: 8 })).toThrow(
        /neither architectures nor model_type/,
      );
      expect(() => parseViTConfig([])).toThrow(TypeError);
    });

    it('refuses sizes that do not fit together', () => {
      expect(() => parseViTConfig({ ...IN21K, num_attention_heads: 5 })).toThrow(
        /hidden_size 768 is not a multiple of num_attention_heads 5/,
      );
      expect(() => parseViTConfig({ ...IN21K, image_size: 100 })).toThrow(
        /image_size \[100, 100\] is not a whole number of patches of \[16, 16\]/,
      );
      expect(() => parseViTConfig({ ...IN21K, hidden_size: 0 })).toThrow(
        /hidden_size must be an integer >= 1, got 0/,
      );
      expect(() => parseViTConfig({ ...IN21K, hidden_size: '768' })).toThrow(TypeError);
      expect(() => parseViTConfig({ ...IN21K, patch_size: [16] })).toThrow(/patch_size must be/);
      expect(() => parseViTConfig({ ...IN21K, layer_norm_eps: 0 })).toThrow(
        /layer_norm_eps must be a number > 0/,
      );
    });

    it('refuses unsupported activations and malformed labels', () => {
      expect(() => parseViTConfig({ ...IN21K, hidden_act: 'swish' })).toThrow(
        'hidden_act "swish" is not supported; expected one of gelu, gelu_new, gelu_pytorch_tanh',
      );
      expect(() => parseViTConfig({ ...IN21K, id2label: { '0': 'a', '5': 'b' } })).toThrow(
        /id2label key "5" must be a class id in 0..1/,
      );
      expect(() => parseViTConfig({ ...IN21K, id2label: { '0': 3 } })).toThrow(TypeError);
      expect(() => parseViTConfig({ ...IN21K, qkv_bias: 'yes' })).toThrow(TypeError);
    });
  });
});
