import type { Dim } from '../onnx/graph-builder.js';
import { productDim, type Tape, type Value } from './autodiff/tape.js';

/** The shape of the trainable top of a ViT: the last encoder layers, final norm and head. */
export interface VitTopConfig {
  readonly hiddenSize: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly layerNormEps: number;
  /** Tokens per image: patches plus the CLS token. */
  readonly numTokens: number;
  readonly numLabels: number;
  /** Zero-based indices of the encoder layers in the top, e.g. [10, 11] for layers 11-12. */
  readonly layers: readonly number[];
}

/** One trainable tensor of the top: its Hugging Face name and shape. */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** AdamW decays matrices only; biases and norm scales are left undecayed. */
  readonly decay: boolean;
}

const LINEARS = [
  ['attention.attention.query', 'h', 'h'],
  ['attention.attention.key', 'h', 'h'],
  ['attention.attention.value', 'h', 'h'],
  ['attention.output.dense', 'h', 'h'],
  ['intermediate.dense', 'i', 'h'],
  ['output.dense', 'h', 'i'],
] as const;

/** The trainable tensors of the top, in a fixed order, with Hugging Face ViT names. */
export function vitTopParameters(config: VitTopConfig): ParameterSpec[] {
  const size = { h: config.hiddenSize, i: config.intermediateSize };
  const specs: ParameterSpec[] = [];
  for (const layer of config.layers) {
    const prefix = `vit.encoder.layer.${layer}`;
    for (const norm of ['layernorm_before', 'layernorm_after']) {
      specs.push({ name: `${prefix}.${norm}.weight`, shape: [size.h], decay: false });
      specs.push({ name: `${prefix}.${norm}.bias`, shape: [size.h], decay: false });
    }
    for (const [module, out, inp] of LINEARS) {
      specs.push({
        name: `${prefix}.${module}.weight`,
        shape: [size[out], size[inp]],
        decay: true,
      });
      specs.push({ name: `${prefix}.${module}.bias`, shape: [size[out]], decay: false });
    }
  }
  specs.push({ name: 'vit.layernorm.weight', shape: [size.h], decay: false });
  specs.push({ name: 'vit.layernorm.bias', shape: [size.h], decay: false });
  specs.push({ name: 'classifier.weight', shape: [config.numLabels, size.h], decay: true });
  specs.push({ name: 'classifier.bias', shape: [config.numLabels], decay: false });
  return specs;
}

export function validateVitTopConfig(config: VitTopConfig): void {
  const positive = [
    'hiddenSize',
    'numAttentionHeads',
    'intermediateSize',
    'numTokens',
    'numLabels',
  ];
  for (const key of positive) {
    const value = config[key as keyof VitTopConfig];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new RangeError(`ViT top config: ${key} must be a positive integer, got ${value}`);
    }
  }
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    throw new RangeError(
      `ViT top config: hiddenSize ${config.hiddenSize} is not divisible by ` +
        `numAttentionHeads ${config.numAttentionHeads}`,
    );
  }
  if (config.layers.length === 0) throw new RangeError('ViT top config: layers must not be empty');
}

/**
 * Emits the forward pass of the top on `tape`: from the hidden state `[batch, tokens, hidden]`
 * entering the first trained layer to the logits `[batch, labels]`, as Hugging Face's
 * ViTForImageClassification computes it (pre-norm layers, exact GELU, CLS-token head).
 */
export function emitVitTop(
  tape: Tape,
  config: VitTopConfig,
  hidden: Value,
  params: ReadonlyMap<string, Value>,
): Value {
  validateVitTopConfig(config);
  const p = (name: string): Value => {
    const value = params.get(name);
    if (value === undefined) throw new RangeError(`ViT top: missing parameter '${name}'`);
    return value;
  };
  const batch = hidden.shape[0]!;
  const { hiddenSize: h, numAttentionHeads: heads, numTokens: t } = config;
  const headSize = h / heads;
  const rows: Dim = productDim([batch, t]);

  const lastLayer = config.layers[config.layers.length - 1]!;
  let x = tape.reshape(hidden, [rows, h]);
  let cls: Value | undefined;
  for (const layer of config.layers) {
    const at = (name: string) => p(`vit.encoder.layer.${layer}.${name}`);
    const lin = (input: Value, module: string) =>
      tape.linear(input, at(`${module}.weight`), at(`${module}.bias`));
    const norm = (input: Value, which: string) =>
      tape.layerNorm(input, at(`${which}.weight`), at(`${which}.bias`), config.layerNormEps);
    const split = (v: Value, perm: number[]) =>
      tape.transpose(tape.reshape(v, [batch, t, heads, headSize]), perm);
    const clsOf = (v: Value) => tape.gather(tape.reshape(v, [batch, t, h]), 1, 0);

    // Self-attention on the pre-normed state, heads split as [batch, head, token, headSize].
    // The head reads only the CLS token of the last layer's output, so there the queries,
    // the attention output and the MLP are computed for CLS alone; keys and values still
    // come from every token. The logits are the same as the full layer's.
    const last = layer === lastLayer;
    const normed = norm(x, 'layernorm_before');
    const kT = split(lin(normed, 'attention.attention.key'), [0, 2, 3, 1]);
    const v = split(lin(normed, 'attention.attention.value'), [0, 2, 1, 3]);
    const q = last
      ? tape.reshape(lin(clsOf(normed), 'attention.attention.query'), [batch, heads, 1, headSize])
      : split(lin(normed, 'attention.attention.query'), [0, 2, 1, 3]);
    const scores = tape.scale(tape.matmul(q, kT), 1 / Math.sqrt(headSize));
    const context = tape.matmul(tape.softmax(scores), v);
    const merged = last
      ? tape.reshape(context, [batch, h])
      : tape.reshape(tape.transpose(context, [0, 2, 1, 3]), [rows, h]);
    const residual = last ? clsOf(x) : x;
    const attended = tape.add(lin(merged, 'attention.output.dense'), residual);

    // Feed-forward block with its own residual.
    const inner = tape.gelu(lin(norm(attended, 'layernorm_after'), 'intermediate.dense'));
    const out = tape.add(lin(inner, 'output.dense'), attended);
    if (last) cls = out;
    else x = out;
  }

  // The final norm acts per token, so norming the CLS token alone gives the same logits.
  const final = tape.layerNorm(
    cls!,
    p('vit.layernorm.weight'),
    p('vit.layernorm.bias'),
    config.layerNormEps,
  );
  return tape.linear(final, p('classifier.weight'), p('classifier.bias'));
}
