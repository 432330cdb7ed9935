/** The Hugging Face classes whose checkpoints JetLens loads. */
export type ViTArchitecture = 'ViTForImageClassification' | 'ViTModel';

/** Activations of the MLP block, by their Hugging Face names. */
export type ViTActivation = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

/**
 * A ViT's hyper-parameters, read from a Hugging Face `config.json` (`ViTConfig`), in
 * JetLens' names. Sizes are in pixels; `imageSize` and `patchSize` are `[height, width]`.
 */
export interface ViTConfig {
  readonly architecture: ViTArchitecture;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  /** `gelu` is the exact erf form; `gelu_new` and `gelu_pytorch_tanh` the tanh approximation. */
  readonly hiddenAct: ViTActivation;
  readonly layerNormEps: number;
  readonly imageSize: readonly [number, number];
  readonly patchSize: readonly [number, number];
  readonly numChannels: number;
  readonly qkvBias: boolean;
  /** Standard deviation of the normal initialisation of new weights (HF default 0.02). */
  readonly initializerRange: number;
  /** Class names by class index, from `id2label` (HF's default: LABEL_0, LABEL_1). */
  readonly labels: readonly string[];
  /** The whole `config.json`, kept so that a fine-tuned model can be saved with it. */
  readonly raw: Readonly<Record<string, unknown>>;
}

