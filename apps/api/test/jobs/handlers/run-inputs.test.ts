import { describe, expect, it } from 'vitest';
import { runtimeSettings } from '../../../src/jobs/handlers/run-inputs.js';

describe('runtimeSettings', () => {
  it('reads the execution provider and the threads from the environment', () => {
    expect(runtimeSettings({})).toEqual({});
    expect(runtimeSettings({ JETLENS_EXECUTION_PROVIDER: 'cuda', JETLENS_THREADS: '4' })).toEqual({
      executionProvider: 'cuda',
      intraOpNumThreads: 4,
    });
    expect(runtimeSettings({ JETLENS_EXECUTION_PROVIDER: '', JETLENS_THREADS: '' })).toEqual({});
  });

  it('BAD CALL: an unknown provider and a thread count that is not a positive integer', () => {
    expect(() => runtimeSettings({ JETLENS_EXECUTION_PROVIDER: 'tpu' })).toThrow(
      new RangeError('JETLENS_EXECUTION_PROVIDER must be one of cpu, cuda, webgpu, got "tpu"'),
    );
    expect(() => runtimeSettings({ JETLENS_THREADS: '1.5' })).toThrow(
      new RangeError('JETLENS_THREADS must be an integer >= 1, got "1.5"'),
    );
  });
});
