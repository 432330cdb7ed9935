import { type Attributes, attr } from '../../onnx/attribute.js';
import { type Dim, GraphBuilder } from '../../onnx/graph-builder.js';

/** A float32 tensor in the graph being built: its ONNX name and its (partly symbolic) shape. */
export interface Value {
  readonly name: string;
  readonly shape: readonly Dim[];
  /** True when some trainable parameter flows into it, so a gradient must reach it. */
  readonly requiresGrad: boolean;
}

type Backward = (gradOutput: string) => void;

interface Step {
  readonly output: Value;
  readonly backward: Backward;
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The product of dims: a number when all are fixed, else a symbolic name like `batch*17`. */
export function productDim(dims: readonly Dim[]): Dim {
  if (dims.every((d) => typeof d === 'number')) return dims.reduce<number>((p, d) => p * d, 1);
  return dims.filter((d) => d !== 1).join('*');
}

/** Broadcast two shapes the numpy way; symbolic dims must match exactly or meet a 1. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new RangeError(`cannot broadcast shapes [${a.join(',')}] and [${b.join(',')}]`);
  }
  return out;
}

/**
 * Reverse-mode automatic differentiation over an ONNX graph. Each forward operation emits its
 * ONNX node and records how to emit the nodes of its gradient; `gradients` then walks the
 * records backwards. Everything is float32, the type the ViT and its training run in.
 */
export class Tape {
  readonly graph: GraphBuilder;
  readonly #steps: Step[] = [];
  readonly #grads = new Map<string, string>();
  readonly #scalars = new Map<number, string>();

  constructor(graph: GraphBuilder = new GraphBuilder()) {
    this.graph = graph;
  }

  // ---- leaves -------------------------------------------------------------------------------

  /** A graph input; `requiresGrad` marks a trainable parameter. */
  input(name: string, shape: readonly Dim[], requiresGrad = false): Value {
    this.graph.input(name, 'float32', shape);
    return { name, shape, requiresGrad };
  }

  /** Exposes float32 `value` as the graph output `name` (through an Identity node). */
  output(value: string, name: string, shape: readonly Dim[]): void {
    this.graph.op('Identity', [value], { outputs: [name] });
    this.graph.output(name, 'float32', shape);
  }

  /** A float32 constant stored in the graph. */
  constant(stem: string, data: Float32Array, shape: readonly number[]): Value {
    const name = this.graph.initializer(this.graph.uniqueName(stem), data, shape);
    return { name, shape, requiresGrad: false };
  }

  /** A float32 scalar constant, shared between all uses of the same value. */
  scalar(value: number): string {
    const known = this.#scalars.get(value);
    if (known !== undefined) return known;
    const name = this.graph.floatConstant('scalar', [value]);
    this.#scalars.set(value, name);
    return name;
  }

  /** An int64 vector constant (axes, shapes, pads). */
  ints(values: readonly number[]): string {
    return this.graph.int64Constant('ints', values);
  }

  #op(opType: string, inputs: readonly string[], attributes: Attributes = {}): string {
    return this.graph.op(opType, inputs, { attributes });
  }

