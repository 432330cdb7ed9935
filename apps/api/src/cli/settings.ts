/**
 * The study's settings as command-line options, shared by `study` and the step commands, with
 * the study's defaults: both tasks, 300 training and 100 validation images per class, the last
 * two encoder layers (11-12 of 12) trained, one jet per image, cumulative attention maps
 * (heads averaged, residual added, all layers), ROIs of radius 0.2 in (deta, dphi) around up
 * to three prong centroids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD_FUSIONS, MAP_METHODS, STUDY_MAP_OPTIONS } from '@jetlens/xai';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { STUDY_TASKS, type Task } from '../pipeline/configs.js';
import { integerOption, layerListOption, positiveNumberOption, UsageError } from './errors.js';

export const DEFAULTS = {
  trainPerClass: 300,
  validationPerClass: 100,
  jetsPerImage: 1,
  epochs: 30,
  learningRate: 1e-3,
  batchSize: 32,
  seed: 0,
  roiRadius: 0.2,
  maxProngs: 3,
  shardSize: 200,
  /** When the backbone does not say: the image builder's own default. */
  imageSize: 33,
};

function taskListOption(value: string): Task[] {
  const names = value.split(',').map((name) => name.trim());
  return names.map((name) => {
    const known = STUDY_TASKS.find((task) => task.name === name);
    if (known) return known;
    const pair = /^([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(name);
    if (pair) return { name: `${pair[1]}-vs-${pair[2]}`, classes: [pair[1]!, pair[2]!] };
    throw new InvalidArgumentError(
      `--tasks takes ${STUDY_TASKS.map((task) => task.name).join(', ')} or SIGNAL:BACKGROUND ` +
        `process pairs (e.g. HToBB:HToCC), got "${name}".`,
    );
  });
}

export function trainingOptions(command: Command): Command {
  return command
    .option(
      '--tasks <list>',
      `tasks: ${STUDY_TASKS.map((t) => t.name).join(', ')} or SIGNAL:BACKGROUND pairs`,
      taskListOption,
    )
    .option(
      '--train-per-class <n>',
      'training images per class',
      integerOption('--train-per-class', 1),
      DEFAULTS.trainPerClass,
    )
    .option(
      '--validation-per-class <n>',
      'validation images per class (the rest of each class is the test set)',
      integerOption('--validation-per-class', 1),
      DEFAULTS.validationPerClass,
    )
    .option(
      '--trainable-layers <layers>',
      'encoder layers trained, counted from 1, e.g. 11-12 (default: the last two)',
      layerListOption('--trainable-layers'),
    )
    .option(
      '--epochs <n>',
      'most epochs (training stops early when validation loss stalls)',
      integerOption('--epochs', 1, 1000),
      DEFAULTS.epochs,
    )
    .option(
      '--learning-rate <lr>',
      'peak learning rate (warmup, then cosine)',
      positiveNumberOption('--learning-rate', 1),
      DEFAULTS.learningRate,
    )
    .option(
      '--batch-size <n>',
      'training batch size',
      integerOption('--batch-size', 1, 4096),
      DEFAULTS.batchSize,
    )
    .option(
      '--seed <n>',
      'seed of the few-shot sample, the new head and the batch order',
      integerOption('--seed', 0),
      DEFAULTS.seed,
    );
}

export function imageOptions(command: Command): Command {
  return command
    .option(
      '--jets-per-image <n>',
      'jets stacked into one image (e.g. 10 when the data suffice)',
      integerOption('--jets-per-image', 1, 100_000),
      DEFAULTS.jetsPerImage,
    )
    .option(
      '--image-size <pixels>',
      "jet image height and width (default: the backbone's image_size, so no resizing)",
      integerOption('--image-size', 4, 1024),
    );
}

export function explainOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--map-method <method>', 'attention map')
        .choices([...MAP_METHODS])
        .default(STUDY_MAP_OPTIONS.method),
    )
    .addOption(
      new Option('--head-fusion <fusion>', 'how heads are combined')
        .choices([...HEAD_FUSIONS])
        .default(STUDY_MAP_OPTIONS.headFusion),
    )
    .option('--no-residual', 'leave out the residual (identity) term of each layer')
    .option(
      '--roi-radius <r>',
      'ROI radius in the (deta, dphi) plane',
      positiveNumberOption('--roi-radius', 2),
      DEFAULTS.roiRadius,
    )
    .option(
      '--max-prongs <n>',
      'ROIs around at most this many prong centroids',
      integerOption('--max-prongs', 1, 3),
      DEFAULTS.maxProngs,
    );
}

export function shardOptions(command: Command): Command {
  return command.option(
    '--shard-size <n>',
    'events per evaluation and explain job',
    integerOption('--shard-size', 1, 1_000_000),
    DEFAULTS.shardSize,
  );
}

export interface ParsedOptions {
  tasks?: Task[];
  trainPerClass: number;
  validationPerClass: number;
  trainableLayers?: number[];
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  jetsPerImage: number;
  imageSize?: number;
  mapMethod: 'cumulative' | 'rollout' | 'layer';
  headFusion: 'mean' | 'max' | 'min';
  residual: boolean;
  roiRadius: number;
  maxProngs: number;
  shardSize: number;
}

function backboneConfig(modelDir: string): Record<string, unknown> {
  const path = join(modelDir, 'config.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--model ${modelDir}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The backbone's input size, from its config.json (Hugging Face's default: 224). */
export function backboneImageSize(modelDir: string): number {
  const path = join(modelDir, 'config.json');
  const size = backboneConfig(modelDir).image_size ?? 224;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    throw new RangeError(`${path}: image_size must be an integer >= 1, got ${String(size)}`);
  }
  return size;
}

/** The backbone's depth, from its config.json, to resolve "the last two layers". */
export function backboneLayers(modelDir: string): number {
  const path = join(modelDir, 'config.json');
  const config = backboneConfig(modelDir);
  const layers = config.num_hidden_layers ?? 12;
  if (typeof layers !== 'number' || !Number.isInteger(layers) || layers < 1) {
    throw new RangeError(
      `${path}: num_hidden_layers must be an integer >= 1, got ${String(layers)}`,
    );
  }
  return layers;
}

export function resolveTrainableLayers(given: number[] | undefined, numLayers: number): number[] {
  const layers = given ?? [numLayers - 1, numLayers].filter((layer) => layer >= 1);
  const bad = layers.find((layer) => layer > numLayers);
  if (bad !== undefined) {
    throw new UsageError(
      `--trainable-layers: the backbone has ${numLayers} layers, got layer ${bad}`,
    );
  }
  return [...new Set(layers)].sort((a, b) => a - b);
}

export function mapSettings(options: ParsedOptions) {
  return {
    ...STUDY_MAP_OPTIONS,
    method: options.mapMethod,
    headFusion: options.headFusion,
    residual: options.residual,
  };
}

export function roiSettings(options: ParsedOptions) {
  return { radius: options.roiRadius, maxProngs: options.maxProngs };
}

/** Image size: as given, else the backbone's (so that no resizing happens), else 33. */
export function imageSettings(options: ParsedOptions, modelDir?: string) {
  const size = options.imageSize ?? (modelDir ? backboneImageSize(modelDir) : DEFAULTS.imageSize);
  return { height: size, width: size, jetsPerImage: options.jetsPerImage };
}
