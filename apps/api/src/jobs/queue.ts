/**
 * The job queue: pg-boss in the same PostgreSQL as the experiment store, so that a job and the
 * rows it writes share one database and workers on any host need only DATABASE_URL.
 *
 * pg-boss owns delivery (claiming with SKIP LOCKED, retries with exponential backoff, heartbeats
 * that hand the job of a dead worker to another one, cancellation). The product's own `jobs`
 * table, kept by JobLedger under the same id, is what users see: status, progress, log lines.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { type JobResult, type JobWithMetadata, PgBoss } from 'pg-boss';
import { describeError, type Logger } from '../log.js';
import { isJobKind, JOB_KINDS, type JobKind, type JobPayloads, parsePayload } from './kinds.js';
import { JobLedger } from './ledger.js';

/** How often a job is tried in all before it is marked failed. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * A worker proves it is alive this often; a job whose worker stops (killed, host lost) is handed
 * to another worker after HEARTBEAT_SECONDS plus one supervision pass. pg-boss's floor is 10 s.
 */
const HEARTBEAT_SECONDS = 10;
const SUPERVISE_SECONDS = 5;

/**
 * A failure that retrying cannot cure (a corrupt file, a config that contradicts the data):
 * the job fails at once instead of backing off and trying again.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface JobQueueOptions {
  pool: pg.Pool;
  connectionString: string;
  log: Logger;
  /** Run pg-boss's maintenance (expiry, heartbeat checks) in this process; workers do. */
  supervise?: boolean;
}

export interface EnqueueOptions {
  collaborationId?: string;
  runId?: string;
  runShardId?: string;
  maxAttempts?: number;
  /** Seconds before the first retry; later retries back off exponentially. */
  retryDelaySeconds?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** No retry follows if this attempt fails: the handler records the failure for good. */
  lastAttempt: boolean;
  /** Aborted when the job is cancelled or the worker stops; long steps check it between batches. */
  signal: AbortSignal;
  log: Logger;
  /** Records progress in [0, 1]; cheap to call often (writes are throttled). */
  progress(fraction: number): Promise<void>;
}

export type JobHandler<K extends JobKind> = (
  payload: JobPayloads[K],
  context: JobContext,
) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this kind that this process runs at the same time. */
  concurrency?: number;
  workerId?: string;
}

export class JobQueue {
  readonly ledger: JobLedger;
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #working = new Set<JobKind>();

  private constructor(boss: PgBoss, ledger: JobLedger, log: Logger) {
    this.#boss = boss;
    this.ledger = ledger;
    this.#log = log;
  }

  static async open(options: JobQueueOptions): Promise<JobQueue> {
    const log = options.log.child('queue');
    const boss = new PgBoss({
      connectionString: options.connectionString,
      schema: 'pgboss',
      application_name: 'jetlens',
      max: 4,
      supervise: options.supervise ?? false,
      superviseIntervalSeconds: SUPERVISE_SECONDS,
      monitorIntervalSeconds: SUPERVISE_SECONDS,
      schedule: false,
    });
    boss.on('error', (error: unknown) => log.warn(`pg-boss: ${describeError(error)}`));
    await boss.start();

    for (const kind of JOB_KINDS) {
      if (await boss.getQueue(kind)) continue;
      await boss.createQueue(kind, {
        retryLimit: DEFAULT_MAX_ATTEMPTS - 1,
        retryDelay: 2,
        retryBackoff: true,
        retryDelayMax: 120,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        expireInSeconds: 6 * 60 * 60,
      });
    }
    return new JobQueue(boss, new JobLedger(options.pool), log);
  }

  /** Records the job and queues it under one id; returns the id. */
  async enqueue<K extends JobKind>(
    kind: K,
    payload: JobPayloads[K],
    options: EnqueueOptions = {},
  ): Promise<string> {
    parsePayload(kind, payload);
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(
        `enqueue ${kind}: maxAttempts must be an integer >= 1, got ${maxAttempts}`,
      );
    }

