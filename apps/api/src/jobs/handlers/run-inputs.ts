/**
 * What a run's jobs read: the run, its images (cached per process), and the model session
 * (loaded once per process and model, released when the worker stops).
 */
import { loadViT, type ViTSession } from '@jetlens/core';
import { absolutePath } from '../../datasets/files.js';
import { type LoadedImageSet, loadImages } from '../../images/cache.js';
import type { Services } from '../../services.js';
import { datasetFiles } from '../../store/datasets.js';
import { getImageSet } from '../../store/image-sets.js';
import { getModel } from '../../store/models.js';
import { PermanentJobError } from '../queue.js';

export async function imagesOf(services: Services, imageSetId: string): Promise<LoadedImageSet> {
  return services.memo(`images:${imageSetId}`, async () => {
    const set = await getImageSet(services.pool, imageSetId);
    const files = await datasetFiles(services.pool, set.datasetId);
    return loadImages(services.home, imageSetId, set.options, files);
  });
}

/** Explain batches are small: attentions grow with the square of the tokens. */
export async function sessionOf(
  services: Services,
  modelId: string,
  batchSize = 32,
): Promise<ViTSession> {
  return services.memo(
    `model:${modelId}:${batchSize}`,
    async () => {
      const model = await getModel(services.pool, modelId);
      return loadViT(absolutePath(model.dir), { batchSize, intraOpNumThreads: threads(services) });
    },
    (session) => session.dispose(),
  );
}

/** onnxruntime threads per session: JETLENS_THREADS, else what the runtime chooses. */
function threads(services: Services): number | undefined {
  const value = services.env.JETLENS_THREADS;
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new RangeError(`JETLENS_THREADS must be an integer >= 1, got "${value}"`);
  }
  return parsed;
}

/** The images `events` (indices into the set), as one [N, C, H, W] batch. */
export function gatherImages(set: LoadedImageSet, events: readonly number[]) {
  const [, channels, height, width] = set.index.shape;
  const data = new Float32Array(events.length * set.imageSize);
  events.forEach((event, i) => {
    if (event < 0 || event >= set.index.events.length) {
      throw new RangeError(
        `image ${event} is not in the image set (${set.index.events.length} images)`,
      );
    }
    data.set(
      set.images.subarray(event * set.imageSize, (event + 1) * set.imageSize),
      i * set.imageSize,
    );
  });
  return {
    data,
    dims: [events.length, channels, height, width] as [number, number, number, number],
  };
}

/** The class index of each event under `classes`; an event of another process is an error. */
export function labelsOf(
  set: LoadedImageSet,
  events: readonly number[],
  classes: readonly string[],
) {
  return events.map((event) => {
    const process = set.index.events[event]!.process;
    const label = classes.indexOf(process);
    if (label < 0) {
      throw new PermanentJobError(
        `image ${event} is a ${process} jet, not one of ${classes.join(', ')}`,
      );
    }
    return label;
  });
}

export function checkModelLabels(session: ViTSession, classes: readonly string[]): void {
  const same =
    session.labels.length === classes.length && session.labels.every((l, i) => l === classes[i]);
  if (!same) {
    throw new PermanentJobError(
      `the model's classes are [${session.labels.join(', ')}], the task's [${classes.join(', ')}]; ` +
        'evaluate a model fine-tuned for this task',
    );
  }
}
