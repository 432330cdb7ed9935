/**
 * How a step command sees its jobs through: by default it runs a worker in its own process
 * and waits (other workers on the same queue help); with --detach it only queues them.
 */

import type { JobRecord } from '../jobs/ledger.js';
import { waitForJobs } from '../jobs/wait.js';
import { startWorker } from '../jobs/worker.js';
import type { Services } from '../services.js';
import { progressBar } from './progress.js';

export interface RunJobsOptions {
  /** Queue the jobs and return at once. */
  detach?: boolean;
  /** Run a worker in this process while waiting (default true). */
  localWorker?: boolean;
  concurrency?: number;
}

export async function seeJobsThrough(
  services: Services,
  ids: string[],
  what: string,
  options: RunJobsOptions = {},
): Promise<JobRecord[] | undefined> {
  if (ids.length === 0) return [];
  const queue = await services.queue();
  if (options.detach) {
    services.log.info(`${what}: queued ${ids.length} job(s); run "jetlens worker" to process them`);
    return undefined;
  }

  const worker =
    options.localWorker === false
      ? undefined
      : await startWorker(services, { concurrency: options.concurrency ?? 1 });
  const bar = progressBar(what);
  try {
    return await waitForJobs(queue, ids, what, { onProgress: (f) => bar.update(f) });
  } finally {
    bar.stop();
    await worker?.stop();
  }
}
