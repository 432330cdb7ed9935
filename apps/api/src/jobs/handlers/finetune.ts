/**
 * run.finetune: draws the few-shot sample (train and validation images per class, the rest of
 * each class is the test set), fine-tunes the last encoder layers and a new head of the
 * backbone, saves the weights under JETLENS_HOME/models/<run id>/ and registers them as a model.
 * Training resumes from its last epoch when the job is retried after a crash.
 */
import { join } from 'node:path';
import {
  fineTune,
  lastLayersFreezeSpec,
  loadViTCheckpoint,
  sampleFewShot,
  saveFineTuned,
} from '@jetlens/core';
import { absolutePath } from '../../datasets/files.js';
import { describeError } from '../../log.js';
import type { FinetuneConfig, FinetuneProtocol } from '../../pipeline/configs.js';
import type { Services } from '../../services.js';
import { getModel, registerModel } from '../../store/models.js';
import {
  completeRun,
  getRun,
  markRunFailed,
  markRunRunning,
  setRunProtocol,
} from '../../store/runs.js';
import { type JobHandler, PermanentJobError } from '../queue.js';
import { gatherImages, imagesOf, runtimeSettings } from './run-inputs.js';

/** How many of the last layers `layers` (counted from 1) are, or an error if they are not. */
export function lastLayerCount(layers: readonly number[], numLayers: number): number {
  const sorted = [...layers].sort((a, b) => a - b);
  const k = sorted.length;
  const expected = Array.from({ length: k }, (_, i) => numLayers - k + 1 + i);
  if (k === 0 || sorted.some((layer, i) => layer !== expected[i])) {
    throw new PermanentJobError(
      `trainable layers must be the last ones of the ${numLayers}-layer backbone ` +
        `(e.g. ${numLayers - 1}-${numLayers}), got ${layers.join(',')}: fine-tuning trains a ` +
        'top block over a frozen trunk',
    );
  }
  return k;
}

export function finetuneHandler(services: Services): JobHandler<'run.finetune'> {
  const { pool } = services;
  return async ({ runId }, context) => {
    const run = await getRun<FinetuneConfig, FinetuneProtocol>(pool, runId);
    if (run.status === 'COMPLETED' || run.status === 'CANCELLED') return;
    await markRunRunning(pool, runId);

    try {
      const { config } = run;
      const images = await imagesOf(services, config.imageSetId);
      const backbone = await getModel(pool, config.backboneModelId);
      const checkpoint = loadViTCheckpoint(absolutePath(backbone.dir));
      const numLayers = checkpoint.weights.config.numHiddenLayers;
      const k = lastLayerCount(config.trainableLayers, numLayers);

      const classes = config.task.classes;
      const events = images.index.events.flatMap((event, index) => {
        const label = classes.indexOf(event.process);
        return label < 0 ? [] : [{ id: String(index), label }];
      });
      const seeds = { sampling: config.seed, head: config.seed + 1, shuffle: config.seed + 2 };
      let sample: ReturnType<typeof sampleFewShot>;
      try {
        sample = sampleFewShot(events, {
          classes,
          trainPerClass: config.trainPerClass,
          validationPerClass: config.validationPerClass,
          seeds,
          freeze: lastLayersFreezeSpec(numLayers, k),
        });
      } catch (error) {
        throw new PermanentJobError(`few-shot sample: ${describeError(error)}`, { cause: error });
      }
      const picked = new Set([...sample.train, ...sample.validation].map((event) => event.id));
      const protocol: FinetuneProtocol & { fewShot: typeof sample } = {
        train: sample.train.map((event) => Number(event.id)),
        validation: sample.validation.map((event) => Number(event.id)),
        test: events.filter((event) => !picked.has(event.id)).map((event) => Number(event.id)),
        trainable: [
          ...sample.freeze.trainableLayers.map((layer) => `vit.encoder.layer.${layer}`),
          ...sample.freeze.alsoTrained,
        ],
        fewShot: sample,
      };
      await setRunProtocol(pool, runId, protocol);

      const labelled = (list: readonly { id: string; label: number }[]) => ({
        images: gatherImages(
          images,
          list.map((event) => Number(event.id)),
        ),
        labels: list.map((event) => event.label),
      });
      const runDir = join(services.home, 'runs', runId);
      const result = await fineTune(
        checkpoint.weights,
        checkpoint.preprocessor,
        labelled(sample.train),
        labelled(sample.validation),
        {
          ...runtimeSettings(services.env),
          labels: classes,
          trainableLayers: k,
          epochs: config.epochs,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          seeds: { head: seeds.head, shuffle: seeds.shuffle },
          signal: context.signal,
          checkpointDir: join(runDir, 'resume'),
          onEpoch: (report) => {
            context.log.info(
              `epoch ${report.epoch}: train loss ${report.trainLoss.toFixed(4)}, validation ` +
                `loss ${report.validationLoss.toFixed(4)}, accuracy ${report.validationAccuracy.toFixed(3)}`,
            );
            void context.progress(Math.min(0.99, report.epoch / config.epochs));
          },
        },
      );

      const modelDir = join(services.home, 'models', runId);
      saveFineTuned(modelDir, result, checkpoint.preprocessor, sample);
      const { model } = await registerModel(
        pool,
        { collaborationId: run.collaborationId, userId: run.ownerId },
        modelDir,
        {
          // The random end of the run's id: its start is a time stamp, shared by runs made together.
          name: `${config.task.name}-${runId.slice(-12)}`,
          source: `run:${runId}`,
          parentModelId: backbone.id,
          producedByRunId: runId,
        },
      );
      await completeRun(pool, runId, {
        modelId: model.id,
        freeze: result.freeze.description,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        trunkSeconds: result.trunkSeconds,
        history: result.history,
        preprocessing: result.preprocessing,
      });
      context.log.info(`model ${model.name} saved (${result.freeze.description})`);
    } catch (error) {
      if (error instanceof PermanentJobError || context.lastAttempt) {
        await markRunFailed(pool, runId, describeError(error));
      }
      throw error;
    }
  };
}