    const id = randomUUID();
    await this.ledger.insert({ id, kind, payload, maxAttempts, ...options });
    await this.#boss.send(kind, payload, {
      id,
      retryLimit: maxAttempts - 1,
      ...(options.retryDelaySeconds === undefined ? {} : { retryDelay: options.retryDelaySeconds }),
    });
    return id;
  }

  /**
   * Queues the job unless one for the same target (`key`, a part of the payload) is still
   * queued or running, e.g. from an earlier call that was interrupted; returns the job's id.
   */
  async enqueueOnce<K extends JobKind>(
    kind: K,
    payload: JobPayloads[K],
    key: Partial<JobPayloads[K]>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const open = await this.ledger.findOpen(kind, key);
    return open ?? this.enqueue(kind, payload, options);
  }

  /** Asks the job to stop: queued jobs never start, a running one sees its signal aborted. */
  async cancel(kind: JobKind, jobId: string): Promise<void> {
    await this.#boss.cancel(kind, jobId);
    await this.ledger.cancelled(jobId);
  }

  /** Runs `handler` for every job of `kind` until the queue is closed. */
  async work<K extends JobKind>(
    kind: K,
    handler: JobHandler<K>,
    options: WorkOptions = {},
  ): Promise<void> {
    const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
    const log = this.#log.child(kind);
    this.#working.add(kind);

    const workOptions = {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 1,
      pollingIntervalSeconds: 0.5,
      includeMetadata: true,
      perJobResults: true,
    } as const;
    let workId: string | undefined;
    workId = await this.#boss.work<JobPayloads[K], JobResult[], typeof workOptions>(
      kind,
      workOptions,
      async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) {
          const status = await this.#run(kind, job, handler, workerId, log);
          results.push({ id: job.id, status });
        }
        // Fetch the next job at once instead of waiting out the polling interval: shards are
        // short, and a queue of them should drain at the speed of the work. (pg-boss wakes the
        // first of the local workers; the others keep the interval.)
        if (workId) this.#boss.notifyWorker(workId);
        return results;
      },
    );
  }

  async #run<K extends JobKind>(
    kind: K,
    job: JobWithMetadata<JobPayloads[K]>,
    handler: JobHandler<K>,
    workerId: string,
    log: Logger,
  ): Promise<JobResult['status']> {
    const attempt = job.retryCount + 1;
    const lastAttempt = job.retryCount >= job.retryLimit;
    const jobLog = this.ledger.logger(job.id, log);
    await this.ledger.started(job.id, attempt, workerId);
    jobLog.info(`attempt ${attempt} of ${job.retryLimit + 1} on ${workerId}`);

    try {
      const payload = parsePayload(kind, job.data);
      await handler(payload, {
        jobId: job.id,
        attempt,
        lastAttempt,
        signal: job.signal,
        log: jobLog,
        progress: (fraction) => this.ledger.progress(job.id, fraction),
      });
    } catch (error) {
      if (job.signal.aborted && (await this.ledger.isCancelled(job.id))) {
        jobLog.warn('cancelled');
        return 'completed';
      }
      // A payload that does not parse, data that cannot be read, a setting that contradicts
      // the model (TypeError, RangeError: the kind or value of something is wrong) will not
      // get better by trying again: such errors end the job at once. Everything else (a lost
      // connection, a full disk, a killed worker) is retried with backoff.
      const permanent =
        error instanceof PermanentJobError ||
        error instanceof TypeError ||
        error instanceof RangeError;
      const final = permanent || lastAttempt;
      jobLog.error(
        `attempt ${attempt} failed${final ? '' : ', will retry'}: ${describeError(error)}`,
      );
      await jobLog.flush();
      await this.ledger.failed(job.id, final, describeError(error));
      return final ? 'deadletter' : 'failed';
    }
    await jobLog.flush();
    await this.ledger.completed(job.id);
    return 'completed';
  }

  /**
   * Brings the ledger in line with the queue for jobs it shows as running whose worker died on
   * their last attempt: pg-boss fails such a job when its heartbeat stops, and no handler is
   * left to record it. Returns how many were corrected.
   */
  async reconcile(ids: string[]): Promise<number> {
    let corrected = 0;
    for (const id of ids) {
      const record = await this.ledger.get(id);
      if (record?.status !== 'RUNNING' || !isJobKind(record.kind)) continue;
      const [job] = await this.#boss.findJobs(record.kind, { id });
      if (job?.state === 'failed') {
        await this.ledger.failed(
          id,
          true,
          `the worker stopped during attempt ${record.attempts} (the last)`,
        );
        corrected += 1;
      }
    }
    return corrected;
  }

  /** Stops taking jobs of every kind; resolves once the running ones have finished. */
  async stopWork(): Promise<void> {
    for (const kind of this.#working) await this.#boss.offWork(kind, { wait: true });
    this.#working.clear();
  }

  /** Waits for running jobs to finish (up to `timeoutMs`), then disconnects. */
  async close(timeoutMs = 30_000): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
