import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { createSession, type SessionSettings } from '../runtime/execution-provider.js';
import {
  checkImageBatch,
  type ImageBatch,
  type Preprocessing,
  type PreprocessingOptions,
  preprocessImages,
  resolvePreprocessing,
} from '../runtime/preprocess.js';
import { tokenCount } from '../vit/config.js';
import { buildViTGraph, VIT_VALUES } from '../vit/graph.js';
import type { ViTPreprocessorConfig } from '../vit/preprocessor-config.js';
import { type ViTWeights, withNewHead } from '../vit/weights.js';
import { Prng } from './prng.js';
import { classBalancedBatches, type FreezeSpec, lastLayersFreezeSpec } from './protocol.js';
import {
  type EpochReport,
  loadResumeState,
  type ResumeState,
  saveResumeState,
} from './resume-state.js';
import { checkSchedule, type LearningRateSchedule, learningRateAt } from './schedule.js';
import {
  initialTopState,
  TopForwardSession,
  type TopState,
  TrainStepSession,
} from './top-session.js';
import { DEFAULT_ADAMW } from './train-step.js';
import { type VitTopConfig, vitTopParameters } from './vit-top.js';

/** Jet images `[N, C, H, W]` (C = 1 or the model's channels) and their class indices. */
export interface LabelledImages {
  readonly images: ImageBatch;
  readonly labels: ArrayLike<number>;
}

export interface FineTuneOptions extends SessionSettings {
  /** Class names of the task; the new head has one output per class. */
  readonly labels: readonly string[];
  /** Encoder layers trained, counted from the top (default 2: layers 11-12 of 12). */
  readonly trainableLayers?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Peak learning rate of the warmup + cosine schedule (default 1e-3). */
  readonly learningRate?: number;
  /** Share of all steps spent warming up (default 0.1). */
  readonly warmupFraction?: number;
  /** AdamW decoupled weight decay on matrices (default 0.01). */
  readonly weightDecay?: number;
  /** Stop after this many epochs without a lower validation loss (default 5). */
  readonly patience?: number;
  readonly seeds: { readonly head: number; readonly shuffle: number };
  readonly preprocessing?: PreprocessingOptions;
  /** Images per onnxruntime run of the frozen trunk (default 64). */
  readonly trunkBatchSize?: number;
  /** Stops the run between two steps; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each epoch. */
  readonly onEpoch?: (report: EpochReport) => void;
  /** Where the resumable state is saved after each epoch, and resumed from when present. */
  readonly checkpointDir?: string;
}

