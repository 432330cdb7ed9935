/**
 * What a run's jobs read: the run, its images (cached per process), and the model session
 * (loaded once per process and model, released when the worker stops).
 */
import {
  type ExecutionProviderName,
  loadViT,
  type SessionSettings,
  type ViTSession,
} from '@jetlens/core';
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
      return loadViT(absolutePath(model.dir), { batchSize, ...runtimeSettings(services.env) });
    },
    (session) => session.dispose(),
  );
}

const PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;

/**
 * Where and on how many threads onnxruntime runs, for inference and fine-tuning alike:
 * JETLENS_EXECUTION_PROVIDER (cpu, cuda or webgpu; cpu unless set) and JETLENS_THREADS
 * (threads per session; onnxruntime's choice unless set).
 */
export function runtimeSettings(env: NodeJS.ProcessEnv): SessionSettings {
  const settings: { executionProvider?: ExecutionProviderName; intraOpNumThreads?: number } = {};
  const provider = env.JETLENS_EXECUTION_PROVIDER;
  if (provider !== undefined && provider !== '') {
    if (!(PROVIDERS as readonly string[]).includes(provider)) {
      throw new RangeError(
        `JETLENS_EXECUTION_PROVIDER must be one of ${PROVIDERS.join(', ')}, got "${provider}"`,
      );
    }
    settings.executionProvider = provider as ExecutionProviderName;
  }
  const threads = env.JETLENS_THREADS;
  if (threads !== undefined && threads !== '') {
    const parsed = Number(threads);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new RangeError(`JETLENS_THREADS must be an integer >= 1, got "${threads}"`);
    }
    settings.intraOpNumThreads = parsed;
  }
  return settings;
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
