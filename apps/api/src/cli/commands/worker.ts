import type { Command } from 'commander';
import { runWorker } from '../../jobs/worker.js';
import { openServices } from '../../services.js';
import { integerOption } from '../errors.js';
import type { CommandModule } from '../program.js';

export const workerCommand: CommandModule = (program: Command, context) => {
  program
    .command('worker')
    .description(
      'Run queued jobs (ingest, images, fine-tuning, evaluation and explain shards) until ' +
        'stopped with Ctrl-C or SIGTERM. Start any number, on any host, with the same DATABASE_URL.',
    )
    .option(
      '--concurrency <n>',
      'jobs of each kind run at once in this process',
      integerOption('--concurrency', 1, 64),
      1,
    )
    .option('--once', 'stop when the queue has been empty for a moment (scripts and tests)')
    .action(async (options: { concurrency: number; once?: boolean }) => {
      const { env, log } = context();
      const services = await openServices({ env, log, supervise: true });
      try {
        await runWorker(services, {
          concurrency: options.concurrency,
          untilIdle: options.once === true,
        });
      } finally {
        await services.close();
      }
    });
};