export interface FineTuneResult {
  /** The whole model: the frozen tensors as given, the top from the best epoch. */
  readonly weights: ViTWeights;
  readonly freeze: FreezeSpec;
  readonly preprocessing: Preprocessing;
  readonly history: readonly EpochReport[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  /** Seconds spent running the frozen trunk once over all images. */
  readonly trunkSeconds: number;
}

function checkLabelled(what: string, data: LabelledImages, numClasses: number): void {
  checkImageBatch(data.images, `${what}.images`);
  const n = data.images.dims[0];
  if (data.labels.length !== n) {
    throw new RangeError(`${what}.labels: ${data.labels.length} labels for ${n} images`);
  }
  for (let i = 0; i < n; i++) {
    const label = data.labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(
        `${what}.labels[${i}]: expected a class index in 0..${numClasses - 1}, got ${label}`,
      );
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name}: expected an integer >= 1, got ${value}`);
  return value;
}

/** The top's configuration for training the last `k` layers of `weights`. */
export function topConfigOf(weights: ViTWeights, k: number, numLabels: number): VitTopConfig {
  const c = weights.config;
  if (c.hiddenAct !== 'gelu') {
    throw new RangeError(
      `fine-tuning supports hidden_act 'gelu' (exact erf), the checkpoint has '${c.hiddenAct}'`,
    );
  }
  if (!c.qkvBias) throw new RangeError('fine-tuning needs query/key/value biases (qkv_bias true)');
  const freeze = lastLayersFreezeSpec(c.numHiddenLayers, k);
  return {
    hiddenSize: c.hiddenSize,
    numAttentionHeads: c.numAttentionHeads,
    intermediateSize: c.intermediateSize,
    layerNormEps: c.layerNormEps,
    numTokens: tokenCount(c),
    numLabels,
    layers: freeze.trainableLayers,
  };
}

/**
 * Runs the frozen trunk (embeddings and the first `fromLayer` layers) over preprocessed
 * images and returns the hidden states `[N, tokens, hidden]` entering layer `fromLayer`.
 */
async function trunkHiddenStates(
  session: InferenceSession,
  pixels: ImageBatch,
  rowSize: number,
  batchSize: number,
): Promise<Float32Array> {
  const [n, c, h, w] = pixels.dims;
  const out = new Float32Array(n * rowSize);
  const plane = c * h * w;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const input = pixels.data.subarray(start * plane, (start + size) * plane);
    const result = await session.run({
      [VIT_VALUES.pixelValues]: new Tensor('float32', input, [size, c, h, w]),
    });
    out.set(result[VIT_VALUES.hiddenState]!.data as Float32Array, start * rowSize);
  }
  return out;
}

function meanCrossEntropy(logits: Float32Array, labels: ArrayLike<number>, numClasses: number) {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
    let max = Number.NEGATIVE_INFINITY;
    let best = 0;
    row.forEach((z, c) => {
      if (z > max) {
        max = z;
        best = c;
      }
    });
    let sum = 0;
    for (const z of row) sum += Math.exp(z - max);
    loss += Math.log(sum) + max - row[labels[i]!]!;
    correct += best === labels[i] ? 1 : 0;
  }
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? new DOMException('fine-tuning was aborted', 'AbortError');
  }
}

const copyMap = (m: ReadonlyMap<string, Float32Array>) =>
  new Map([...m].map(([k, v]) => [k, Float32Array.from(v)]));

/**
 * Fine-tunes the last `trainableLayers` encoder layers of a ViT, its final layer norm and a
 * new classification head on labelled jet images; everything else stays frozen. The frozen
 * trunk runs once over all images (onnxruntime), its hidden states are cached, and then the
 * train-step graph (forward, cross-entropy, backward, AdamW) runs per batch. Batches are
 * class-balanced, the schedule is linear warmup then cosine, the best epoch by validation
 * loss is kept, and training stops early after `patience` epochs without improvement.
 */
export async function fineTune(
  weights: ViTWeights,
  preprocessor: ViTPreprocessorConfig,
  train: LabelledImages,
  validation: LabelledImages,
  options: FineTuneOptions,
): Promise<FineTuneResult> {
  const numClasses = options.labels.length;
  if (numClasses < 2)
    throw new RangeError(`labels: expected at least 2 classes, got ${numClasses}`);
  checkLabelled('train', train, numClasses);
  checkLabelled('validation', validation, numClasses);
  const k = options.trainableLayers ?? 2;
  const epochs = positiveInteger('epochs', options.epochs ?? 30);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 32);
  const patience = positiveInteger('patience', options.patience ?? 5);
  const trunkBatchSize = positiveInteger('trunkBatchSize', options.trunkBatchSize ?? 64);
  const warmupFraction = options.warmupFraction ?? 0.1;
  if (!(warmupFraction >= 0 && warmupFraction < 1)) {
    throw new RangeError(`warmupFraction: expected a number in [0, 1), got ${warmupFraction}`);
  }
  const config = topConfigOf(weights, k, numClasses);
  const freeze = lastLayersFreezeSpec(weights.config.numHiddenLayers, k);
  const nTrain = train.images.dims[0];
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const schedule: LearningRateSchedule = {
    peak: options.learningRate ?? 1e-3,
    totalSteps: stepsPerEpoch * epochs,
    warmupSteps: Math.round(warmupFraction * stepsPerEpoch * epochs),
  };
  checkSchedule(schedule);
  const adam = { ...DEFAULT_ADAMW, weightDecay: options.weightDecay ?? DEFAULT_ADAMW.weightDecay };
  aborted(options.signal);

  // The frozen trunk, once: pixels -> hidden state entering the first trained layer.
  const headed = withNewHead(weights, { labels: options.labels, seed: options.seeds.head });
  const preprocessing = resolvePreprocessing(headed.config, preprocessor, options.preprocessing);
  const fromLayer = config.layers[0]!;
  const rowSize = config.numTokens * config.hiddenSize;
  const trunkStarted = performance.now();
  const trunkGraph = buildViTGraph(headed, {
    outputs: { logits: false, hiddenAfterLayer: fromLayer },
  });
  const trunk = await createSession(trunkGraph.bytes, options);
  let trainHidden: Float32Array;
  let validationHidden: Float32Array;
  try {
    trainHidden = await trunkHiddenStates(
      trunk,
      preprocessImages(train.images, preprocessing),
      rowSize,
      trunkBatchSize,
    );
    aborted(options.signal);
    validationHidden = await trunkHiddenStates(
      trunk,
      preprocessImages(validation.images, preprocessing),
      rowSize,
      trunkBatchSize,
    );
  } finally {
    await trunk.release();
  }
  const trunkSeconds = (performance.now() - trunkStarted) / 1000;

  const initial = new Map(
    vitTopParameters(config).map((s) => [
      s.name,
      Float32Array.from(headed.tensors.get(s.name)!.data),
    ]),
  );
  const fingerprint = {
    trainableLayers: config.layers,
    labels: options.labels.join('\u0000'),
    epochs,
    batchSize,
    learningRate: schedule.peak,
    warmupSteps: schedule.warmupSteps,
    weightDecay: adam.weightDecay,
    patience,
    headSeed: options.seeds.head,
    shuffleSeed: options.seeds.shuffle,
    trainImages: nTrain,
    validationImages: validation.images.dims[0],
    trainLabels: Array.from(train.labels).join(''),
  };
  const resumed = options.checkpointDir
    ? loadResumeState(options.checkpointDir, fingerprint)
    : undefined;
  const top: TopState = resumed?.top ?? initialTopState(config, initial);
  const rng = resumed ? Prng.fromState(resumed.shuffleState) : new Prng(options.seeds.shuffle);
  let best = resumed?.best ?? {
    epoch: 0,
    loss: Number.POSITIVE_INFINITY,
    params: copyMap(initial),
  };
  let badEpochs = resumed?.badEpochs ?? 0;
  const history: EpochReport[] = [...(resumed?.history ?? [])];
  let stoppedEarly = badEpochs >= patience;

  const stepper = await TrainStepSession.create(config, adam, options);
  const forward = await TopForwardSession.create(config, options);
  try {
    for (
      let epoch = (resumed?.completedEpochs ?? 0) + 1;
      epoch <= epochs && !stoppedEarly;
      epoch++
    ) {
      const started = performance.now();
      let lossSum = 0;
      let lr = 0;
      for (const batch of classBalancedBatches(train.labels, numClasses, batchSize, rng)) {
        aborted(options.signal);
        const size = batch.length;
        const hidden = new Float32Array(size * rowSize);
        const target = new Float32Array(size * numClasses);
        batch.forEach((event, i) => {
          hidden.set(trainHidden.subarray(event * rowSize, (event + 1) * rowSize), i * rowSize);
          target[i * numClasses + train.labels[event]!] = 1;
        });
        lr = learningRateAt(schedule, top.step);
        const weight = new Float32Array(size).fill(1 / size);
        const { loss } = await stepper.step(top, { size, hidden, target, weight }, lr);
        lossSum += loss * size;
      }
      const seconds = (performance.now() - started) / 1000;

      const logits = await forward.logits(top.params, validationHidden, validation.images.dims[0]);
      const val = meanCrossEntropy(logits, validation.labels, numClasses);
      const report: EpochReport = {
        epoch,
        trainLoss: lossSum / nTrain,
        validationLoss: val.loss,
        validationAccuracy: val.accuracy,
        learningRate: lr,
        seconds,
        imagesPerSecond: nTrain / seconds,
      };
      history.push(report);
      if (val.loss < best.loss) {
        best = { epoch, loss: val.loss, params: copyMap(top.params) };
        badEpochs = 0;
      } else {
        badEpochs++;
      }
      stoppedEarly = badEpochs >= patience && epoch < epochs;
      if (options.checkpointDir) {
        const state: ResumeState = {
          fingerprint,
          completedEpochs: epoch,
          top,
          shuffleState: rng.state,
          best,
          badEpochs,
          history,
        };
        saveResumeState(options.checkpointDir, state);
      }
      options.onEpoch?.(report);
    }
  } finally {
    await stepper.release();
    await forward.release();
  }

  // The result: every frozen tensor as given, the top from the best epoch.
  const tensors = new Map(headed.tensors);
  for (const spec of vitTopParameters(config)) {
    tensors.set(spec.name, { shape: [...spec.shape], data: best.params.get(spec.name)! });
  }
  return {
    weights: { ...headed, tensors },
    freeze,
    preprocessing,
    history,
    bestEpoch: best.epoch,
    stoppedEarly,
    trunkSeconds,
  };
}
