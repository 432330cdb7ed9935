import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { createSession, sessionOptions } from '../../src/runtime/execution-provider.js';

function reluModel(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [2]);
  g.output(g.op('Relu', [x], { name: 'y' }), 'float32', [2]);
  return g.toModelBytes();
}

describe('sessionOptions', () => {
  it('runs on the CPU by default, with all graph optimisations', () => {
    expect(sessionOptions({})).toMatchObject({
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
    });
  });

  it('passes thread settings through', () => {
    const options = sessionOptions({ intraOpNumThreads: 2, interOpNumThreads: 1 });
    expect(options).toMatchObject({ intraOpNumThreads: 2, interOpNumThreads: 1 });
  });
});

describe('createSession', () => {
  it('creates a CPU session that runs', async () => {
    const session = await createSession(reluModel(), { intraOpNumThreads: 1 });
    expect(session.outputNames).toEqual(['y']);
    await session.release();
  });

  it('applies memory settings on top of the thread settings', async () => {
    const session = await createSession(
      reluModel(),
      { intraOpNumThreads: 1 },
      {
        enableCpuMemArena: false,
      },
    );
    const out = await session.run({ x: new Tensor('float32', Float32Array.of(-1, 2), [2]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 2]);
    await session.release();
  });

  describe('BAD CALL', () => {
    // the install is onnxruntime-node's default CPU build, which lacks the CUDA provider
    it('names a provider that cannot start and says how to get it', async () => {
      await expect(createSession(reluModel(), { executionProvider: 'cuda' })).rejects.toThrow(
        /execution provider 'cuda' could not start \(.*\); install the CUDA build/,
      );
    });

    it('refuses unknown providers and negative or fractional thread counts', () => {
      expect(() => sessionOptions({ executionProvider: 'rocm' as never })).toThrow(RangeError);
      expect(() => sessionOptions({ intraOpNumThreads: 1.5 })).toThrow(
        /intraOpNumThreads: expected an integer >= 0 \(0 = onnxruntime's choice\), got 1.5/,
      );
      expect(() => sessionOptions({ interOpNumThreads: -2 })).toThrow(/interOpNumThreads/);
    });
  });
});
