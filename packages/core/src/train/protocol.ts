import { Prng } from './prng.js';

/** Which parts of the ViT a fine-tuning run updates; everything else stays frozen. */
export interface FreezeSpec {
  /** In words, e.g. "last 2 encoder layers (11-12 of 12), final layer norm, new head". */
  readonly description: string;
  /** 0-based indices of the trained encoder layers. */
  readonly trainableLayers: readonly number[];
  /** Other trained tensors, by Hugging Face name prefix. */
  readonly alsoTrained: readonly string[];
}

/** The freeze specification for training the last `k` of `numLayers` encoder layers. */
export function lastLayersFreezeSpec(numLayers: number, k: number): FreezeSpec {
  if (!Number.isInteger(numLayers) || numLayers < 1) {
    throw new RangeError(`numLayers: expected an integer >= 1, got ${numLayers}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > numLayers) {
    throw new RangeError(`trainable layers: expected an integer in 1..${numLayers}, got ${k}`);
  }
  const trainableLayers = Array.from({ length: k }, (_, i) => numLayers - k + i);
  const human = k === 1 ? `${numLayers}` : `${numLayers - k + 1}-${numLayers}`;
  return {
    description:
      `last ${k} encoder layer${k === 1 ? '' : 's'} (${human} of ${numLayers}), ` +
      'final layer norm and a new classification head',
    trainableLayers,
    alsoTrained: ['vit.layernorm', 'classifier'],
  };
}

/** An event a few-shot sample can draw: a stable id and its class index. */
export interface LabelledEvent {
  readonly id: string;
  readonly label: number;
}

/**
 * Everything needed to repeat a fine-tuning run exactly, and to diff two runs: the classes,
 * the sampled training and validation events (by id), the seeds and the freeze specification.
 */
export interface FewShotProtocol {
  readonly version: 1;
  readonly classes: readonly string[];
  readonly trainPerClass: number;
  readonly validationPerClass: number;
  readonly seeds: {
    /** Draws the training and validation events. */
    readonly sampling: number;
    /** Initialises the new classification head. */
    readonly head: number;
    /** Orders the batches of each epoch. */
    readonly shuffle: number;
  };
  readonly freeze: FreezeSpec;
  readonly train: readonly LabelledEvent[];
  readonly validation: readonly LabelledEvent[];
}

export interface FewShotOptions {
  readonly classes: readonly string[];
  readonly trainPerClass: number;
  readonly validationPerClass: number;
  readonly seeds: FewShotProtocol['seeds'];
  readonly freeze: FreezeSpec;
}

/**
 * Draws `trainPerClass` training and `validationPerClass` validation events of every class
 * from `events`, without overlap, with the sampling seed. Fails, naming the class, when a
 * class has too few events.
 */
export function sampleFewShot(
  events: readonly LabelledEvent[],
  options: FewShotOptions,
): FewShotProtocol {
  const { classes, trainPerClass, validationPerClass, seeds } = options;
  for (const [name, value] of [
    ['trainPerClass', trainPerClass],
    ['validationPerClass', validationPerClass],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${name}: expected an integer >= 0, got ${value}`);
    }
  }
  if (trainPerClass === 0)
    throw new RangeError('trainPerClass: expected at least 1 event per class');
  const ids = new Set<string>();
  const byClass = classes.map(() => [] as LabelledEvent[]);
  events.forEach((event, i) => {
    if (typeof event.id !== 'string') throw new TypeError(`events[${i}].id: expected a string`);
    if (ids.has(event.id)) throw new RangeError(`events[${i}].id: '${event.id}' appears twice`);
    ids.add(event.id);
    const bucket = byClass[event.label];
    if (!Number.isInteger(event.label) || bucket === undefined) {
      throw new RangeError(
        `events[${i}].label: expected a class index in 0..${classes.length - 1}, got ${event.label}`,
      );
    }
    bucket.push(event);
  });

  const rng = new Prng(seeds.sampling);
  const train: LabelledEvent[] = [];
  const validation: LabelledEvent[] = [];
  byClass.forEach((bucket, c) => {
    const need = trainPerClass + validationPerClass;
    if (bucket.length < need) {
      throw new RangeError(
        `class '${classes[c]}': ${need} events needed ` +
          `(${trainPerClass} train + ${validationPerClass} validation), ${bucket.length} available`,
      );
    }
    const picks = rng.sample(bucket.length, need);
    for (const k of picks.slice(0, trainPerClass)) train.push(bucket[k]!);
    for (const k of picks.slice(trainPerClass)) validation.push(bucket[k]!);
  });
  return {
    version: 1,
    classes: [...classes],
    trainPerClass,
    validationPerClass,
    seeds: { ...seeds },
    freeze: options.freeze,
    train,
    validation,
  };
}

/**
 * Batches of event positions for one epoch, balanced by class: each class's events are
 * shuffled, then dealt round-robin, so every batch holds the classes in equal shares (as far
 * as the counts allow).
 */
export function classBalancedBatches(
  labels: ArrayLike<number>,
  numClasses: number,
  batchSize: number,
  rng: Prng,
): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize: expected an integer >= 1, got ${batchSize}`);
  }
  const byClass = Array.from({ length: numClasses }, () => [] as number[]);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  for (const list of byClass) rng.shuffle(list);
  const dealt: number[] = [];
  const longest = Math.max(...byClass.map((l) => l.length));
  for (let k = 0; k < longest; k++) {
    for (const list of byClass) if (k < list.length) dealt.push(list[k]!);
  }
  const batches: number[][] = [];
  for (let i = 0; i < dealt.length; i += batchSize) batches.push(dealt.slice(i, i + batchSize));
  return batches;
}
