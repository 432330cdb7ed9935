/**
 * The worker loop: takes jobs of every kind from the queue and runs their handlers. The same
 * loop runs inside `jetlens study` (embedded setup, one process) and as `jetlens worker`
 * processes on any number of hosts against one PostgreSQL.
 */
import type { Services } from '../services.js';
import { createHandlers, type Handlers } from './handlers/index.js';
import { JOB_KINDS, type JobKind } from './kinds.js';
import type { JobHandler } from './queue.js';

export interface WorkerOptions {
  /** Jobs of each kind run at once in this process. */
  concurrency?: number;
  /** Handlers to run; the product's own unless given (tests pass their own). */
  handlers?: Partial<Handlers>;
}

export interface RunningWorker {
  /** Lets running jobs finish, then stops taking new ones. */
  stop(): Promise<void>;
}

export async function startWorker(
  services: Services,
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  const queue = await services.queue();
  const handlers = options.handlers ?? createHandlers(services);
  const kinds = JOB_KINDS.filter((kind) => handlers[kind] !== undefined);

  for (const kind of kinds) {
    const handler = handlers[kind] as JobHandler<JobKind>;
    await queue.work(kind, handler, { concurrency: options.concurrency ?? 1 });
  }
  services.log.info(`worker ready for ${kinds.join(', ')}`);
  return { stop: () => queue.stopWork() };
}

export interface RunWorkerOptions extends WorkerOptions {
  /** Return once no job is queued or running (checked every second), instead of on a signal. */
  untilIdle?: boolean;
}

/** Runs a worker until SIGINT or SIGTERM (or, with untilIdle, until the queue is drained). */
export async function runWorker(services: Services, options: RunWorkerOptions = {}): Promise<void> {
  const worker = await startWorker(services, options);
  const queue = await services.queue();

  await new Promise<void>((resolve) => {
    const finish = (reason: string) => {
      clearInterval(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      services.log.info(`worker stopping (${reason}); running jobs finish first`);
      resolve();
    };
    const onSignal = (signal: NodeJS.Signals) => finish(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    let idlePolls = 0;
    const timer = setInterval(() => {
      if (!options.untilIdle) return;
      void queue.ledger.pendingCount().then((pending) => {
        idlePolls = pending === 0 ? idlePolls + 1 : 0;
        if (idlePolls >= 2) finish('queue empty');
      });
    }, 1000);
  });
  await worker.stop();
}
