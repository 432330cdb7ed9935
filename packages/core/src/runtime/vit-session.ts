import type { ViTConfig } from '../vit/config.js';
import type { ExecutionProviderName, SessionSettings } from './execution-provider.js';
import type { ImageBatch, Preprocessing, PreprocessingOptions } from './preprocess.js';

export type { ExecutionProviderName, ImageBatch, Preprocessing, PreprocessingOptions };

/** Options of `loadViT` and `createViTSession`. */
export interface ViTSessionOptions extends SessionSettings {
  /**
   * Where the graph runs:
   * - `cpu` (default): bundled with onnxruntime-node.
   * - `cuda`: needs onnxruntime-node's CUDA build
   *   (`ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install`);
   *   asking for it without that build fails with that instruction, never silently on CPU.
   * - `webgpu`: bundled, but needs a GPU adapter visible to the process.
   */
  readonly executionProvider?: ExecutionProviderName;
  /** Images per onnxruntime run (default 32); larger inputs are split into batches. */
  readonly batchSize?: number;
  /**
   * A new classification head replacing the checkpoint's (or giving a bare backbone one),
   * initialised from `seed` as transformers initialises a Linear layer.
   */
  readonly head?: { readonly labels: readonly string[]; readonly seed: number };
  /** How jet images become pixel values; unset choices come from the checkpoint. */
  readonly preprocessing?: PreprocessingOptions;
}

/** Class probabilities for a batch of images. */
export interface Prediction {
  /** Softmax of the logits, `[image][class]`, row-major. */
  readonly probabilities: Float32Array;
  /** `[N, classes]` */
  readonly dims: readonly [number, number];
  /** Class names by class index. */
  readonly labels: readonly string[];
}

/** Probabilities plus the attention of every layer, for explaining each prediction. */
export interface Explanation extends Prediction {
  /**
   * Attention probabilities, `[image][layer][head][query][key]`, row-major. Token 0 is CLS,
   * tokens 1.. the patches in row-major order; each query row sums to one.
   */
  readonly attentions: Float32Array;
  /** `[N, layers, heads, tokens, tokens]` */
  readonly attentionDims: readonly [number, number, number, number, number];
}

/** Buffers that {@link ViTSession.explainable} fills instead of allocating new ones. */
export interface ExplanationTargets {
  /**
   * Receives the attentions, `[N, layers, heads, tokens, tokens]` values; its previous
   * content is overwritten. Passing the same buffer on every call (e.g. when explaining a
   * dataset batch by batch) keeps the process from holding one dead result per call until
   * the collector runs (for ViT-B/16, 22 MB per image).
   */
  readonly attentions?: Float32Array;
}

/**
 * A ViT ready to classify jet images, backed by onnxruntime sessions. The graph without
 * attention outputs serves {@link predict}; the one with them is built on the first call to
 * {@link explainable}. Release the native memory with {@link dispose}.
 */
export interface ViTSession {
  readonly config: ViTConfig;
  /** Class names by class index. */
  readonly labels: readonly string[];
  /** Exactly what is done to images before the model sees them (record it with results). */
  readonly preprocessing: Preprocessing;
  readonly executionProvider: ExecutionProviderName;
  readonly batchSize: number;
  /** Things ignored while loading, in words. */
  readonly notes: readonly string[];

  /** Class probabilities for `[N, C, H, W]` jet images (C = 1 or the model's channels). */
  predict(images: ImageBatch): Promise<Prediction>;

  /**
   * Probabilities and every layer's attention for `[N, C, H, W]` jet images. With
   * `into.attentions` the attentions are written there, and the result's `attentions` is
   * that buffer.
   */
  explainable(images: ImageBatch, into?: ExplanationTargets): Promise<Explanation>;

  /** Releases the onnxruntime sessions; the object cannot be used afterwards. */
  dispose(): Promise<void>;
}
