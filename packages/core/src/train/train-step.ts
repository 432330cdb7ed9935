import { GraphBuilder } from '../onnx/graph-builder.js';
import { Tape, type Value } from './autodiff/tape.js';
import { emitVitTop, type ParameterSpec, type VitTopConfig, vitTopParameters } from './vit-top.js';

/** AdamW constants baked into the train-step graph (PyTorch's defaults apart from decay). */
export interface AdamWConstants {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWConstants = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0.01,
};

/** Names of the graph's inputs and outputs for one parameter. */
export interface ParameterSlots {
  readonly spec: ParameterSpec;
  readonly input: string;
  readonly expAvgInput: string;
  readonly expAvgSqInput: string;
  readonly output: string;
  readonly expAvgOutput: string;
  readonly expAvgSqOutput: string;
}

/** A serialised train-step graph with the names a trainer needs to drive it. */
export interface TrainStepGraph {
  readonly model: Uint8Array;
  readonly parameters: readonly ParameterSlots[];
  readonly inputs: {
    readonly hidden: string;
    readonly target: string;
    readonly weight: string;
    readonly lr: string;
    readonly stepSize: string;
    readonly biasCorrection2Sqrt: string;
  };
  readonly outputs: { readonly loss: string; readonly logits: string };
}

/** Names of the inference ("eval") graph of the top: hidden state in, logits out. */
export interface TopForwardGraph {
  readonly model: Uint8Array;
  readonly parameters: readonly ParameterSpec[];
  readonly hidden: string;
  readonly logits: string;
}

function slotsOf(spec: ParameterSpec): ParameterSlots {
  return {
    spec,
    input: spec.name,
    expAvgInput: `${spec.name}.exp_avg`,
    expAvgSqInput: `${spec.name}.exp_avg_sq`,
    output: `${spec.name}.next`,
    expAvgOutput: `${spec.name}.exp_avg.next`,
    expAvgSqOutput: `${spec.name}.exp_avg_sq.next`,
  };
}

/**
 * Emits one AdamW update the way torch.optim.AdamW (single-tensor path) computes it:
 * decay, then the moments, then `p -= stepSize * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)`,
 * with `stepSize = lr / (1 - beta1^t)` computed by the caller in double precision.
 */
function emitAdamW(
  tape: Tape,
  slots: ParameterSlots,
  grad: string,
  scalars: { lr: string; stepSize: string; bc2Sqrt: string },
  adam: AdamWConstants,
): void {
  const g = tape.graph;
  const op = (type: string, inputs: string[]) => g.op(type, inputs);
  const s = (v: number) => tape.scalar(v);
  const shape = slots.spec.shape;

  let param = slots.input;
  if (slots.spec.decay && adam.weightDecay !== 0) {
    const keep = op('Sub', [s(1), op('Mul', [scalars.lr, s(adam.weightDecay)])]);
    param = op('Mul', [param, keep]);
  }

  // exp_avg.lerp_(grad, 1 - beta1) is m + (1 - beta1) * (g - m). The last node of each
  // update writes the graph output itself, so no Identity copies the tensors out.
  const named = (type: string, inputs: string[], name: string) => {
    g.node(type, inputs, { outputs: [name] });
    g.output(name, 'float32', shape);
    return name;
  };
  const m = named(
    'Add',
    [slots.expAvgInput, op('Mul', [op('Sub', [grad, slots.expAvgInput]), s(1 - adam.beta1)])],
    slots.expAvgOutput,
  );
  const v = named(
    'Add',
    [
      op('Mul', [slots.expAvgSqInput, s(adam.beta2)]),
      op('Mul', [op('Mul', [grad, grad]), s(1 - adam.beta2)]),
    ],
    slots.expAvgSqOutput,
  );
  const denom = op('Add', [op('Div', [op('Sqrt', [v]), scalars.bc2Sqrt]), s(adam.epsilon)]);
  named('Sub', [param, op('Mul', [op('Div', [m, denom]), scalars.stepSize])], slots.output);
}

/**
 * Builds the train-step graph of a ViT top: from the cached hidden states, one-hot targets and
 * per-event loss weights, it computes the loss, the logits, all gradients and the AdamW update,
 * and returns the updated parameters and moments as outputs. Parameters stay in the caller's
 * memory between steps.
 */
export function buildTrainStepGraph(
  config: VitTopConfig,
  adam: AdamWConstants = DEFAULT_ADAMW,
): TrainStepGraph {
  const tape = new Tape(new GraphBuilder({ name: 'jetlens_vit_top_train_step' }));
  const specs = vitTopParameters(config);
  const slots = specs.map(slotsOf);

  const hidden = tape.input('hidden', ['batch', config.numTokens, config.hiddenSize]);
  const target = tape.input('target', ['batch', config.numLabels]);
  const weight = tape.input('weight', ['batch']);
  const params = new Map<string, Value>();
  for (const slot of slots) {
    params.set(slot.spec.name, tape.input(slot.input, slot.spec.shape, true));
    tape.graph.input(slot.expAvgInput, 'float32', slot.spec.shape);
    tape.graph.input(slot.expAvgSqInput, 'float32', slot.spec.shape);
  }
  const lr = tape.graph.input('lr', 'float32', []);
  const stepSize = tape.graph.input('step_size', 'float32', []);
  const bc2Sqrt = tape.graph.input('bias_correction2_sqrt', 'float32', []);

  const logits = emitVitTop(tape, config, hidden, params);
  const loss = tape.softmaxCrossEntropy(logits, target, weight);
  const grads = tape.gradients(loss, [...params.values()]);
  slots.forEach((slot, i) => {
    emitAdamW(tape, slot, grads[i]!, { lr, stepSize, bc2Sqrt }, adam);
  });

  tape.output(loss.name, 'loss', []);
  tape.output(logits.name, 'logits', ['batch', config.numLabels]);
  return {
    model: tape.graph.toModelBytes(),
    parameters: slots,
    inputs: {
      hidden: 'hidden',
      target: 'target',
      weight: 'weight',
      lr: 'lr',
      stepSize: 'step_size',
      biasCorrection2Sqrt: 'bias_correction2_sqrt',
    },
    outputs: { loss: 'loss', logits: 'logits' },
  };
}

/** Builds the forward-only graph of the same top, for validation and parity checks. */
export function buildTopForwardGraph(config: VitTopConfig): TopForwardGraph {
  const tape = new Tape(new GraphBuilder({ name: 'jetlens_vit_top_forward' }));
  const specs = vitTopParameters(config);
  const hidden = tape.input('hidden', ['batch', config.numTokens, config.hiddenSize]);
  const params = new Map<string, Value>();
  for (const spec of specs) params.set(spec.name, tape.input(spec.name, spec.shape));
  const logits = emitVitTop(tape, config, hidden, params);
  tape.output(logits.name, 'logits', ['batch', config.numLabels]);
  return {
    model: tape.graph.toModelBytes(),
    parameters: specs,
    hidden: 'hidden',
    logits: 'logits',
  };
}
