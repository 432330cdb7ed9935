import { endianness } from 'node:os';
import onnxProto from 'onnx-proto';
import { type Attributes, attributeProto } from './attribute.js';

const { onnx } = onnxProto;

/** Element types that JetLens graphs use for inputs, outputs and initializers. */
export type ElementType = 'float32' | 'int64' | 'int32' | 'bool';

/**
 * One dimension of a value's shape: a fixed size, or a symbolic name such as `'batch'` for a
 * size chosen at run time.
 */
export type Dim = number | string;

/** Options of {@link GraphBuilder.node}. */
export interface NodeOptions {
  /** ONNX attributes of the node, built with `attr`. */
  readonly attributes?: Attributes;
  /**
   * Names of the node's outputs. Each must be new to the graph. Without it the builder makes
   * `count` fresh names from `name` (or the op type).
   */
  readonly outputs?: readonly string[];
  /** How many outputs to name when `outputs` is not given (default 1). */
  readonly count?: number;
  /** A readable hint for the node and its outputs, e.g. `layer3.attention.scores`. */
  readonly name?: string;
  /** Operator domain; the default ONNX domain when absent. */
  readonly domain?: string;
}

/** Options of the {@link GraphBuilder} constructor. */
export interface GraphBuilderOptions {
  /** Graph name recorded in the model (default `jetlens`). */
  readonly name?: string;
  /** Version of the default ONNX operator set (default {@link DEFAULT_OPSET}). */
  readonly opsetVersion?: number;
  /** Free text stored as the model's doc string. */
  readonly docString?: string;
}

/**
 * Operator set used by default: 17 is the first with `LayerNormalization`, and
 * onnxruntime 1.30 runs it on every execution provider JetLens uses.
 */
export const DEFAULT_OPSET = 17;

/** ONNX IR version 8 goes with operator sets 15 to 17 (ONNX 1.10 to 1.12). */
const IR_VERSION = 8;

