import * as ort from 'onnxruntime-node';
import { createSession, type SessionSettings } from '../runtime/execution-provider.js';
import {
  type AdamWConstants,
  buildTopForwardGraph,
  buildTrainStepGraph,
  DEFAULT_ADAMW,
  type TrainStepGraph,
} from './train-step.js';
import { type VitTopConfig, vitTopParameters } from './vit-top.js';

/** Trainable tensors of a top with their AdamW moments and the number of steps taken. */
export interface TopState {
  readonly params: Map<string, Float32Array>;
  readonly expAvg: Map<string, Float32Array>;
  readonly expAvgSq: Map<string, Float32Array>;
  step: number;
}

/** One batch of cached hidden states with one-hot targets and per-event loss weights. */
export interface TopBatch {
  readonly size: number;
  /** `[size, tokens, hidden]` */
  readonly hidden: Float32Array;
  /** `[size, labels]` */
  readonly target: Float32Array;
  /** `[size]`; 1/size everywhere gives the mean cross-entropy. */
  readonly weight: Float32Array;
}

function checkBatch(config: VitTopConfig, batch: TopBatch): void {
  const { size } = batch;
  if (!Number.isInteger(size) || size <= 0) {
    throw new RangeError(`batch size must be a positive integer, got ${size}`);
  }
  const expected: [string, Float32Array, number][] = [
    ['hidden', batch.hidden, size * config.numTokens * config.hiddenSize],
    ['target', batch.target, size * config.numLabels],
    ['weight', batch.weight, size],
  ];
  for (const [name, data, length] of expected) {
    if (!(data instanceof Float32Array))
      throw new TypeError(`batch.${name}: expected a Float32Array`);
    if (data.length !== length) {
      throw new RangeError(
        `batch.${name}: expected ${length} values for ${size} events, got ${data.length}`,
      );
    }
  }
}

/** A fresh optimiser state around `params` (moments at zero, step 0). */
export function initialTopState(config: VitTopConfig, params: Map<string, Float32Array>): TopState {
  const expAvg = new Map<string, Float32Array>();
  const expAvgSq = new Map<string, Float32Array>();
  for (const spec of vitTopParameters(config)) {
    const value = params.get(spec.name);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (value === undefined) throw new RangeError(`top parameters: missing '${spec.name}'`);
    if (value.length !== size) {
      throw new RangeError(
        `top parameter '${spec.name}': expected ${size} values [${spec.shape}], got ${value.length}`,
      );
    }
    expAvg.set(spec.name, new Float32Array(size));
    expAvgSq.set(spec.name, new Float32Array(size));
  }
  return { params, expAvg, expAvgSq, step: 0 };
}

/** Runs the train-step graph: one AdamW step of the top per call, state kept in JS memory. */
export class TrainStepSession {
  readonly config: VitTopConfig;
  readonly adam: AdamWConstants;
  readonly #graph: TrainStepGraph;
  readonly #session: ort.InferenceSession;

  private constructor(
    config: VitTopConfig,
    adam: AdamWConstants,
    graph: TrainStepGraph,
    session: ort.InferenceSession,
  ) {
    this.config = config;
    this.adam = adam;
    this.#graph = graph;
    this.#session = session;
  }

  static async create(
    config: VitTopConfig,
    adam: AdamWConstants = DEFAULT_ADAMW,
    options: SessionSettings = {},
  ): Promise<TrainStepSession> {
    const graph = buildTrainStepGraph(config, adam);
    const session = await createSession(graph.model, options);
    return new TrainStepSession(config, adam, graph, session);
  }

  /** One optimiser step at learning rate `lr`; replaces the tensors in `state`. */
  async step(
    state: TopState,
    batch: TopBatch,
    lr: number,
  ): Promise<{ loss: number; logits: Float32Array }> {
    checkBatch(this.config, batch);
    if (!Number.isFinite(lr) || lr < 0)
      throw new RangeError(`lr must be a finite number >= 0, got ${lr}`);
    const t = state.step + 1;
    const { beta1, beta2 } = this.adam;
    const scalar = (v: number) => new ort.Tensor('float32', new Float32Array([v]), []);
    const { inputs } = this.#graph;
    const c = this.config;
    const feeds: Record<string, ort.Tensor> = {
      [inputs.hidden]: new ort.Tensor('float32', batch.hidden, [
        batch.size,
        c.numTokens,
        c.hiddenSize,
      ]),
      [inputs.target]: new ort.Tensor('float32', batch.target, [batch.size, c.numLabels]),
      [inputs.weight]: new ort.Tensor('float32', batch.weight, [batch.size]),
      [inputs.lr]: scalar(lr),
      // Bias corrections in double precision, as PyTorch computes them in Python floats.
      [inputs.stepSize]: scalar(lr / (1 - beta1 ** t)),
      [inputs.biasCorrection2Sqrt]: scalar(Math.sqrt(1 - beta2 ** t)),
    };
    for (const slot of this.#graph.parameters) {
      const dims = [...slot.spec.shape];
      feeds[slot.input] = new ort.Tensor('float32', state.params.get(slot.spec.name)!, dims);
      feeds[slot.expAvgInput] = new ort.Tensor('float32', state.expAvg.get(slot.spec.name)!, dims);
      feeds[slot.expAvgSqInput] = new ort.Tensor(
        'float32',
        state.expAvgSq.get(slot.spec.name)!,
        dims,
      );
    }

    const out = await this.#session.run(feeds);

    for (const slot of this.#graph.parameters) {
      state.params.set(slot.spec.name, out[slot.output]!.data as Float32Array);
      state.expAvg.set(slot.spec.name, out[slot.expAvgOutput]!.data as Float32Array);
      state.expAvgSq.set(slot.spec.name, out[slot.expAvgSqOutput]!.data as Float32Array);
    }
    state.step = t;
    const loss = (out[this.#graph.outputs.loss]!.data as Float32Array)[0]!;
    return { loss, logits: out[this.#graph.outputs.logits]!.data as Float32Array };
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}

/** Runs the forward graph of the top: cached hidden states to logits. */
export class TopForwardSession {
  readonly config: VitTopConfig;
  readonly #session: ort.InferenceSession;

  private constructor(config: VitTopConfig, session: ort.InferenceSession) {
    this.config = config;
    this.#session = session;
  }

  static async create(
    config: VitTopConfig,
    options: SessionSettings = {},
  ): Promise<TopForwardSession> {
    const graph = buildTopForwardGraph(config);
    const session = await createSession(graph.model, options);
    return new TopForwardSession(config, session);
  }

  /** Logits `[size, labels]` for `size` events of hidden states `[size, tokens, hidden]`. */
  async logits(
    params: ReadonlyMap<string, Float32Array>,
    hidden: Float32Array,
    size: number,
  ): Promise<Float32Array> {
    const c = this.config;
    if (hidden.length !== size * c.numTokens * c.hiddenSize) {
      throw new RangeError(
        `hidden: expected ${size * c.numTokens * c.hiddenSize} values for ${size} events, ` +
          `got ${hidden.length}`,
      );
    }
    const feeds: Record<string, ort.Tensor> = {
      hidden: new ort.Tensor('float32', hidden, [size, c.numTokens, c.hiddenSize]),
    };
    for (const spec of vitTopParameters(c)) {
      const value = params.get(spec.name);
      if (value === undefined) throw new RangeError(`top parameters: missing '${spec.name}'`);
      feeds[spec.name] = new ort.Tensor('float32', value, [...spec.shape]);
    }
    const out = await this.#session.run(feeds);
    return out.logits!.data as Float32Array;
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}
