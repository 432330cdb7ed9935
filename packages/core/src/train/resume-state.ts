import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSafetensors } from '../safetensors/reader.js';
import { writeSafetensors } from '../safetensors/writer.js';
import type { TopState } from './top-session.js';

/** One epoch of a fine-tuning run, as reported to callbacks and stored with the run. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  /** Learning rate of the epoch's last step. */
  readonly learningRate: number;
  /** Wall time of the epoch's training steps, and training images per second over them. */
  readonly seconds: number;
  readonly imagesPerSecond: number;
}

/** What a run must agree on to resume from a saved state. */
export type RunFingerprint = Readonly<
  Record<string, string | number | boolean | readonly number[]>
>;

/** A fine-tuning run between epochs: enough to continue it exactly. */
export interface ResumeState {
  readonly fingerprint: RunFingerprint;
  readonly completedEpochs: number;
  readonly top: TopState;
  readonly shuffleState: number;
  readonly best: {
    readonly epoch: number;
    readonly loss: number;
    readonly params: Map<string, Float32Array>;
  };
  readonly badEpochs: number;
  readonly history: readonly EpochReport[];
}

const STATE = 'state.json';
const TENSORS = 'top.safetensors';
const GROUPS = ['param', 'exp_avg', 'exp_avg_sq', 'best'] as const;

/** Writes `state` into `dir` (state.json + top.safetensors), replacing any earlier state. */
export function saveResumeState(dir: string, state: ResumeState): void {
  mkdirSync(dir, { recursive: true });
  const maps = {
    param: state.top.params,
    exp_avg: state.top.expAvg,
    exp_avg_sq: state.top.expAvgSq,
    best: state.best.params,
  };
  const tensors = GROUPS.flatMap((group) =>
    [...maps[group]].map(
      ([name, data]) => [`${group}/${name}`, { shape: [data.length], data }] as const,
    ),
  );
  // Write then rename, so that an interrupted save leaves the previous state whole.
  writeSafetensors(join(dir, `${TENSORS}.partial`), tensors);
  const json = {
    version: 1,
    fingerprint: state.fingerprint,
    completedEpochs: state.completedEpochs,
    step: state.top.step,
    shuffleState: state.shuffleState,
    best: { epoch: state.best.epoch, loss: state.best.loss },
    badEpochs: state.badEpochs,
    history: state.history,
  };
  writeFileSync(join(dir, `${STATE}.partial`), `${JSON.stringify(json, null, 2)}\n`);
  renameSync(join(dir, `${TENSORS}.partial`), join(dir, TENSORS));
  renameSync(join(dir, `${STATE}.partial`), join(dir, STATE));
}

/**
 * Reads the state saved in `dir`, or returns undefined when there is none. A state saved by
 * a run with another fingerprint (data, settings, seeds) is refused, naming what differs.
 */
export function loadResumeState(dir: string, fingerprint: RunFingerprint): ResumeState | undefined {
  const statePath = join(dir, STATE);
  if (!existsSync(statePath)) return undefined;
  const json = JSON.parse(readFileSync(statePath, 'utf8')) as {
    fingerprint: RunFingerprint;
    completedEpochs: number;
    step: number;
    shuffleState: number;
    best: { epoch: number; loss: number };
    badEpochs: number;
    history: EpochReport[];
  };
  for (const key of new Set([...Object.keys(fingerprint), ...Object.keys(json.fingerprint)])) {
    const saved = JSON.stringify(json.fingerprint[key]);
    const wanted = JSON.stringify(fingerprint[key]);
    if (saved !== wanted) {
      throw new RangeError(
        `${statePath}: saved by a different run (${key}: saved ${saved}, this run ${wanted})`,
      );
    }
  }

  const file = openSafetensors(join(dir, TENSORS));
  const maps = {
    param: new Map(),
    exp_avg: new Map(),
    exp_avg_sq: new Map(),
    best: new Map(),
  } as Record<(typeof GROUPS)[number], Map<string, Float32Array>>;
  try {
    for (const key of file.entries.keys()) {
      const slash = key.indexOf('/');
      const group = key.slice(0, slash) as (typeof GROUPS)[number];
      maps[group]?.set(key.slice(slash + 1), file.readFloat32(key).data);
    }
  } finally {
    file.close();
  }
  return {
    fingerprint: json.fingerprint,
    completedEpochs: json.completedEpochs,
    top: { params: maps.param, expAvg: maps.exp_avg, expAvgSq: maps.exp_avg_sq, step: json.step },
    shuffleState: json.shuffleState,
    best: { epoch: json.best.epoch, loss: json.best.loss, params: maps.best },
    badEpochs: json.badEpochs,
    history: json.history,
  };
}
