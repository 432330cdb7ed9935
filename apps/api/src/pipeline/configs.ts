/**
 * The configurations runs are made from. Each is stored whole in its run (and hashed), so a
 * result can always say what made it and a rerun with the same settings finds it.
 */
import type { AttentionMapOptionsInput, RoiOptionsInput } from '@jetlens/xai';

/** A binary task: the first class is the signal in ROC curves and rejections. */
export interface Task {
  name: string;
  classes: [string, string];
}

export const STUDY_TASKS: Task[] = [
  { name: 'ttbar-vs-qcd', classes: ['TTBar', 'ZJetsToNuNu'] },
  { name: 'hbb-vs-hcc', classes: ['HToBB', 'HToCC'] },
];

/** The few-shot fine-tuning settings that the study, its plan and its runs share. */
export interface FinetuneSettings {
  /** Images per class for training and for validation; the rest of each class is the test set. */
  trainPerClass: number;
  validationPerClass: number;
  /** Encoder layers (counted from 1) that are trained, with the classifier head. */
  trainableLayers: number[];
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
}

export interface FinetuneConfig extends FinetuneSettings {
  task: Task;
  imageSetId: string;
  backboneModelId: string;
}

/** Image indices (into the image set) of each split, as the few-shot protocol drew them. */
export interface FinetuneProtocol {
  train: number[];
  validation: number[];
  test: number[];
  trainable: string[];
}

export interface EvaluateConfig {
  task: Task;
  imageSetId: string;
  modelId: string;
  /** The fine-tuning run whose test split is evaluated. */
  finetuneRunId: string;
  shardSize: number;
}

export interface ExplainConfig {
  task: Task;
  imageSetId: string;
  modelId: string;
  finetuneRunId: string;
  map: AttentionMapOptionsInput;
  roi: RoiOptionsInput;
  shardSize: number;
}

/** The events of a sharded run (image indices), fixed when the run is planned. */
export interface ShardedProtocol {
  events: number[];
  split: 'TRAIN' | 'VALIDATION' | 'TEST';
}

export function shardCount(events: number, shardSize: number): number {
  return Math.max(1, Math.ceil(events / shardSize));
}

export function shardEvents(protocol: ShardedProtocol, shardSize: number, index: number): number[] {
  const events = protocol.events.slice(index * shardSize, (index + 1) * shardSize);
  if (events.length === 0 && protocol.events.length > 0) {
    throw new RangeError(
      `shard ${index} is past the end: ${protocol.events.length} events in shards of ${shardSize}`,
    );
  }
  return events;
}
