import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { imagesOf } from '../../jobs/handlers/run-inputs.js';
import { waitForJobs } from '../../jobs/wait.js';
import { startWorker } from '../../jobs/worker.js';
import { STUDY_TASKS } from '../../pipeline/configs.js';
import { defaultBackbone } from '../../pipeline/plan.js';
import { SANITY_EVENTS } from '../../pipeline/sanity.js';
import { runStudy, type StudySettings } from '../../pipeline/study.js';
import { galleryPng } from '../../report/gallery.js';
import { reportHtml } from '../../report/html.js';
import { summariseTask } from '../../report/summary.js';
import { studyTable } from '../../report/table.js';
import { withServices } from '../../services.js';
import { codeVersion } from '../../version.js';
import { integerOption } from '../errors.js';
import { resolveOwner } from '../identity.js';
import { ownerOptions } from '../options.js';
import type { CommandModule } from '../program.js';
import { progressBar } from '../progress.js';
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
import { BUNDLED_SAMPLE } from './ingest.js';

interface StudyOptions extends ParsedOptions {
  data?: string[];
  model?: string;
  json?: string;
  report?: string;
  concurrency: number;
  localWorker: boolean;
  sanityEvents: number;
  sanity: boolean;
  user?: string;
  collaboration?: string;
}

export const studyCommand: CommandModule = (program: Command, context) => {
  const command = program
    .command('study')
    .description(
      'The whole study: ingest, images, fine-tuning per task, evaluation and explanation of ' +
        'every test event, then the table (stdout), an HTML report and optionally JSON. A rerun ' +
        'with the same settings reuses what is stored.',
    )
    .option('--data <paths...>', 'JetClass ROOT files or folders (default: the bundled sample)')
    .option(
      '--model <dir>',
      'backbone checkpoint folder, Hugging Face layout (default: the one in models/)',
    )
    .option('--json <file>', 'also write the table as JSON')
    .option('--report <file>', 'where the HTML report goes (default: JETLENS_HOME/reports/)')
    .option(
      '--concurrency <n>',
      'jobs of each kind run at once by this process',
      integerOption('--concurrency', 1, 64),
      1,
    )
    .option('--no-local-worker', 'leave the jobs to separate "jetlens worker" processes')
    .option(
      '--sanity-events <n>',
      'test events per task (a seeded subset) in the sanity checks of the attention maps',
      integerOption('--sanity-events', 1),
      SANITY_EVENTS,
    )
    .option('--no-sanity', 'skip the sanity checks (untrained, re-initialised, shuffled pixels)');
  trainingOptions(command);
  imageOptions(command);
  explainOptions(command);
  shardOptions(command);
  ownerOptions(command);

  command.action(async (options: StudyOptions) => {
    const { env, log, out } = context();
    const started = Date.now();
    const model = resolve(options.model ?? defaultBackbone());
    const settings: StudySettings = {
      data: options.data ?? [BUNDLED_SAMPLE],
      model,
      tasks: options.tasks ?? STUDY_TASKS,
      trainPerClass: options.trainPerClass,
      validationPerClass: options.validationPerClass,
      trainableLayers: resolveTrainableLayers(options.trainableLayers, backboneLayers(model)),
      epochs: options.epochs,
      learningRate: options.learningRate,
      batchSize: options.batchSize,
      seed: options.seed,
      image: imageSettings(options, model),
      map: mapSettings(options),
      roi: roiSettings(options),
      shardSize: options.shardSize,
      sanityEvents: options.sanity ? options.sanityEvents : 0,
    };

    await withServices({ env, log, supervise: true }, async (services) => {
      const owner = await resolveOwner(services, options);
      const queue = await services.queue();
      const worker = options.localWorker
        ? await startWorker(services, { concurrency: options.concurrency })
        : undefined;
      let result: Awaited<ReturnType<typeof runStudy>>;
      try {
        result = await runStudy(services, owner, settings, async (jobs, what) => {
          if (jobs.length === 0) return;
          const bar = progressBar(what);
          const t0 = Date.now();
          try {
            await waitForJobs(queue, jobs, what, { onProgress: (f) => bar.update(f) });
          } finally {
            bar.stop();
          }
          log.info(
            `${what}: ${jobs.length} job(s) done in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
          );
        });
      } finally {
        await worker?.stop();
      }

      const tasks = [];
      const galleries: Record<string, Buffer | null> = {};
      for (const runs of result.tasks) {
        tasks.push(
          await summariseTask(
            services.pool,
            runs.finetuneRunId,
            runs.evaluate,
            runs.explain,
            runs.sanity,
          ),
        );
        galleries[runs.task.name] = runs.explain
          ? await galleryPng(
              services.pool,
              runs.explain,
              runs.evaluate.id,
              await imagesOf(services, result.imageSetId),
            )
          : null;
      }

      out(studyTable(tasks));
      const createdAt = new Date();
      const reportPath = resolve(
        options.report ??
          join(
            services.home,
            'reports',
            `study-${createdAt.toISOString().replace(/[:.]/g, '-')}.html`,
          ),
      );
      mkdirSync(dirname(reportPath), { recursive: true });
      writeFileSync(
        reportPath,
        reportHtml({
          title: 'JetLens study',
          createdAt,
          owner: `${owner.user.email} (${owner.collaboration.slug})`,
          codeVersion: codeVersion(),
          settings: { ...settings },
          tasks,
          galleries,
        }),
      );
      out(`report: ${reportPath}\n`);
      if (options.json) {
        const path = resolve(options.json);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify({ datasetId: result.datasetId, tasks }, null, 2)}\n`);
        out(`json: ${path}\n`);
      }
      log.info(
        `study done in ${((Date.now() - started) / 1000).toFixed(0)} s; results belong to ` +
          `${owner.user.email} in "${owner.collaboration.slug}"`,
      );
    });
  });
};
