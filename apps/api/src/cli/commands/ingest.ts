import { join } from 'node:path';
import { repoRoot } from '@jetlens/db';
import type { Command } from 'commander';
import { planIngest } from '../../pipeline/ingest.js';
import { withServices } from '../../services.js';
import { resolveOwner } from '../identity.js';
import { jobOptions, ownerOptions, runOptions, type StepOptions } from '../options.js';
import type { CommandModule } from '../program.js';
import { seeJobsThrough } from '../run-jobs.js';

export const BUNDLED_SAMPLE = join(repoRoot, 'data', 'jetclass-sample');

export const ingestCommand: CommandModule = (program: Command, context) => {
  const command = program
    .command('ingest [paths...]')
    .description(
      'Register JetClass ROOT files (<Process>_<NNN>.root, or folders of them) as a dataset and ' +
        'read every jet once; files already ingested are recognised by their SHA-256',
    )
    .option('--name <name>', "dataset name (default: the first path's folder name)")
    .option('--process <list>', 'comma-separated JetClass processes to keep, e.g. HToBB,HToCC');
  ownerOptions(command);
  jobOptions(command);
  command.action(
    async (paths: string[], options: StepOptions & { name?: string; process?: string }) => {
      const { env, log, out } = context();
      await withServices({ env, log }, async (services) => {
        const owner = await resolveOwner(services, options);
        const plan = await planIngest(services, owner, {
          paths: paths.length > 0 ? paths : [BUNDLED_SAMPLE],
          ...(options.name === undefined ? {} : { name: options.name }),
          ...(options.process === undefined ? {} : { processes: options.process.split(',') }),
        });
        const jobs = plan.jobId ? [plan.jobId] : [];
        await seeJobsThrough(services, jobs, 'ingest', runOptions(options));
        out(`${plan.dataset.id}\n`);
      });
    },
  );
};
