import { basename } from 'node:path';
import { type ImageConfig, makeJetImages } from '../images/index.js';
import type { Jet } from '../io/jet.js';
import { readAllJets } from '../io/jet-reader.js';
import type { ImageBatch } from '../runtime/preprocess.js';
import { type FewShotProtocol, type FreezeSpec, sampleFewShot } from './protocol.js';

/** Jet images of one split, with class indices and the ids of their jets. */
export interface TaskSplit {
  readonly images: ImageBatch;
  readonly labels: Int32Array;
  readonly ids: readonly string[];
}

export interface TaskImages {
  readonly protocol: FewShotProtocol;
  readonly train: TaskSplit;
  readonly validation: TaskSplit;
  /** Every jet the protocol did not draw, up to `heldOutPerClass` per class. */
  readonly heldOut: TaskSplit;
  readonly imageConfig: Partial<ImageConfig>;
}

export interface TaskImagesOptions {
  /** ROOT files of each class, in class-index order (e.g. [[ZJetsToNuNu_000.root], [TTBar_000.root]]). */
  readonly files: readonly (readonly string[])[];
  readonly classes: readonly string[];
  readonly trainPerClass: number;
  readonly validationPerClass: number;
  readonly heldOutPerClass: number;
  readonly seeds: FewShotProtocol['seeds'];
  readonly freeze: FreezeSpec;
  /** How jets become images (JetLens's image builder; one jet per image). */
  readonly imageConfig: Partial<ImageConfig>;
  /** Jets read per class at most (default: all). */
  readonly maxJetsPerClass?: number;
}

/** The id of a jet: its file's name and its entry, e.g. `TTBar_000.root:17`. */
export function jetId(jet: Jet): string {
  return `${basename(jet.origin.file)}:${jet.origin.entry}`;
}

function split(
  jets: readonly Jet[],
  labels: readonly number[],
  config: Partial<ImageConfig>,
): TaskSplit {
  const set = makeJetImages([...jets], { ...config, jetsPerImage: 1 });
  return {
    images: { data: set.tensor, dims: set.shape },
    labels: Int32Array.from(labels),
    ids: jets.map(jetId),
  };
}

/**
 * Reads the jets of a classification task, draws the few-shot protocol (training and
 * validation jets per class, by seed) and builds the jet images of each split.
 */
export async function loadTaskImages(options: TaskImagesOptions): Promise<TaskImages> {
  if (options.files.length !== options.classes.length) {
    throw new RangeError(
      `files: ${options.files.length} lists of files for ${options.classes.length} classes`,
    );
  }
  const byId = new Map<string, { jet: Jet; label: number }>();
  for (const [label, files] of options.files.entries()) {
    let taken = 0;
    for (const file of files) {
      const { jets } = await readAllJets(file, {
        ...(options.maxJetsPerClass !== undefined
          ? { maxEntries: options.maxJetsPerClass - taken }
          : {}),
      });
      for (const jet of jets) byId.set(jetId(jet), { jet, label });
      taken += jets.length;
      if (options.maxJetsPerClass !== undefined && taken >= options.maxJetsPerClass) break;
    }
  }

  const events = [...byId].map(([id, { label }]) => ({ id, label }));
  const protocol = sampleFewShot(events, options);
  const drawn = new Set([...protocol.train, ...protocol.validation].map((e) => e.id));
  const heldOut: { id: string; label: number }[] = [];
  const perClass = new Array<number>(options.classes.length).fill(0);
  for (const event of events) {
    if (drawn.has(event.id) || perClass[event.label]! >= options.heldOutPerClass) continue;
    perClass[event.label]!++;
    heldOut.push(event);
  }
  const build = (list: readonly { id: string; label: number }[]) =>
    split(
      list.map((e) => byId.get(e.id)!.jet),
      list.map((e) => e.label),
      options.imageConfig,
    );
  return {
    protocol,
    train: build(protocol.train),
    validation: build(protocol.validation),
    heldOut: build(heldOut),
    imageConfig: options.imageConfig,
  };
}