const ARCHITECTURES: readonly ViTArchitecture[] = ['ViTForImageClassification', 'ViTModel'];
const ACTIVATIONS: readonly ViTActivation[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

/** `ViTConfig`'s defaults in transformers, used for keys a config.json leaves out. */
const HF_DEFAULTS = {
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  image_size: 224,
  patch_size: 16,
  num_channels: 3,
  qkv_bias: true,
  initializer_range: 0.02,
} as const;

/** Number of patches along each side, and in all, for a config. */
export function patchGrid(config: ViTConfig): { rows: number; cols: number; count: number } {
  const rows = config.imageSize[0] / config.patchSize[0];
  const cols = config.imageSize[1] / config.patchSize[1];
  return { rows, cols, count: rows * cols };
}

/** Tokens per image: the CLS token (index 0) followed by the patches in row-major order. */
export function tokenCount(config: ViTConfig): number {
  return 1 + patchGrid(config).count;
}

class ConfigReader {
  constructor(
    readonly source: string,
    readonly raw: Record<string, unknown>,
  ) {}

  #value(key: keyof typeof HF_DEFAULTS): unknown {
    return this.raw[key] ?? HF_DEFAULTS[key];
  }

  positiveInteger(key: keyof typeof HF_DEFAULTS): number {
    const value = this.#value(key);
    if (typeof value !== 'number') {
      throw new TypeError(`${this.source}: ${key} must be a number, got ${JSON.stringify(value)}`);
    }
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${this.source}: ${key} must be an integer >= 1, got ${value}`);
    }
    return value;
  }

  pair(key: 'image_size' | 'patch_size'): [number, number] {
    const value = this.#value(key);
    const pair = typeof value === 'number' ? [value, value] : value;
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      !pair.every((v) => Number.isSafeInteger(v) && v >= 1)
    ) {
      throw new RangeError(
        `${this.source}: ${key} must be an integer >= 1 or a pair of them, ` +
          `got ${JSON.stringify(value)}`,
      );
    }
    return [pair[0], pair[1]];
  }

  positiveNumber(key: 'layer_norm_eps' | 'initializer_range'): number {
    const value = this.#value(key);
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`${this.source}: ${key} must be a number > 0, got ${value}`);
    }
    return value;
  }

  boolean(key: 'qkv_bias'): boolean {
    const value = this.#value(key);
    if (typeof value !== 'boolean') {
      throw new TypeError(`${this.source}: ${key} must be true or false, got ${value}`);
    }
    return value;
  }
}

function readArchitecture(source: string, raw: Record<string, unknown>): ViTArchitecture {
  const modelType = raw.model_type;
  if (modelType !== undefined && modelType !== 'vit') {
    throw new RangeError(
      `${source}: model_type is ${JSON.stringify(modelType)}, expected "vit" ` +
        `(JetLens loads ${ARCHITECTURES.join(' and ')} checkpoints)`,
    );
  }

  const architectures = raw.architectures;
  if (architectures === undefined || architectures === null) {
    if (modelType === undefined) {
      throw new RangeError(`${source}: neither architectures nor model_type says this is a ViT`);
    }
    return 'ViTModel';
  }
  if (!Array.isArray(architectures)) {
    throw new TypeError(`${source}: architectures must be a list of class names`);
  }
  const found = ARCHITECTURES.find((a) => architectures.includes(a));
  if (found === undefined) {
    throw new RangeError(
      `${source}: architectures ${JSON.stringify(architectures)} names no ViT; expected ` +
        `${ARCHITECTURES.join(' or ')}`,
    );
  }
  return found;
}

function readLabels(source: string, raw: Record<string, unknown>): string[] {
  const id2label = raw.id2label;
  if (id2label === undefined || id2label === null) {
    const count = typeof raw.num_labels === 'number' ? raw.num_labels : 2;
    return Array.from({ length: count }, (_, i) => `LABEL_${i}`);
  }
  if (typeof id2label !== 'object' || Array.isArray(id2label)) {
    throw new TypeError(`${source}: id2label must map class ids to names`);
  }

  const entries = Object.entries(id2label as Record<string, unknown>);
  const labels: string[] = new Array(entries.length);
  for (const [id, label] of entries) {
    const index = Number(id);
    if (!Number.isSafeInteger(index) || index < 0 || index >= entries.length) {
      throw new RangeError(
        `${source}: id2label key ${JSON.stringify(id)} must be a class id in ` +
          `0..${entries.length - 1}`,
      );
    }
    if (typeof label !== 'string') {
      throw new TypeError(`${source}: id2label[${id}] must be a string`);
    }
    labels[index] = label;
  }
  return labels;
}

/**
 * Reads a Hugging Face ViT `config.json` (already parsed). Missing keys take transformers'
 * defaults; a config of another model type or architecture is refused. `source` names the
 * file in error messages.
 */
export function parseViTConfig(json: unknown, source = 'config.json'): ViTConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError(`${source}: expected a JSON object`);
  }
  const raw = json as Record<string, unknown>;
  const read = new ConfigReader(source, raw);
  const architecture = readArchitecture(source, raw);

  const hiddenSize = read.positiveInteger('hidden_size');
  const numAttentionHeads = read.positiveInteger('num_attention_heads');
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new RangeError(
      `${source}: hidden_size ${hiddenSize} is not a multiple of num_attention_heads ` +
        `${numAttentionHeads}`,
    );
  }

  const hiddenAct = raw.hidden_act ?? HF_DEFAULTS.hidden_act;
  if (!ACTIVATIONS.includes(hiddenAct as ViTActivation)) {
    throw new RangeError(
      `${source}: hidden_act ${JSON.stringify(hiddenAct)} is not supported; expected one of ` +
        ACTIVATIONS.join(', '),
    );
  }

  const imageSize = read.pair('image_size');
  const patchSize = read.pair('patch_size');
  if (imageSize[0] % patchSize[0] !== 0 || imageSize[1] % patchSize[1] !== 0) {
    // HF's convolution would drop the remainder; JetLens only runs whole patch grids.
    throw new RangeError(
      `${source}: image_size [${imageSize.join(', ')}] is not a whole number of patches of ` +
        `[${patchSize.join(', ')}]`,
    );
  }

  return {
    architecture,
    hiddenSize,
    numHiddenLayers: read.positiveInteger('num_hidden_layers'),
    numAttentionHeads,
    intermediateSize: read.positiveInteger('intermediate_size'),
    hiddenAct: hiddenAct as ViTActivation,
    layerNormEps: read.positiveNumber('layer_norm_eps'),
    imageSize,
    patchSize,
    numChannels: read.positiveInteger('num_channels'),
    qkvBias: read.boolean('qkv_bias'),
    initializerRange: read.positiveNumber('initializer_range'),
    labels: readLabels(source, raw),
    raw,
  };
}

function sizeJson(size: readonly [number, number]): number | number[] {
  return size[0] === size[1] ? size[0] : [...size];
}

/**
 * The config.json for a config: its original keys, overwritten by every value JetLens uses
 * (so that transformers rebuilds the same model), with `architectures` set to `architecture`.
 */
export function viTConfigJson(
  config: ViTConfig,
  architecture: ViTArchitecture = config.architecture,
): Record<string, unknown> {
  return {
    ...config.raw,
    architectures: [architecture],
    model_type: 'vit',
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: config.hiddenAct,
    layer_norm_eps: config.layerNormEps,
    image_size: sizeJson(config.imageSize),
    patch_size: sizeJson(config.patchSize),
    num_channels: config.numChannels,
    qkv_bias: config.qkvBias,
    initializer_range: config.initializerRange,
    id2label: Object.fromEntries(config.labels.map((label, i) => [String(i), label])),
    label2id: Object.fromEntries(config.labels.map((label, i) => [label, i])),
  };
}
