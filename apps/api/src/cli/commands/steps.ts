/**
 * The study's steps one at a time, for scripts and clusters: each queues its jobs (or finds
 * them done), sees them through unless --detach, and prints the id of what it made on stdout.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { STUDY_TASKS } from '../../pipeline/configs.js';
import {
  defaultBackbone,
  defaultBackboneIfAny,
  planBackbone,
  planEvaluate,
  planExplain,
  planFinetune,
  planImages,
} from '../../pipeline/plan.js';
import { withServices } from '../../services.js';
import { getImageSet } from '../../store/image-sets.js';
import { resolveOwner } from '../identity.js';
import { jobOptions, ownerOptions, runOptions, type StepOptions } from '../options.js';
import type { CommandModule } from '../program.js';
import { seeJobsThrough } from '../run-jobs.js';
import {
  backboneLayers,
  explainOptions,
  imageOptions,
  imageSettings,
  mapSettings,
  type ParsedOptions,
  resolveTrainableLayers,
  roiSettings,
  shardOptions,
  trainingOptions,
} from '../settings.js';

type Options = StepOptions &
  ParsedOptions & { dataset?: string; imageSet?: string; model?: string; run?: string };

function step(program: Command, name: string, description: string): Command {
  const command = program.command(name).description(description);
  ownerOptions(command);
  jobOptions(command);
  return command;
}

export const imagesCommand: CommandModule = (program, context) => {
  const command = step(
    program,
    'images',
    'Build the jet images (and prong centroids) of an ingested dataset',
  )
    .requiredOption('--dataset <id>', 'the dataset, as printed by "jetlens ingest"')
    .option('--model <dir>', 'the backbone the images are for: its image_size is the default size');
  imageOptions(command).action(async (options: Options) => {
    const { env, log, out } = context();
    await withServices({ env, log }, async (services) => {
      const owner = await resolveOwner(services, options);
      const model =
        options.model ?? (options.imageSize === undefined ? defaultBackboneIfAny() : undefined);
      const plan = await planImages(
        services,
        owner,
        options.dataset!,
        imageSettings(options, model),
      );
      await seeJobsThrough(services, plan.jobs, 'images', runOptions(options));
      out(`${plan.value.id}\n`);
    });
  });
};

export const finetuneCommand: CommandModule = (program, context) => {
  const command = step(
    program,
    'finetune',
    'Fine-tune the backbone on a few-shot sample of an image set, one run per task',
  )
    .requiredOption('--image-set <id>', 'the image set, as printed by "jetlens images"')
    .option('--model <dir>', 'backbone checkpoint folder (default: the one in models/)');
  trainingOptions(command).action(async (options: Options) => {
    const { env, log, out } = context();
    const model = resolve(options.model ?? defaultBackbone());
    const trainableLayers = resolveTrainableLayers(options.trainableLayers, backboneLayers(model));
    await withServices({ env, log }, async (services) => {
      const owner = await resolveOwner(services, options);
      const imageSet = await getImageSet(services.pool, options.imageSet!);
      const backbone = await planBackbone(services, owner, model);
      const plans = [];
      for (const task of options.tasks ?? STUDY_TASKS) {
        plans.push(
          await planFinetune(services, owner, {
            task,
            imageSet,
            backbone,
            trainPerClass: options.trainPerClass,
            validationPerClass: options.validationPerClass,
            trainableLayers,
            epochs: options.epochs,
            learningRate: options.learningRate,
            batchSize: options.batchSize,
            seed: options.seed,
          }),
        );
      }
      await seeJobsThrough(
        services,
        plans.flatMap((plan) => plan.jobs),
        'fine-tune',
        runOptions(options),
      );
      for (const plan of plans) out(`${plan.value.id}\n`);
    });
  });
};

export const evaluateCommand: CommandModule = (program, context) => {
  const command = step(
    program,
    'evaluate',
    "Predict every test event of a fine-tuning run's task, in shards",
  ).requiredOption('--run <id>', 'the fine-tuning run, as printed by "jetlens finetune"');
  shardOptions(command).action(async (options: Options) => {
    const { env, log, out } = context();
    await withServices({ env, log }, async (services) => {
      const owner = await resolveOwner(services, options);
      const plan = await planEvaluate(services, owner, options.run!, options.shardSize);
      await seeJobsThrough(services, plan.jobs, 'evaluate', runOptions(options));
      out(`${plan.value.id}\n`);
    });
  });
};

export const explainCommand: CommandModule = (program, context) => {
  const command = step(
    program,
    'explain',
    'Attention maps, prong ROIs and attention fractions of every test event of a fine-tuning run',
  ).requiredOption('--run <id>', 'the fine-tuning run, as printed by "jetlens finetune"');
  shardOptions(explainOptions(command)).action(async (options: Options) => {
    const { env, log, out } = context();
    await withServices({ env, log }, async (services) => {
      const owner = await resolveOwner(services, options);
      const plan = await planExplain(
        services,
        owner,
        options.run!,
        mapSettings(options),
        roiSettings(options),
        options.shardSize,
      );
      await seeJobsThrough(services, plan.jobs, 'explain', runOptions(options));
      out(`${plan.value.id}\n`);
    });
  });
};