  #record(name: string, shape: readonly Dim[], parents: readonly Value[], backward: Backward) {
    const requiresGrad = parents.some((p) => p.requiresGrad);
    const output: Value = { name, shape, requiresGrad };
    if (requiresGrad) this.#steps.push({ output, backward });
    return output;
  }

  #accumulate(target: Value, grad: string): void {
    if (!target.requiresGrad) return;
    const known = this.#grads.get(target.name);
    this.#grads.set(target.name, known === undefined ? grad : this.#op('Add', [known, grad]));
  }

  /** Sums `grad` (shaped like `outShape`) down to `target`'s shape after broadcasting. */
  #unbroadcast(grad: string, outShape: readonly Dim[], target: Value): string {
    const offset = outShape.length - target.shape.length;
    const axes: number[] = [];
    for (let i = 0; i < outShape.length; i++) {
      const d = i < offset ? 1 : target.shape[i - offset];
      if (i < offset || (d === 1 && outShape[i] !== 1)) axes.push(i);
    }
    if (axes.length === 0) return grad;
    const summed = this.#op('ReduceSum', [grad, this.ints(axes)], { keepdims: attr.int(1) });
    if (offset === 0) return summed;
    const fixed = target.shape.every((d) => typeof d === 'number');
    const shape = fixed ? this.ints(target.shape as number[]) : this.#op('Shape', [target.name]);
    return this.#op('Reshape', [summed, shape]);
  }

  // ---- elementwise --------------------------------------------------------------------------

  add(a: Value, b: Value): Value {
    const shape = broadcastShapes(a.shape, b.shape);
    const name = this.#op('Add', [a.name, b.name]);
    return this.#record(name, shape, [a, b], (g) => {
      this.#accumulate(a, this.#unbroadcast(g, shape, a));
      this.#accumulate(b, this.#unbroadcast(g, shape, b));
    });
  }

  mul(a: Value, b: Value): Value {
    const shape = broadcastShapes(a.shape, b.shape);
    const name = this.#op('Mul', [a.name, b.name]);
    return this.#record(name, shape, [a, b], (g) => {
      if (a.requiresGrad)
        this.#accumulate(a, this.#unbroadcast(this.#op('Mul', [g, b.name]), shape, a));
      if (b.requiresGrad)
        this.#accumulate(b, this.#unbroadcast(this.#op('Mul', [g, a.name]), shape, b));
    });
  }

  /** `x * factor` for a fixed number. */
  scale(x: Value, factor: number): Value {
    const s = this.scalar(factor);
    const name = this.#op('Mul', [x.name, s]);
    return this.#record(name, x.shape, [x], (g) => this.#accumulate(x, this.#op('Mul', [g, s])));
  }

  /** The exact (erf) GELU of the original ViT: x * Phi(x). */
  gelu(x: Value): Value {
    const erf = this.#op('Erf', [this.#op('Mul', [x.name, this.scalar(SQRT1_2)])]);
    const cdf = this.#op('Mul', [this.#op('Add', [erf, this.scalar(1)]), this.scalar(0.5)]);
    const name = this.#op('Mul', [x.name, cdf]);
    return this.#record(name, x.shape, [x], (g) => {
      // d/dx x*Phi(x) = Phi(x) + x*phi(x), with phi the standard normal density.
      const x2 = this.#op('Mul', [x.name, x.name]);
      const density = this.#op('Mul', [
        this.#op('Exp', [this.#op('Mul', [x2, this.scalar(-0.5)])]),
        this.scalar(INV_SQRT_2PI),
      ]);
      const slope = this.#op('Add', [cdf, this.#op('Mul', [x.name, density])]);
      this.#accumulate(x, this.#op('Mul', [g, slope]));
    });
  }

  // ---- linear algebra -----------------------------------------------------------------------

  /**
   * A dense layer in Hugging Face layout: `x[N,in] @ weight[out,in]^T + bias[out]`, one Gemm.
   */
  linear(x: Value, weight: Value, bias: Value): Value {
    if (x.shape.length !== 2 || weight.shape.length !== 2 || bias.shape.length !== 1) {
      throw new RangeError(
        'linear expects x[N,in], weight[out,in], bias[out]; ' +
          `got [${x.shape}], [${weight.shape}], [${bias.shape}]`,
      );
    }
    if (x.shape[1] !== weight.shape[1] || weight.shape[0] !== bias.shape[0]) {
      throw new RangeError(
        `linear: x[N,${x.shape[1]}] does not fit weight[${weight.shape}] and bias[${bias.shape}]`,
      );
    }
    const shape = [x.shape[0]!, weight.shape[0]!];
    const name = this.#op('Gemm', [x.name, weight.name, bias.name], { transB: attr.int(1) });
    return this.#record(name, shape, [x, weight, bias], (g) => {
      if (x.requiresGrad) this.#accumulate(x, this.#op('MatMul', [g, weight.name]));
      if (weight.requiresGrad) {
        this.#accumulate(weight, this.#op('Gemm', [g, x.name], { transA: attr.int(1) }));
      }
      if (bias.requiresGrad) {
        this.#accumulate(
          bias,
          this.#op('ReduceSum', [g, this.ints([0])], { keepdims: attr.int(0) }),
        );
      }
    });
  }

  /** Batched matrix product of two tensors of the same rank (>= 2) and batch dims. */
  matmul(a: Value, b: Value): Value {
    const r = a.shape.length;
    if (r < 2 || b.shape.length !== r) {
      throw new RangeError(
        `matmul expects two tensors of one rank >= 2; got [${a.shape}], [${b.shape}]`,
      );
    }
    if (a.shape[r - 1] !== b.shape[r - 2]) {
      throw new RangeError(`matmul: inner dims differ, [${a.shape}] @ [${b.shape}]`);
    }
    const shape = [...a.shape.slice(0, r - 1), b.shape[r - 1]!];
    const name = this.#op('MatMul', [a.name, b.name]);
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    return this.#record(name, shape, [a, b], (g) => {
      if (a.requiresGrad) {
        const bT = this.#op('Transpose', [b.name], { perm: attr.ints(perm) });
        this.#accumulate(a, this.#op('MatMul', [g, bT]));
      }
      if (b.requiresGrad) {
        const aT = this.#op('Transpose', [a.name], { perm: attr.ints(perm) });
        this.#accumulate(b, this.#op('MatMul', [aT, g]));
      }
    });
  }

  // ---- normalisation ------------------------------------------------------------------------

  /** LayerNormalization over the last axis, with scale `gamma` and shift `beta`. */
  layerNorm(x: Value, gamma: Value, beta: Value, epsilon: number): Value {
    const r = x.shape.length;
    if (gamma.shape.length !== 1 || gamma.shape[0] !== x.shape[r - 1]) {
      throw new RangeError(`layerNorm: gamma[${gamma.shape}] does not fit x[${x.shape}]`);
    }
    const [name, mean, invStd] = this.graph.node(
      'LayerNormalization',
      [x.name, gamma.name, beta.name],
      {
        attributes: { axis: attr.int(-1), epsilon: attr.float(epsilon) },
        count: 3,
      },
    ) as [string, string, string];
    return this.#record(name, x.shape, [x, gamma, beta], (g) => {
      const xHat = this.#op('Mul', [this.#op('Sub', [x.name, mean]), invStd]);
      const lead = this.ints([...Array(r - 1).keys()]);
      if (gamma.requiresGrad) {
        const gg = this.#op('ReduceSum', [this.#op('Mul', [g, xHat]), lead], {
          keepdims: attr.int(0),
        });
        this.#accumulate(gamma, gg);
      }
      if (beta.requiresGrad) {
        this.#accumulate(beta, this.#op('ReduceSum', [g, lead], { keepdims: attr.int(0) }));
      }
      if (x.requiresGrad) {
        // dx = invStd * (gx - mean(gx) - xHat * mean(gx * xHat)), gx = g * gamma, means over
        // the normalised axis.
        // Opset 17's ReduceMean takes its axes as an attribute.
        const last = { axes: attr.ints([-1]), keepdims: attr.int(1) };
        const gx = this.#op('Mul', [g, gamma.name]);
        const meanG = this.#op('ReduceMean', [gx], last);
        const meanGX = this.#op('ReduceMean', [this.#op('Mul', [gx, xHat])], last);
        const centred = this.#op('Sub', [
          this.#op('Sub', [gx, meanG]),
          this.#op('Mul', [xHat, meanGX]),
        ]);
        this.#accumulate(x, this.#op('Mul', [centred, invStd]));
      }
    });
  }

  /** Softmax over the last axis. */
  softmax(x: Value): Value {
    const name = this.#op('Softmax', [x.name], { axis: attr.int(-1) });
    return this.#record(name, x.shape, [x], (g) => {
      // dx = p * (g - sum(g * p)), the sum over the softmax axis.
      const dot = this.#op('ReduceSum', [this.#op('Mul', [g, name]), this.ints([-1])], {
        keepdims: attr.int(1),
      });
      this.#accumulate(x, this.#op('Mul', [name, this.#op('Sub', [g, dot])]));
    });
  }

  // ---- shape --------------------------------------------------------------------------------

  /** Reshape to `shape`; at most one symbolic dim, which ONNX infers (-1). */
  reshape(x: Value, shape: readonly Dim[]): Value {
    const symbolic = shape.filter((d) => typeof d !== 'number');
    if (symbolic.length > 1) {
      throw new RangeError(`reshape: at most one symbolic dim, got [${shape.join(',')}]`);
    }
    const target = this.ints(shape.map((d) => (typeof d === 'number' ? d : -1)));
    const name = this.#op('Reshape', [x.name, target]);
    return this.#record(name, shape, [x], (g) => {
      const back = x.shape.filter((d) => typeof d !== 'number').length <= 1;
      const source = back
        ? this.ints(x.shape.map((d) => (typeof d === 'number' ? d : -1)))
        : this.#op('Shape', [x.name]);
      this.#accumulate(x, this.#op('Reshape', [g, source]));
    });
  }

  transpose(x: Value, perm: readonly number[]): Value {
    if (perm.length !== x.shape.length || [...perm].sort().some((p, i) => p !== i)) {
      throw new RangeError(
        `transpose: perm [${perm}] is not a permutation of ${x.shape.length} axes`,
      );
    }
    const shape = perm.map((p) => x.shape[p]!);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const name = this.#op('Transpose', [x.name], { perm: attr.ints(perm) });
    return this.#record(name, shape, [x], (g) => {
      this.#accumulate(x, this.#op('Transpose', [g], { perm: attr.ints(inverse) }));
    });
  }

  /** Picks position `index` along `axis`, dropping that axis (e.g. the CLS token). */
  gather(x: Value, axis: number, index: number): Value {
    const size = x.shape[axis];
    if (typeof size !== 'number' || index < 0 || index >= size) {
      throw new RangeError(`gather: index ${index} outside axis ${axis} of [${x.shape}]`);
    }
    const indexName = this.graph.int64Constant('index', [index], []);
    const name = this.#op('Gather', [x.name, indexName], { axis: attr.int(axis) });
    const shape = x.shape.filter((_, i) => i !== axis);
    return this.#record(name, shape, [x], (g) => {
      // The gradient is zero everywhere except the gathered slice: pad it back into place.
      const expanded = this.#op('Unsqueeze', [g, this.ints([axis])]);
      const pads = new Array<number>(2 * x.shape.length).fill(0);
      pads[axis] = index;
      pads[x.shape.length + axis] = size - 1 - index;
      this.#accumulate(x, this.#op('Pad', [expanded, this.ints(pads)]));
    });
  }

  // ---- losses -------------------------------------------------------------------------------

  /**
   * Weighted softmax cross-entropy: `sum_i weight[i] * -sum_c target[i,c] log softmax(z)[i,c]`.
   * `target` rows are probability vectors (one-hot labels); weights of 1/B give the mean.
   */
  softmaxCrossEntropy(logits: Value, target: Value, weight: Value): Value {
    if (logits.shape.length !== 2 || target.shape.length !== 2 || weight.shape.length !== 1) {
      throw new RangeError(
        'softmaxCrossEntropy expects logits[B,C], target[B,C], weight[B]; ' +
          `got [${logits.shape}], [${target.shape}], [${weight.shape}]`,
      );
    }
    const logProb = this.#op('LogSoftmax', [logits.name], { axis: attr.int(-1) });
    const perEvent = this.#op(
      'ReduceSum',
      [this.#op('Mul', [target.name, logProb]), this.ints([1])],
      {
        keepdims: attr.int(0),
      },
    );
    const weighted = this.#op('Mul', [perEvent, weight.name]);
    const name = this.#op('Neg', [
      this.#op('ReduceSum', [weighted, this.ints([0])], { keepdims: attr.int(0) }),
    ]);
    return this.#record(name, [], [logits], (g) => {
      // d loss / d z = weight * (softmax(z) - target) for target rows that sum to one.
      const w = this.#op('Unsqueeze', [this.#op('Mul', [weight.name, g]), this.ints([1])]);
      const residual = this.#op('Sub', [this.#op('Exp', [logProb]), target.name]);
      this.#accumulate(logits, this.#op('Mul', [residual, w]));
    });
  }

  /** Sum of all elements (a scalar), mostly to turn a tensor into a loss in tests. */
  sum(x: Value): Value {
    const name = this.#op('ReduceSum', [x.name], { keepdims: attr.int(0) });
    return this.#record(name, [], [x], (g) => {
      this.#accumulate(x, this.#op('Expand', [g, this.#op('Shape', [x.name])]));
    });
  }

  // ---- backward -----------------------------------------------------------------------------

  /**
   * Emits the gradient of the scalar `loss` with respect to each of `wrt` and returns their
   * names, in the order given. A parameter the loss does not depend on gets zeros.
   */
  gradients(loss: Value, wrt: readonly Value[]): string[] {
    if (loss.shape.length !== 0)
      throw new RangeError(`gradients: loss must be a scalar, got [${loss.shape}]`);
    this.#grads.clear();
    this.#grads.set(loss.name, this.scalar(1));
    for (let i = this.#steps.length - 1; i >= 0; i--) {
      const step = this.#steps[i]!;
      const g = this.#grads.get(step.output.name);
      if (g !== undefined) step.backward(g);
    }
    return wrt.map((p) => {
      if (!p.requiresGrad) throw new RangeError(`gradients: '${p.name}' is not a parameter`);
      return this.#grads.get(p.name) ?? this.#op('ConstantOfShape', [this.#op('Shape', [p.name])]);
    });
  }
}
