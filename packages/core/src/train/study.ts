import { join } from 'node:path';
import type { ImageConfig } from '../images/config.js';
import type { ViTPreprocessorConfig } from '../vit/preprocessor-config.js';
import type { ViTWeights } from '../vit/weights.js';
import { lastLayersFreezeSpec } from './protocol.js';
import { loadTaskImages, type TaskImages } from './task-images.js';
import { type FineTuneOptions, type FineTuneResult, fineTune } from './trainer.js';

/** One of the study's two tasks: class 0 is the background (or second signal), 1 the signal. */
export interface StudyTask {
  readonly name: string;
  /** Class names by index; the ROC scores class 1. */
  readonly classes: readonly [string, string];
}

export const STUDY_TASKS: readonly StudyTask[] = [
  { name: 'ttbar-vs-zjets', classes: ['ZJetsToNuNu', 'TTBar'] },
  { name: 'hbb-vs-hcc', classes: ['HToCC', 'HToBB'] },
];

/**
 * The study's few-shot recipe: 300 training and 100 validation images per class, up to 600
 * held-out images per class, the last two encoder layers trained, fixed seeds. The images are
 * those of JetLens's default backbone: one jet per image, 32 x 32 pixels over 2R x 2R.
 */
export const STUDY_RECIPE = {
  trainPerClass: 300,
  validationPerClass: 100,
  heldOutPerClass: 600,
  trainableLayers: 2,
  seeds: { sampling: 20261203, head: 11, shuffle: 12 },
  imageConfig: { height: 32, width: 32 } satisfies Partial<ImageConfig>,
  fineTune: {
    epochs: 30,
    batchSize: 32,
    learningRate: 1e-3,
    warmupFraction: 0.1,
    weightDecay: 0.01,
    patience: 5,
  },
} as const;

/** The images of `task` from the JetClass files `<Class>_*.root` in `dataDir`. */
export async function loadStudyTask(
  task: StudyTask,
  dataDir: string,
  numLayers: number,
  fileNames: (className: string) => readonly string[],
): Promise<TaskImages> {
  const r = STUDY_RECIPE;
  return loadTaskImages({
    files: task.classes.map((c) => fileNames(c).map((f) => join(dataDir, f))),
    classes: task.classes,
    trainPerClass: r.trainPerClass,
    validationPerClass: r.validationPerClass,
    heldOutPerClass: r.heldOutPerClass,
    seeds: r.seeds,
    freeze: lastLayersFreezeSpec(numLayers, r.trainableLayers),
    imageConfig: r.imageConfig,
  });
}

/** Fine-tunes `backbone` on a study task's images with the study's recipe. */
export function fineTuneStudyTask(
  backbone: ViTWeights,
  preprocessor: ViTPreprocessorConfig,
  task: StudyTask,
  images: TaskImages,
  options: Partial<FineTuneOptions> = {},
): Promise<FineTuneResult> {
  const r = STUDY_RECIPE;
  return fineTune(backbone, preprocessor, images.train, images.validation, {
    ...r.fineTune,
    labels: task.classes,
    trainableLayers: r.trainableLayers,
    seeds: { head: r.seeds.head, shuffle: r.seeds.shuffle },
    ...options,
  });
}