const ELEMENT_TYPES: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  bool: onnx.TensorProto.DataType.BOOL,
};

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function checkFixedDims(what: string, dims: readonly number[]): void {
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${what}: dimensions must be integers >= 0, got [${dims.join(', ')}]`);
    }
  }
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // rawData is little-endian by the ONNX spec; typed arrays use the host's byte order.
  if (endianness() !== 'LE') {
    throw new RangeError('ONNX raw tensor data needs a little-endian host');
  }
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function valueInfo(name: string, elementType: ElementType, dims: readonly Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ELEMENT_TYPES[elementType],
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) =>
            typeof d === 'number'
              ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
              : onnx.TensorShapeProto.Dimension.create({ dimParam: d }),
          ),
        }),
      }),
    }),
  });
}

/**
 * Builds an ONNX model step by step, in static single assignment: every value (graph input,
 * initializer, node output) has one name, given once, and nodes may only read values that
 * already exist, so a typo fails where it is made instead of inside onnxruntime.
 *
 * ```ts
 * const g = new GraphBuilder();
 * const x = g.input('x', 'float32', ['batch', 4]);
 * const w = g.initializer('w', new Float32Array(8), [4, 2]);
 * const y = g.op('MatMul', [x, w], { name: 'y' });
 * g.output(y, 'float32', ['batch', 2]);
 * const session = await InferenceSession.create(g.toModelBytes());
 * ```
 *
 * Values are referred to by their names (plain strings), so a graph built here can be
 * extended by code that only knows the names (e.g. a training step appended to a forward
 * pass). Float tensors are stored as raw little-endian bytes without copying until
 * {@link toModelBytes} serialises them.
 */
export class GraphBuilder {
  readonly #options: GraphBuilderOptions;
  readonly #values = new Set<string>();
  readonly #inputs: onnxProto.onnx.ValueInfoProto[] = [];
  readonly #outputs: onnxProto.onnx.ValueInfoProto[] = [];
  readonly #initializers: onnxProto.onnx.TensorProto[] = [];
  readonly #nodes: onnxProto.onnx.NodeProto[] = [];
  readonly #metadata = new Map<string, string>();
  readonly #nameCounts = new Map<string, number>();

  constructor(options: GraphBuilderOptions = {}) {
    const opset = options.opsetVersion ?? DEFAULT_OPSET;
    if (!Number.isSafeInteger(opset) || opset < 1) {
      throw new RangeError(`opsetVersion: expected a positive integer, got ${opset}`);
    }
    this.#options = options;
  }

  /** True when a value of this name exists (input, initializer or node output). */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** Number of nodes added so far. */
  get nodeCount(): number {
    return this.#nodes.length;
  }

  /**
   * A name not used yet, derived from `hint`: the hint itself when free, else `hint_1`,
   * `hint_2`, ... The name is reserved only once a value takes it.
   */
  uniqueName(hint: string): string {
    let name = hint;
    let count = this.#nameCounts.get(hint) ?? 0;
    while (this.#values.has(name)) {
      count += 1;
      name = `${hint}_${count}`;
    }
    this.#nameCounts.set(hint, count);
    return name;
  }

  /** Declares a graph input and returns its name. Symbolic dims (strings) vary per run. */
  input(name: string, elementType: ElementType, dims: readonly Dim[]): string {
    this.#claim(name, 'input');
    this.#inputs.push(valueInfo(name, elementType, dims));
    return name;
  }

  /**
   * Marks an existing value as a graph output. Several outputs may be declared, including
   * intermediate values that later nodes also read.
   */
  output(name: string, elementType: ElementType, dims: readonly Dim[]): void {
    if (!this.#values.has(name)) {
      throw new RangeError(`output '${name}': no value of that name in the graph`);
    }
    if (this.#outputs.some((o) => o.name === name)) {
      throw new RangeError(`output '${name}': declared twice`);
    }
    this.#outputs.push(valueInfo(name, elementType, dims));
  }

  /**
   * Adds a float32 initializer (a constant weight) of shape `dims` and returns its name.
   * `data` is referenced, not copied: do not change it before {@link toModelBytes}.
   */
  initializer(name: string, data: Float32Array, dims: readonly number[]): string {
    if (!(data instanceof Float32Array)) {
      throw new TypeError(`initializer '${name}': expected a Float32Array`);
    }
    checkFixedDims(`initializer '${name}'`, dims);
    if (product(dims) !== data.length) {
      throw new RangeError(
        `initializer '${name}': shape [${dims.join(', ')}] holds ${product(dims)} values, ` +
          `data has ${data.length}`,
      );
    }
    this.#claim(name, 'initializer');
    this.#initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: ELEMENT_TYPES.float32,
        rawData: bytesOf(data),
      }),
    );
    return name;
  }

  /** Adds a float32 constant from plain numbers (a scalar when `dims` is `[]`). */
  floatConstant(hint: string, values: readonly number[], dims: readonly number[] = []): string {
    return this.initializer(this.uniqueName(hint), Float32Array.from(values), dims);
  }

  /**
   * Adds an int64 constant (shapes, axes, indices). `dims` defaults to a 1-D tensor holding
   * `values`; pass `[]` for a scalar.
   */
  int64Constant(
    hint: string,
    values: readonly (number | bigint)[],
    dims: readonly number[] = [values.length],
  ): string {
    checkFixedDims(`int64 constant '${hint}'`, dims);
    if (product(dims) !== values.length) {
      throw new RangeError(
        `int64 constant '${hint}': shape [${dims.join(', ')}] holds ${product(dims)} values, ` +
          `got ${values.length}`,
      );
    }
    const data = BigInt64Array.from(values, (v) => {
      if (typeof v === 'number' && !Number.isSafeInteger(v)) {
        throw new RangeError(`int64 constant '${hint}': ${v} is not a safe integer`);
      }
      return BigInt(v);
    });
    const name = this.uniqueName(hint);
    this.#claim(name, 'initializer');
    this.#initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: ELEMENT_TYPES.int64,
        rawData: bytesOf(data),
      }),
    );
    return name;
  }

  /**
   * Appends a node and returns the names of its outputs. An input name `''` stands for an
   * omitted optional input, as in ONNX.
   */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.#values.has(input)) {
        throw new RangeError(`${opType} node: input '${input}' is not a value of the graph`);
      }
    }

    const hint = options.name ?? opType;
    const count = options.outputs?.length ?? options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RangeError(`${opType} node: output count must be >= 1, got ${count}`);
    }
    const outputs =
      options.outputs !== undefined
        ? [...options.outputs]
        : Array.from({ length: count }, (_, i) =>
            this.uniqueName(count === 1 ? hint : `${hint}.${i}`),
          );
    for (const output of outputs) {
      this.#claim(output, `${opType} output`);
    }

    const attributes = Object.entries(options.attributes ?? {}).map(([key, value]) =>
      attributeProto(key, value),
    );
    this.#nodes.push(
      onnx.NodeProto.create({
        name: `${hint}#${this.#nodes.length}`,
        opType,
        input: [...inputs],
        output: outputs,
        attribute: attributes,
        ...(options.domain !== undefined ? { domain: options.domain } : {}),
      }),
    );
    return outputs;
  }

  /** Shorthand for a node with one output: returns that output's name. */
  op(opType: string, inputs: readonly string[], options: Omit<NodeOptions, 'count'> = {}): string {
    const outputs = this.node(opType, inputs, options);
    if (outputs.length !== 1) {
      throw new RangeError(`${opType} node: op() makes one output, got ${outputs.length} names`);
    }
    return outputs[0]!;
  }

  /** Records a key/value pair in the model's metadata (readable from the .onnx file). */
  metadata(key: string, value: string): void {
    this.#metadata.set(key, value);
  }

  /** The model as an onnx-proto `ModelProto`. */
  toModelProto(): onnxProto.onnx.ModelProto {
    if (this.#outputs.length === 0) {
      throw new RangeError('graph has no outputs: declare at least one with output()');
    }
    const graph = onnx.GraphProto.create({
      name: this.#options.name ?? 'jetlens',
      node: this.#nodes,
      input: this.#inputs,
      output: this.#outputs,
      initializer: this.#initializers,
    });
    return onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'jetlens',
      opsetImport: [{ domain: '', version: this.#options.opsetVersion ?? DEFAULT_OPSET }],
      graph,
      metadataProps: [...this.#metadata].map(([key, value]) => ({ key, value })),
      ...(this.#options.docString !== undefined ? { docString: this.#options.docString } : {}),
    });
  }

  /** The serialised model, ready for `InferenceSession.create(bytes)`. */
  toModelBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto()).finish();
  }

  #claim(name: string, what: string): void {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`${what}: expected a non-empty name, got ${JSON.stringify(name)}`);
    }
    if (this.#values.has(name)) {
      throw new RangeError(`${what} '${name}': a value of that name already exists`);
    }
    this.#values.add(name);
  }
}
