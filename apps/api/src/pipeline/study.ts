/**
 * The whole study: ingest the data, build the images, fine-tune one model per task, evaluate
 * every test event, explain every test event, and summarise. Every step reuses what is stored
 * for its configuration, so a rerun with the same settings only reports.
 */
import type { ImageConfig } from '@jetlens/core';
import type { AttentionMapOptionsInput, RoiOptionsInput } from '@jetlens/xai';
import type { Owner } from '../cli/identity.js';
import type { Services } from '../services.js';
import { getRun, type RunRow } from '../store/runs.js';
import type { EvaluateConfig, ExplainConfig, FinetuneSettings, Task } from './configs.js';
import { planIngest } from './ingest.js';
import { planBackbone, planEvaluate, planExplain, planFinetune, planImages } from './plan.js';
import { planSanity, type SanityConfig } from './sanity.js';

export interface StudySettings extends FinetuneSettings {
  data: string[];
  model: string;
  tasks: Task[];
  image: Partial<ImageConfig>;
  map: AttentionMapOptionsInput;
  roi: RoiOptionsInput;
  shardSize: number;
  /** Test events per task in the sanity checks; 0 skips them. */
  sanityEvents: number;
}

export interface StudyTaskRuns {
  task: Task;
  finetuneRunId: string;
  evaluate: RunRow<EvaluateConfig>;
  explain: RunRow<ExplainConfig> | null;
  sanity: RunRow<SanityConfig> | null;
}

export interface StudyResult {
  datasetId: string;
  imageSetId: string;
  tasks: StudyTaskRuns[];
}

/** Waits for a stage's jobs; the study passes its own worker and progress bars. */
export type AwaitJobs = (jobs: string[], what: string) => Promise<void>;

export async function runStudy(
  services: Services,
  owner: Owner,
  settings: StudySettings,
  awaitJobs: AwaitJobs,
): Promise<StudyResult> {
  const processes = [...new Set(settings.tasks.flatMap((task) => task.classes))];
  const ingest = await planIngest(services, owner, { paths: settings.data, processes });
  await awaitJobs(ingest.jobId ? [ingest.jobId] : [], 'ingest');

  const backbone = await planBackbone(services, owner, settings.model);
  const images = await planImages(services, owner, ingest.dataset.id, settings.image);
  await awaitJobs(images.jobs, 'images');

  const finetunes = [];
  for (const task of settings.tasks) {
    finetunes.push(
      await planFinetune(services, owner, {
        task,
        imageSet: images.value,
        backbone,
        trainPerClass: settings.trainPerClass,
        validationPerClass: settings.validationPerClass,
        trainableLayers: settings.trainableLayers,
        epochs: settings.epochs,
        learningRate: settings.learningRate,
        batchSize: settings.batchSize,
        seed: settings.seed,
      }),
    );
  }
  await awaitJobs(
    finetunes.flatMap((plan) => plan.jobs),
    'fine-tune',
  );

  // Explanations need one jet's prongs per image; stacked images are evaluated only.
  const explainable = (settings.image.jetsPerImage ?? 1) === 1;
  if (!explainable) {
    services.log.warn(
      `images of ${settings.image.jetsPerImage} jets: evaluating only; attention fractions need ` +
        'the prongs of one jet per image',
    );
  }
  const evaluations = [];
  const explanations = [];
  for (const finetune of finetunes) {
    evaluations.push(await planEvaluate(services, owner, finetune.value.id, settings.shardSize));
    if (explainable) {
      explanations.push(
        await planExplain(
          services,
          owner,
          finetune.value.id,
          settings.map,
          settings.roi,
          settings.shardSize,
        ),
      );
    }
  }
  // Evaluation and explanation shards go out together, so that workers can take either.
  await awaitJobs(
    [...evaluations, ...explanations].flatMap((plan) => plan.jobs),
    'evaluate + explain',
  );

  const tasks: StudyTaskRuns[] = [];
  for (const [i, task] of settings.tasks.entries()) {
    const evaluate = await getRun<EvaluateConfig>(services.pool, evaluations[i]!.value.id);
    const explainPlan = explanations[i];
    const explain = explainPlan
      ? await getRun<ExplainConfig>(services.pool, explainPlan.value.id)
      : null;
    // In this process, after the explanations: the variants are models of their own.
    const sanity =
      explain && settings.sanityEvents > 0
        ? await planSanity(services, owner, {
            finetuneRunId: finetunes[i]!.value.id,
            map: settings.map,
            roi: settings.roi,
            events: settings.sanityEvents,
            seed: settings.seed,
          })
        : null;
    tasks.push({ task, finetuneRunId: finetunes[i]!.value.id, evaluate, explain, sanity });
  }
  return { datasetId: ingest.dataset.id, imageSetId: images.value.id, tasks };
}
