import { attr } from '../onnx/attribute.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { patchGrid, tokenCount, type ViTConfig } from './config.js';
import { layerTensorName, type ViTWeights } from './weights.js';

/** Names of the graph's inputs and outputs. Sessions pick outputs by these names. */
export const VIT_VALUES = {
  /** Input `[batch, channel, height, width]`, preprocessed as the checkpoint expects. */
  pixelValues: 'pixel_values',
  /** Input `[batch, token, hidden]` of a graph that starts at layer `fromLayer`. */
  hiddenStateIn: 'hidden_state_in',
  /** Output `[batch, class]`: the classifier's logits (before softmax). */
  logits: 'logits',
  /**
   * Output `[batch, layer, head, query, key]`: the softmax attention probabilities of every
   * layer the graph runs (rows sum to one; token 0 is CLS, then patches in row-major order).
   */
  attentions: 'attentions',
  /** Output `[batch, token, hidden]`: the hidden state after `hiddenAfterLayer` layers. */
  hiddenState: 'hidden_state',
} as const;

/** What a ViT graph computes; see {@link buildViTGraph}. */
export interface ViTGraphOptions {
  /**
   * Index of the first encoder layer to run (default 0). At 0 the graph reads
   * `pixel_values`; above 0 it reads `hidden_state_in`, the hidden state after that many
   * layers (what a graph with `hiddenAfterLayer: fromLayer` wrote), so a frozen trunk's
   * output can be cached and only the top layers run again.
   */
  readonly fromLayer?: number;
  readonly outputs?: {
    /** Emit `logits` (default true). Needs a classifier. */
    readonly logits?: boolean;
    /** Emit `attentions` for the layers run (default false). */
    readonly attentions?: boolean;
    /**
     * Emit `hidden_state` after this many layers (HF's `hidden_states[n]`, before the final
     * layer norm). Without logits and attentions the graph stops there.
     */
    readonly hiddenAfterLayer?: number;
  };
  /**
   * Tensors (by HF name) to declare as graph inputs instead of constants, so that a training
   * step can feed their current values.
   */
  readonly weightInputs?: readonly string[];
}

/** A built graph: the model bytes and what they compute. */
export interface ViTGraph {
  readonly bytes: Uint8Array;
  /** Layers run, `[from, to)`. The attentions output holds these, in order. */
  readonly layers: readonly [number, number];
  readonly inputName: string;
  readonly outputNames: readonly string[];
}

