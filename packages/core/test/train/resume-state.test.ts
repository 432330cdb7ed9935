import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  loadResumeState,
  type ResumeState,
  saveResumeState,
} from '../../src/train/resume-state.js';

const scratch = mkdtempSync(join(tmpdir(), 'jetlens-resume-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fingerprint = { epochs: 3, labels: 'a\u0000b', trainableLayers: [10, 11] };
const state: ResumeState = {
  fingerprint,
  completedEpochs: 2,
  top: {
    params: new Map([['classifier.bias', new Float32Array([0.5, -0.25])]]),
    expAvg: new Map([['classifier.bias', new Float32Array([0.01, 0.02])]]),
    expAvgSq: new Map([['classifier.bias', new Float32Array([1e-4, 2e-4])]]),
    step: 38,
  },
  shuffleState: 123456789,
  best: {
    epoch: 1,
    loss: 0.42,
    params: new Map([['classifier.bias', new Float32Array([0.1, 0.2])]]),
  },
  badEpochs: 1,
  history: [],
};

describe('resume state', () => {
  test('round-trips every tensor, counter and the PRNG state exactly', () => {
    const dir = join(scratch, 'a');
    saveResumeState(dir, state);
    const loaded = loadResumeState(dir, fingerprint)!;
    expect(loaded.top.params).toEqual(state.top.params);
    expect(loaded.top.expAvg).toEqual(state.top.expAvg);
    expect(loaded.top.expAvgSq).toEqual(state.top.expAvgSq);
    expect(loaded.best.params).toEqual(state.best.params);
    expect([
      loaded.top.step,
      loaded.shuffleState,
      loaded.completedEpochs,
      loaded.badEpochs,
    ]).toEqual([38, 123456789, 2, 1]);
  });

  test('no saved state is undefined; another run is refused, naming the difference', () => {
    expect(loadResumeState(join(scratch, 'none'), fingerprint)).toBeUndefined();
    const dir = join(scratch, 'b');
    saveResumeState(dir, state);
    expect(() => loadResumeState(dir, { ...fingerprint, trainableLayers: [11] })).toThrow(
      /saved by a different run \(trainableLayers: saved \[10,11\], this run \[11\]\)/,
    );
  });
});
