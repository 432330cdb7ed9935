/** Options shared by the commands that create results. */
import type { Command } from 'commander';
import type { OwnerOptions } from './identity.js';
import type { RunJobsOptions } from './run-jobs.js';

export function ownerOptions(command: Command): Command {
  return command
    .option(
      '--user <email>',
      'owner of the results (default with the embedded database: the local user)',
    )
    .option('--collaboration <slug>', 'collaboration the results belong to (default: local)');
}

export function jobOptions(command: Command): Command {
  return command
    .option('--detach', 'only queue the jobs; separate "jetlens worker" processes run them')
    .option('--no-local-worker', 'wait for the jobs without running a worker in this process');
}

export type StepOptions = OwnerOptions & { detach?: boolean; localWorker?: boolean };

export function runOptions(options: StepOptions): RunJobsOptions {
  return {
    ...(options.detach === undefined ? {} : { detach: options.detach }),
    ...(options.localWorker === undefined ? {} : { localWorker: options.localWorker }),
  };
}