function checkLayer(what: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what}: expected an integer in ${min}..${max}, got ${value}`);
  }
}

/**
 * Emits a ViT's operations into a {@link GraphBuilder}, reading each weight through
 * `param(hfName)` (which returns the graph value holding it, in PyTorch's layout). Exposed so
 * that other graphs (a training step) can reuse the forward pass.
 */
export class ViTEmitter {
  readonly #g: GraphBuilder;
  readonly #config: ViTConfig;
  readonly #param: (name: string) => string;

  constructor(g: GraphBuilder, config: ViTConfig, param: (name: string) => string) {
    this.#g = g;
    this.#config = config;
    this.#param = param;
  }

  /** `[batch, C, H, W]` pixels to `[batch, token, hidden]` embeddings (CLS + patches). */
  embeddings(pixelValues: string): string {
    const g = this.#g;
    const c = this.#config;
    const [ph, pw] = c.patchSize;

    // patchify: one strided convolution, then [batch, hidden, patch] -> [batch, patch, hidden]
    const grid = g.op(
      'Conv',
      [
        pixelValues,
        this.#param('vit.embeddings.patch_embeddings.projection.weight'),
        this.#param('vit.embeddings.patch_embeddings.projection.bias'),
      ],
      {
        attributes: { kernel_shape: attr.ints([ph, pw]), strides: attr.ints([ph, pw]) },
        name: 'patch_grid',
      },
    );
    const flat = g.op('Reshape', [
      grid,
      g.int64Constant('patch_flat_shape', [0, c.hiddenSize, -1]),
    ]);
    const patches = g.op('Transpose', [flat], {
      attributes: { perm: attr.ints([0, 2, 1]) },
      name: 'patches',
    });

    // one CLS token per image in front of the patches
    const batch = g.op('Shape', [pixelValues], {
      attributes: { start: attr.int(0), end: attr.int(1) },
      name: 'batch_size',
    });
    const clsShape = g.op('Concat', [batch, g.int64Constant('cls_tail', [1, c.hiddenSize])], {
      attributes: { axis: attr.int(0) },
      name: 'cls_shape',
    });
    const cls = g.op('Expand', [this.#param('vit.embeddings.cls_token'), clsShape], {
      name: 'cls_tokens',
    });
    const tokens = g.op('Concat', [cls, patches], {
      attributes: { axis: attr.int(1) },
      name: 'tokens',
    });
    return g.op('Add', [tokens, this.#param('vit.embeddings.position_embeddings')], {
      name: 'embeddings',
    });
  }

  /**
   * One pre-norm encoder layer. Returns the layer's output and its attention probabilities
   * `[batch, head, query, key]`.
   */
  layer(index: number, hidden: string): { hidden: string; attention: string } {
    const g = this.#g;
    const c = this.#config;
    const heads = c.numAttentionHeads;
    const headSize = c.hiddenSize / heads;
    const p = (suffix: string) => this.#param(layerTensorName(index, suffix));
    const prefix = `layer${index}`;

    const normed = this.#layerNorm(
      hidden,
      p('layernorm_before.weight'),
      p('layernorm_before.bias'),
      `${prefix}.norm1`,
    );

    // query, key and value in one matmul: [batch, token, 3 * hidden]
    const weights = ['query', 'key', 'value'].map((n) => p(`attention.attention.${n}.weight`));
    const qkvWeight = g.op('Concat', weights, {
      attributes: { axis: attr.int(0) },
      name: `${prefix}.qkv_weight`,
    });
    let qkv = this.#matmulTransposed(normed, qkvWeight, `${prefix}.qkv`);
    if (c.qkvBias) {
      const biases = ['query', 'key', 'value'].map((n) => p(`attention.attention.${n}.bias`));
      const qkvBias = g.op('Concat', biases, {
        attributes: { axis: attr.int(0) },
        name: `${prefix}.qkv_bias`,
      });
      qkv = g.op('Add', [qkv, qkvBias], { name: `${prefix}.qkv_biased` });
    }

    // split heads: [batch, token, 3 * heads, head] -> [batch, 3 * heads, token, head]
    const split = g.op('Reshape', [
      qkv,
      g.int64Constant(`${prefix}.qkv_shape`, [0, 0, 3 * heads, headSize]),
    ]);
    const byHead = g.op('Transpose', [split], {
      attributes: { perm: attr.ints([0, 2, 1, 3]) },
      name: `${prefix}.qkv_heads`,
    });
    const [query, key, value] = g.node(
      'Split',
      [byHead, g.int64Constant(`${prefix}.qkv_split`, [heads, heads, heads])],
      {
        attributes: { axis: attr.int(1) },
        outputs: [`${prefix}.query`, `${prefix}.key`, `${prefix}.value`].map((n) =>
          g.uniqueName(n),
        ),
      },
    ) as [string, string, string];

    // scaled dot-product attention; the 1/sqrt(head) scale is applied to the queries
    const scale = g.floatConstant(`${prefix}.attention_scale`, [1 / Math.sqrt(headSize)]);
    const scaledQuery = g.op('Mul', [query, scale], { name: `${prefix}.query_scaled` });
    const keyT = g.op('Transpose', [key], {
      attributes: { perm: attr.ints([0, 1, 3, 2]) },
      name: `${prefix}.key_t`,
    });
    const scores = g.op('MatMul', [scaledQuery, keyT], { name: `${prefix}.scores` });
    const attention = g.op('Softmax', [scores], {
      attributes: { axis: attr.int(-1) },
      name: `${prefix}.attention`,
    });
    const context = g.op('MatMul', [attention, value], { name: `${prefix}.context` });
    const merged = g.op('Transpose', [context], {
      attributes: { perm: attr.ints([0, 2, 1, 3]) },
      name: `${prefix}.context_t`,
    });
    const joined = g.op('Reshape', [
      merged,
      g.int64Constant(`${prefix}.context_shape`, [0, 0, c.hiddenSize]),
    ]);
    const attended = this.#linear(
      joined,
      p('attention.output.dense.weight'),
      p('attention.output.dense.bias'),
      `${prefix}.attention_out`,
    );
    const residual = g.op('Add', [hidden, attended], { name: `${prefix}.residual1` });

    // MLP block
    const normed2 = this.#layerNorm(
      residual,
      p('layernorm_after.weight'),
      p('layernorm_after.bias'),
      `${prefix}.norm2`,
    );
    const expanded = this.#linear(
      normed2,
      p('intermediate.dense.weight'),
      p('intermediate.dense.bias'),
      `${prefix}.intermediate`,
    );
    const activated = this.#activation(expanded, `${prefix}.act`);
    const projected = this.#linear(
      activated,
      p('output.dense.weight'),
      p('output.dense.bias'),
      `${prefix}.mlp_out`,
    );
    const output = g.op('Add', [residual, projected], { name: `${prefix}.output` });
    return { hidden: output, attention };
  }

  /** Final layer norm on the CLS token, then the classifier: `[batch, class]` logits. */
  head(hidden: string, logitsName: string): string {
    const g = this.#g;
    const cls = g.op('Gather', [hidden, g.int64Constant('cls_index', [0], [])], {
      attributes: { axis: attr.int(1) },
      name: 'cls',
    });
    // the final layer norm is per token, so normalising only CLS gives HF's result
    const normed = this.#layerNorm(
      cls,
      this.#param('vit.layernorm.weight'),
      this.#param('vit.layernorm.bias'),
      'cls_norm',
    );
    const projected = this.#matmulTransposed(
      normed,
      this.#param('classifier.weight'),
      'classifier',
    );
    return g.op('Add', [projected, this.#param('classifier.bias')], { outputs: [logitsName] });
  }

  #layerNorm(x: string, scale: string, bias: string, name: string): string {
    return this.#g.op('LayerNormalization', [x, scale, bias], {
      attributes: { axis: attr.int(-1), epsilon: attr.float(this.#config.layerNormEps) },
      name,
    });
  }

  /** x · Wᵀ for a PyTorch `[out, in]` weight; onnxruntime folds the constant transpose. */
  #matmulTransposed(x: string, weight: string, name: string): string {
    const g = this.#g;
    const weightT = g.op('Transpose', [weight], {
      attributes: { perm: attr.ints([1, 0]) },
      name: `${name}.weight_t`,
    });
    return g.op('MatMul', [x, weightT], { name });
  }

  #linear(x: string, weight: string, bias: string, name: string): string {
    return this.#g.op('Add', [this.#matmulTransposed(x, weight, `${name}.matmul`), bias], { name });
  }

  #activation(x: string, name: string): string {
    const g = this.#g;
    switch (this.#config.hiddenAct) {
      case 'relu':
        return g.op('Relu', [x], { name });
      case 'gelu': {
        // exact GELU, 0.5 x (1 + erf(x / sqrt 2)), written in the form onnxruntime fuses
        const scaled = g.op('Div', [x, g.floatConstant('sqrt2', [Math.SQRT2])], {
          name: `${name}.div`,
        });
        const erf = g.op('Erf', [scaled], { name: `${name}.erf` });
        const onePlus = g.op('Add', [erf, g.floatConstant('one', [1])], { name: `${name}.add` });
        const product = g.op('Mul', [x, onePlus], { name: `${name}.mul` });
        return g.op('Mul', [product, g.floatConstant('half', [0.5])], { name });
      }
      case 'gelu_new':
      case 'gelu_pytorch_tanh': {
        // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        const cube = g.op('Mul', [x, g.op('Mul', [x, x], { name: `${name}.sq` })], {
          name: `${name}.cube`,
        });
        const inner = g.op('Add', [x, g.op('Mul', [cube, g.floatConstant('gelu_c', [0.044715])])], {
          name: `${name}.inner`,
        });
        const tanh = g.op(
          'Tanh',
          [g.op('Mul', [inner, g.floatConstant('gelu_k', [Math.sqrt(2 / Math.PI)])])],
          { name: `${name}.tanh` },
        );
        const onePlus = g.op('Add', [tanh, g.floatConstant('one', [1])], { name: `${name}.add` });
        return g.op('Mul', [g.op('Mul', [x, onePlus]), g.floatConstant('half', [0.5])], { name });
      }
    }
  }
}

/**
 * Builds the ONNX graph of a ViT from its weights. By default it reads `pixel_values`
 * `[batch, C, H, W]` and emits `logits`; see {@link ViTGraphOptions} for attentions, cached
 * hidden states and graphs that run only the top layers. The batch dimension is dynamic.
 * Weights are stored in PyTorch's layout under their Hugging Face names.
 */
export function buildViTGraph(weights: ViTWeights, options: ViTGraphOptions = {}): ViTGraph {
  const config = weights.config;
  const layerCount = config.numHiddenLayers;
  const fromLayer = options.fromLayer ?? 0;
  checkLayer('fromLayer', fromLayer, 0, layerCount);
  const wantLogits = options.outputs?.logits ?? true;
  const wantAttentions = options.outputs?.attentions ?? false;
  const hiddenAfter = options.outputs?.hiddenAfterLayer;
  if (hiddenAfter !== undefined) {
    checkLayer('outputs.hiddenAfterLayer', hiddenAfter, fromLayer, layerCount);
  }
  if (wantAttentions && fromLayer === layerCount) {
    throw new RangeError(`outputs.attentions: a graph from layer ${fromLayer} runs no layers`);
  }
  if (!wantLogits && !wantAttentions && hiddenAfter === undefined) {
    throw new RangeError('outputs: ask for at least one of logits, attentions, hiddenAfterLayer');
  }
  if (wantLogits && !weights.hasClassifier) {
    throw new RangeError(
      'outputs.logits: these weights have no classifier (a ViTModel backbone); add a head ' +
        'with withNewHead(weights, { labels, seed }) or ask for hidden states only',
    );
  }
  const toLayer = wantLogits || wantAttentions ? layerCount : (hiddenAfter ?? layerCount);

  const g = new GraphBuilder({ name: 'jetlens-vit' });
  const trainable = new Set(options.weightInputs ?? []);
  const params = new Map<string, string>();
  const param = (name: string): string => {
    const known = params.get(name);
    if (known !== undefined) {
      return known;
    }
    const tensor = weights.tensors.get(name);
    if (tensor === undefined) {
      throw new RangeError(`ViT weights: no tensor named '${name}'`);
    }
    const value = trainable.has(name)
      ? g.input(name, 'float32', tensor.shape)
      : g.initializer(name, tensor.data, tensor.shape);
    params.set(name, value);
    return value;
  };
  for (const name of trainable) {
    if (!weights.tensors.has(name)) {
      throw new RangeError(`weightInputs: no tensor named '${name}' in the weights`);
    }
  }

  const tokens = tokenCount(config);
  const [height, width] = config.imageSize;
  const inputName = fromLayer === 0 ? VIT_VALUES.pixelValues : VIT_VALUES.hiddenStateIn;
  const emit = new ViTEmitter(g, config, param);
  let hidden =
    fromLayer === 0
      ? emit.embeddings(g.input(inputName, 'float32', ['batch', config.numChannels, height, width]))
      : g.input(inputName, 'float32', ['batch', tokens, config.hiddenSize]);

  const outputs: string[] = [];
  const attentions: string[] = [];
  for (let layer = fromLayer; layer < toLayer; layer++) {
    if (hiddenAfter === layer) {
      g.node('Identity', [hidden], { outputs: [VIT_VALUES.hiddenState] });
    }
    const result = emit.layer(layer, hidden);
    hidden = result.hidden;
    attentions.push(result.attention);
  }
  if (hiddenAfter === toLayer) {
    g.node('Identity', [hidden], { outputs: [VIT_VALUES.hiddenState] });
  }
  if (hiddenAfter !== undefined) {
    g.output(VIT_VALUES.hiddenState, 'float32', ['batch', tokens, config.hiddenSize]);
    outputs.push(VIT_VALUES.hiddenState);
  }

  if (wantLogits) {
    g.output(emit.head(hidden, VIT_VALUES.logits), 'float32', ['batch', config.labels.length]);
    outputs.push(VIT_VALUES.logits);
  }
  if (wantAttentions) {
    // stack [batch, head, query, key] per layer into [batch, layer, head, query, key]
    const axis = g.int64Constant('layer_axis', [1]);
    const stacked = attentions.map((a) => g.op('Unsqueeze', [a, axis], { name: `${a}.stacked` }));
    g.node('Concat', stacked, {
      attributes: { axis: attr.int(1) },
      outputs: [VIT_VALUES.attentions],
    });
    const dims = ['batch', toLayer - fromLayer, config.numAttentionHeads, tokens, tokens];
    g.output(VIT_VALUES.attentions, 'float32', dims);
    outputs.push(VIT_VALUES.attentions);
  }

  g.metadata('jetlens.vit.layers', `${fromLayer}..${toLayer}`);
  g.metadata('jetlens.vit.patch_grid', `${patchGrid(config).rows}x${patchGrid(config).cols}`);
  g.metadata('jetlens.vit.labels', JSON.stringify(config.labels));
  return { bytes: g.toModelBytes(), layers: [fromLayer, toLayer], inputName, outputNames: outputs };
}
