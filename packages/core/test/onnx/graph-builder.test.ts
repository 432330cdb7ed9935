import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr } from '../../src/onnx/attribute.js';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';

async function run(g: GraphBuilder, feeds: Record<string, Tensor>) {
  const session = await InferenceSession.create(g.toModelBytes());
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('GraphBuilder', () => {
  it('builds a graph that onnxruntime runs, an intermediate tensor as second output', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['batch', 3]);
    const w = g.initializer('w', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    const b = g.floatConstant('b', [10, 20], [2]);
    const xw = g.op('MatMul', [x, w], { name: 'xw' });
    const y = g.op('Add', [xw, b], { name: 'y' });
    const flat = g.op('Reshape', [y, g.int64Constant('shape', [-1])], { name: 'flat' });
    g.output(flat, 'float32', ['n']);
    g.output(xw, 'float32', ['batch', 2]);

    const out = await run(g, {
      x: new Tensor('float32', Float32Array.from([1, 0, 0, 1, 1, 1]), [2, 3]),
    });

    // rows of x times w: [1,2] and [1+3+5, 2+4+6]
    expect(Array.from(out.xw!.data as Float32Array)).toEqual([1, 2, 9, 12]);
    expect(Array.from(out.flat!.data as Float32Array)).toEqual([11, 22, 19, 32]);
  });

  it('passes typed attributes: LayerNormalization (opset 17) with a float epsilon', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 4]);
    const scale = g.floatConstant('scale', [1, 1, 1, 1], [4]);
    const bias = g.floatConstant('bias', [0, 0, 0, 0], [4]);
    const y = g.op('LayerNormalization', [x, scale, bias], {
      attributes: { axis: attr.int(-1), epsilon: attr.float(1) },
    });
    g.output(y, 'float32', [1, 4]);

    const out = await run(g, { x: new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) });

    // mean 2.5, variance 1.25, so y = (x - 2.5) / sqrt(2.25)
    const expected = [-1.5, -0.5, 0.5, 1.5].map((v) => v / 1.5);
    const got = Array.from(out[y]!.data as Float32Array);
    for (const [i, v] of got.entries()) {
      expect(v).toBeCloseTo(expected[i]!, 6);
    }
  });

  it('names several outputs of one node and keeps names unique', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 6]);
    const parts = g.node('Split', [x, g.int64Constant('sizes', [3, 3])], {
      attributes: { axis: attr.int(1) },
      count: 2,
      name: 'half',
    });
    expect(parts).toEqual(['half.0', 'half.1']);
    expect(g.uniqueName('half.0')).toBe('half.0_1');
    expect(g.uniqueName('fresh')).toBe('fresh');
    expect(g.nodeCount).toBe(1);
  });

  it('stores metadata in the model', () => {
    const g = new GraphBuilder({ name: 'tiny' });
    const x = g.input('x', 'float32', [1]);
    g.output(g.op('Identity', [x]), 'float32', [1]);
    g.metadata('jetlens.kind', 'test');
    const model = g.toModelProto();
    expect(model.graph?.name).toBe('tiny');
    expect(model.metadataProps).toEqual([
      expect.objectContaining({ key: 'jetlens.kind', value: 'test' }),
    ]);
    expect(model.opsetImport[0]?.version).toBe(17);
  });

  describe('BAD CALL', () => {
    it('rejects a node input that is not a value of the graph', () => {
      const g = new GraphBuilder();
      g.input('x', 'float32', [1]);
      expect(() => g.op('Relu', ['y'])).toThrow(/Relu node: input 'y' is not a value of the graph/);
    });

    it('rejects a name given twice', () => {
      const g = new GraphBuilder();
      g.input('x', 'float32', [1]);
      expect(() => g.input('x', 'float32', [1])).toThrow(RangeError);
      expect(() => g.op('Relu', ['x'], { outputs: ['x'] })).toThrow(/already exists/);
    });

    it('rejects an initializer whose data does not fit its shape', () => {
      const g = new GraphBuilder();
      expect(() => g.initializer('w', new Float32Array(5), [2, 3])).toThrow(
        /initializer 'w': shape \[2, 3\] holds 6 values, data has 5/,
      );
      expect(() => g.initializer('w', new Float32Array(2), [2, -1])).toThrow(RangeError);
    });

    it('rejects initializer data that is not a Float32Array', () => {
      const g = new GraphBuilder();
      const data = [1, 2] as unknown as Float32Array;
      expect(() => g.initializer('w', data, [2])).toThrow(TypeError);
    });

    it('rejects int64 constants that are not safe integers or do not fit', () => {
      const g = new GraphBuilder();
      expect(() => g.int64Constant('c', [1.5])).toThrow(/1.5 is not a safe integer/);
      expect(() => g.int64Constant('c', [1, 2], [3])).toThrow(/holds 3 values, got 2/);
    });

    it('rejects unknown and twice-declared outputs, and graphs without outputs', () => {
      const g = new GraphBuilder();
      g.input('x', 'float32', [1]);
      expect(() => g.toModelBytes()).toThrow(/graph has no outputs/);
      expect(() => g.output('nope', 'float32', [1])).toThrow(/output 'nope': no value/);
      g.output('x', 'float32', [1]);
      expect(() => g.output('x', 'float32', [1])).toThrow(/declared twice/);
    });

    it('rejects non-integer int attributes and bad opsets', () => {
      expect(() => attr.int(0.5)).toThrow(RangeError);
      expect(() => attr.ints([1, 2.5])).toThrow(RangeError);
      expect(() => new GraphBuilder({ opsetVersion: 0 })).toThrow(/opsetVersion/);
    });
  });
});
