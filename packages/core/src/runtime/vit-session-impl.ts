import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { loadViTCheckpoint } from '../vit/checkpoint.js';
import { tokenCount, type ViTConfig } from '../vit/config.js';
import { buildViTGraph, VIT_VALUES } from '../vit/graph.js';
import type { ViTPreprocessorConfig } from '../vit/preprocessor-config.js';
import { type ViTWeights, withNewHead } from '../vit/weights.js';
import { createSession, type ExecutionProviderName } from './execution-provider.js';
import {
  checkImageBatch,
  type ImageBatch,
  type Preprocessing,
  preprocessImages,
  resolvePreprocessing,
} from './preprocess.js';
import type {
  Explanation,
  ExplanationTargets,
  Prediction,
  ViTSession,
  ViTSessionOptions,
} from './vit-session.js';

const DEFAULT_BATCH_SIZE = 32;

/**
 * Without the arena, a run's activations go back to the allocator when it ends. With it, each
 * session kept its largest run's buffers for good: for ViT-B/16 at batch 32 the explaining
 * session's twelve attention tensors alone are 715 MB, held after the call that needed them.
 */
const VIT_SESSION_MEMORY = { enableCpuMemArena: false } as const;

/** Softmax of each row of `logits` into `out` at `offset` (max subtracted for stability). */
function softmaxRows(logits: Float32Array, classes: number, out: Float32Array, offset: number) {
  for (let row = 0; row < logits.length / classes; row++) {
    const values = logits.subarray(row * classes, (row + 1) * classes);
    const max = values.reduce((a, b) => Math.max(b, a), Number.NEGATIVE_INFINITY);
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      sum += Math.exp(values[k]! - max);
    }
    for (let k = 0; k < classes; k++) {
      out[offset + row * classes + k] = Math.exp(values[k]! - max) / sum;
    }
  }
}

function sliceBatch(images: ImageBatch, start: number, count: number): ImageBatch {
  const [, c, h, w] = images.dims;
  const size = c * h * w;
  return {
    data: images.data.subarray(start * size, (start + count) * size),
    dims: [count, c, h, w],
  };
}

function requireOutputs(session: InferenceSession, names: readonly string[]): void {
  for (const name of names) {
    if (!session.outputNames.includes(name)) {
      throw new RangeError(
        `ViT session: output '${name}' missing; the graph has ${session.outputNames.join(', ')}`,
      );
    }
  }
}

class OnnxViTSession implements ViTSession {
  readonly config: ViTConfig;
  readonly labels: readonly string[];
  readonly preprocessing: Preprocessing;
  readonly executionProvider: ExecutionProviderName;
  readonly batchSize: number;
  readonly notes: readonly string[];
  /** Kept only until the explaining session exists; that session holds its own copy. */
  #weights: ViTWeights | undefined;
  readonly #options: ViTSessionOptions;
  readonly #predictSession: InferenceSession;
  #explainSession: Promise<InferenceSession> | undefined;
  #disposed = false;

  constructor(
    weights: ViTWeights,
    preprocessing: Preprocessing,
    options: ViTSessionOptions,
    predictSession: InferenceSession,
    notes: readonly string[],
  ) {
    this.config = weights.config;
    this.labels = weights.config.labels;
    this.preprocessing = preprocessing;
    this.executionProvider = options.executionProvider ?? 'cpu';
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.notes = notes;
    this.#weights = weights;
    this.#options = options;
    this.#predictSession = predictSession;
  }

