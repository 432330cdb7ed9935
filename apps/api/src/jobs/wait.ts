/**
 * Waiting for jobs from the command line: polls their ledger rows until every one has ended,
 * reporting their combined progress, and says which failed and why.
 */
import type { JobRecord } from './ledger.js';
import type { JobQueue } from './queue.js';

const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface WaitOptions {
  /** Called with the mean progress in [0, 1] each time it is read. */
  onProgress?: (fraction: number, jobs: JobRecord[]) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

export class JobsFailedError extends Error {
  override name = 'JobsFailedError';
  readonly failed: JobRecord[];

  constructor(what: string, failed: JobRecord[]) {
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    super(
      `${what}: job ${first?.id} ${first?.status.toLowerCase()}: ` +
        `${first?.error ?? 'no error recorded'}${more}`,
    );
    this.failed = failed;
  }
}

/** How often the ledger is checked against the queue for workers that died on a last attempt. */
const RECONCILE_MS = 5000;

export async function waitForJobs(
  queue: Pick<JobQueue, 'ledger' | 'reconcile'>,
  ids: string[],
  what: string,
  options: WaitOptions = {},
): Promise<JobRecord[]> {
  const { ledger } = queue;
  let reconciled = Date.now();
  for (;;) {
    if (Date.now() - reconciled > RECONCILE_MS) {
      reconciled = Date.now();
      await queue.reconcile(ids);
    }
    const jobs: JobRecord[] = [];
    for (const id of ids) {
      const job = await ledger.get(id);
      if (!job) throw new RangeError(`${what}: job ${id} does not exist`);
      jobs.push(job);
    }
    const progress = jobs.reduce((sum, job) => sum + job.progress, 0) / Math.max(1, jobs.length);
    options.onProgress?.(progress, jobs);

    if (jobs.every((job) => ENDED.has(job.status))) {
      const failed = jobs.filter((job) => job.status !== 'COMPLETED');
      if (failed.length > 0) throw new JobsFailedError(what, failed);
      return jobs;
    }
    if (options.signal?.aborted) throw new Error(`${what}: stopped waiting`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 300));
  }
}
