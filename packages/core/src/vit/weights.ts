import type { Float32Tensor } from '../safetensors/reader.js';
import { tokenCount, type ViTConfig } from './config.js';
import { SeededNormal } from './seeded-normal.js';

/**
 * A ViT's tensors by their Hugging Face `ViTForImageClassification` names
 * (`vit.embeddings.cls_token`, ..., `classifier.weight`), float32, in PyTorch's layouts
 * (a Linear weight is `[out, in]`).
 */
export interface ViTWeights {
  readonly config: ViTConfig;
  readonly tensors: ReadonlyMap<string, Float32Tensor>;
  /** False for a bare backbone (`ViTModel`), which needs a new head before it can classify. */
  readonly hasClassifier: boolean;
}

/** Hugging Face's name for a tensor of encoder layer `layer` (0-based). */
export function layerTensorName(layer: number, suffix: string): string {
  return `vit.encoder.layer.${layer}.${suffix}`;
}

/** Per-layer tensors, relative to `vit.encoder.layer.{i}.`, with their shapes. */
function layerShapes(config: ViTConfig): [string, number[]][] {
  const h = config.hiddenSize;
  const m = config.intermediateSize;
  const shapes: [string, number[]][] = [];
  for (const projection of ['query', 'key', 'value']) {
    shapes.push([`attention.attention.${projection}.weight`, [h, h]]);
    if (config.qkvBias) {
      shapes.push([`attention.attention.${projection}.bias`, [h]]);
    }
  }
  shapes.push(
    ['attention.output.dense.weight', [h, h]],
    ['attention.output.dense.bias', [h]],
    ['intermediate.dense.weight', [m, h]],
    ['intermediate.dense.bias', [m]],
    ['output.dense.weight', [h, m]],
    ['output.dense.bias', [h]],
    ['layernorm_before.weight', [h]],
    ['layernorm_before.bias', [h]],
    ['layernorm_after.weight', [h]],
    ['layernorm_after.bias', [h]],
  );
  return shapes;
}

/** The backbone's tensors (everything but the classifier) and their shapes, in HF order. */
export function backboneTensorShapes(config: ViTConfig): Map<string, number[]> {
  const h = config.hiddenSize;
  const shapes = new Map<string, number[]>([
    ['vit.embeddings.cls_token', [1, 1, h]],
    ['vit.embeddings.position_embeddings', [1, tokenCount(config), h]],
    [
      'vit.embeddings.patch_embeddings.projection.weight',
      [h, config.numChannels, config.patchSize[0], config.patchSize[1]],
    ],
    ['vit.embeddings.patch_embeddings.projection.bias', [h]],
  ]);
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    for (const [suffix, shape] of layerShapes(config)) {
      shapes.set(layerTensorName(layer, suffix), shape);
    }
  }
  shapes.set('vit.layernorm.weight', [h]);
  shapes.set('vit.layernorm.bias', [h]);
  return shapes;
}

/** The classifier's tensors and their shapes for `numLabels` classes. */
export function classifierTensorShapes(
  config: ViTConfig,
  numLabels: number,
): Map<string, number[]> {
  return new Map([
    ['classifier.weight', [numLabels, config.hiddenSize]],
    ['classifier.bias', [numLabels]],
  ]);
}

/**
 * A classifier head for `labels`, initialised as transformers does (weights normal with
 * standard deviation `initializerRange`, biases zero) from `seed`.
 */
export function newClassifierHead(
  config: ViTConfig,
  labels: readonly string[],
  seed: number,
): Map<string, Float32Tensor> {
  if (labels.length < 1) {
    throw new RangeError('head labels: expected at least one class name, got none');
  }
  if (new Set(labels).size !== labels.length) {
    throw new RangeError(`head labels: names must be unique, got ${JSON.stringify(labels)}`);
  }
  const normal = new SeededNormal(seed);
  const h = config.hiddenSize;
  return new Map([
    [
      'classifier.weight',
      { shape: [labels.length, h], data: normal.fill(labels.length * h, config.initializerRange) },
    ],
    ['classifier.bias', { shape: [labels.length], data: new Float32Array(labels.length) }],
  ]);
}

/**
 * The same backbone with a new classifier head for `labels` (initialised from `seed`): how a
 * pretrained backbone is prepared for fine-tuning on JetLens' classes.
 */
export function withNewHead(
  weights: ViTWeights,
  head: { readonly labels: readonly string[]; readonly seed: number },
): ViTWeights {
  const tensors = new Map(weights.tensors);
  for (const [name, tensor] of newClassifierHead(weights.config, head.labels, head.seed)) {
    tensors.set(name, tensor);
  }
  const config = {
    ...weights.config,
    architecture: 'ViTForImageClassification' as const,
    labels: [...head.labels],
  };
  return { config, tensors, hasClassifier: true };
}

/**
 * Random weights of the right shapes for `config` (normal with the config's
 * `initializerRange`, layer norms at scale 1 and shift 0), with a classifier for its labels.
 * For tests and benchmarks that need a model of a given size without a download.
 */
export function randomViTWeights(config: ViTConfig, seed: number): ViTWeights {
  const normal = new SeededNormal(seed);
  const tensors = new Map<string, Float32Tensor>();
  const shapes = [
    ...backboneTensorShapes(config),
    ...classifierTensorShapes(config, config.labels.length),
  ];
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = name.includes('layernorm')
      ? new Float32Array(size).fill(name.endsWith('.weight') ? 1 : 0)
      : normal.fill(size, config.initializerRange);
    tensors.set(name, { shape, data });
  }
  return { config, tensors, hasClassifier: true };
}