  async predict(images: ImageBatch): Promise<Prediction> {
    this.#checkUsable(images);
    const n = images.dims[0];
    const classes = this.labels.length;
    const probabilities = new Float32Array(n * classes);

    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      const feeds = this.#feeds(sliceBatch(images, start, count));
      const out = await this.#predictSession.run(feeds, [VIT_VALUES.logits]);
      softmaxRows(
        out[VIT_VALUES.logits]!.data as Float32Array,
        classes,
        probabilities,
        start * classes,
      );
    }
    return { probabilities, dims: [n, classes], labels: this.labels };
  }

  async explainable(images: ImageBatch, into: ExplanationTargets = {}): Promise<Explanation> {
    this.#checkUsable(images);
    const n = images.dims[0];
    const classes = this.labels.length;
    const tokens = tokenCount(this.config);
    const layers = this.config.numHiddenLayers;
    const heads = this.config.numAttentionHeads;
    const perImage = layers * heads * tokens * tokens;
    const attentions = attentionTarget(into, n * perImage, [n, layers, heads, tokens, tokens]);
    const session = await this.#explainer();
    const probabilities = new Float32Array(n * classes);

    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      const feeds = this.#feeds(sliceBatch(images, start, count));
      // onnxruntime writes the attentions straight into the result: no copy, and no
      // batch-sized garbage (hundreds of MB for ViT-B) left for the collector per run
      const target = attentions.subarray(start * perImage, (start + count) * perImage);
      const fetches = {
        [VIT_VALUES.logits]: null,
        [VIT_VALUES.attentions]: new Tensor('float32', target, [
          count,
          layers,
          heads,
          tokens,
          tokens,
        ]),
      };
      const out = await session.run(feeds, fetches);
      softmaxRows(
        out[VIT_VALUES.logits]!.data as Float32Array,
        classes,
        probabilities,
        start * classes,
      );
    }
    return {
      probabilities,
      dims: [n, classes],
      labels: this.labels,
      attentions,
      attentionDims: [n, layers, heads, tokens, tokens],
    };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) {
      return;
    }
    this.#disposed = true;
    const explain = this.#explainSession;
    await this.#predictSession.release();
    if (explain !== undefined) {
      await (await explain).release();
    }
  }

  #checkUsable(images: ImageBatch): void {
    if (this.#disposed) {
      throw new RangeError('ViT session: used after dispose()');
    }
    checkImageBatch(images);
  }

  #feeds(images: ImageBatch): Record<string, Tensor> {
    const pixels = preprocessImages(images, this.preprocessing);
    return { [VIT_VALUES.pixelValues]: new Tensor('float32', pixels.data, [...pixels.dims]) };
  }

  #explainer(): Promise<InferenceSession> {
    // built on first use: most callers only predict, and each graph holds its own weights.
    // One session with both outputs would not save that: onnxruntime runs every node whatever
    // the fetches, so each predict would also build the stacked attentions (ViT-B/16 at
    // batch 8: 1720 MiB resident after two predicts, against 1079 with the logits-only graph).
    this.#explainSession ??= (async () => {
      const graph = buildViTGraph(this.#weights!, { outputs: { attentions: true } });
      this.#weights = undefined;
      const session = await createSession(graph.bytes, this.#options, VIT_SESSION_MEMORY);
      requireOutputs(session, [VIT_VALUES.logits, VIT_VALUES.attentions]);
      return session;
    })();
    return this.#explainSession;
  }
}

/** The caller's buffer for the attentions if given (checked), else a new one. */
function attentionTarget(
  into: ExplanationTargets,
  length: number,
  dims: readonly number[],
): Float32Array {
  if (typeof into !== 'object' || into === null) {
    throw new TypeError(`explainable: 'into' must be an object, got ${String(into)}`);
  }
  const target = into.attentions;
  if (target === undefined) {
    return new Float32Array(length);
  }
  if (!(target instanceof Float32Array)) {
    throw new TypeError(
      `explainable: into.attentions must be a Float32Array, got ${describe(target)}`,
    );
  }
  if (target.length !== length) {
    throw new RangeError(
      `explainable: into.attentions must hold [${dims.join(', ')}] = ${length} values, ` +
        `got ${target.length}`,
    );
  }
  return target;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return String(value);
  }
  return value.constructor?.name ?? 'an object';
}

function checkOptions(options: ViTSessionOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('ViT session options: expected an object');
  }
  const batchSize = options.batchSize;
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
    throw new RangeError(`batchSize: expected an integer >= 1, got ${batchSize}`);
  }
}

/**
 * A {@link ViTSession} over weights already in memory (e.g. fine-tuned ones), with the
 * preprocessing settings of their checkpoint.
 */
export async function createViTSession(
  weights: ViTWeights,
  preprocessor: ViTPreprocessorConfig,
  options: ViTSessionOptions = {},
  notes: readonly string[] = [],
): Promise<ViTSession> {
  checkOptions(options);
  const model = options.head === undefined ? weights : withNewHead(weights, options.head);
  if (!model.hasClassifier) {
    throw new RangeError(
      'ViT session: the checkpoint has no classifier (a ViTModel backbone); pass ' +
        'options.head = { labels, seed } to give it one',
    );
  }
  const preprocessing = resolvePreprocessing(model.config, preprocessor, options.preprocessing);
  const graph = buildViTGraph(model);
  const session = await createSession(graph.bytes, options, VIT_SESSION_MEMORY);
  requireOutputs(session, [VIT_VALUES.logits]);
  return new OnnxViTSession(model, preprocessing, options, session, notes);
}

/**
 * Loads a Hugging Face ViT checkpoint folder (`config.json`, `model.safetensors`, optional
 * `preprocessor_config.json`) into a {@link ViTSession}.
 */
export async function loadViT(dir: string, options: ViTSessionOptions = {}): Promise<ViTSession> {
  checkOptions(options);
  const checkpoint = loadViTCheckpoint(dir);
  return createViTSession(checkpoint.weights, checkpoint.preprocessor, options, checkpoint.notes);
}
