/**
 * The product's record of each job in the `jobs` table: status, attempts, progress and log
 * lines, under the same id that the queue delivers the job with.
 */
import type pg from 'pg';
import type { Logger } from '../log.js';
import type { JobKind } from './kinds.js';

export type JobStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  maxAttempts: number;
  logs: string[];
  error: string | null;
  runId: string | null;
  runShardId: string | null;
}

export interface NewJob {
  id: string;
  kind: JobKind;
  payload: object;
  maxAttempts: number;
  collaborationId?: string;
  runId?: string;
  runShardId?: string;
}

/** Progress is written at most this often per job; the final 1 always is. */
const PROGRESS_INTERVAL_MS = 1000;

export class JobLedger {
  readonly #pool: pg.Pool;
  readonly #lastProgress = new Map<string, number>();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async insert(job: NewJob): Promise<void> {
    await this.#pool.query(
      `INSERT INTO jobs (id, kind, payload, max_attempts, collaboration_id, run_id, run_shard_id,
                         updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [
        job.id,
        job.kind,
        JSON.stringify(job.payload),
        job.maxAttempts,
        job.collaborationId ?? null,
        job.runId ?? null,
        job.runShardId ?? null,
      ],
    );
  }

  async started(id: string, attempt: number, workerId: string): Promise<void> {
    await this.#pool.query(
      `UPDATE jobs SET status = 'RUNNING', attempts = $2, locked_by = $3, locked_at = now(),
              started_at = coalesce(started_at, now()), error = NULL, updated_at = now()
       WHERE id = $1`,
      [id, attempt, workerId],
    );
  }

  async progress(id: string, fraction: number): Promise<void> {
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw new RangeError(`job ${id}: progress must lie in [0, 1], got ${fraction}`);
    }
    const now = Date.now();
    const last = this.#lastProgress.get(id) ?? 0;
    if (fraction < 1 && now - last < PROGRESS_INTERVAL_MS) return;
    this.#lastProgress.set(id, now);
    await this.#pool.query('UPDATE jobs SET progress = $2, updated_at = now() WHERE id = $1', [
      id,
      fraction,
    ]);
  }

  async appendLog(id: string, line: string): Promise<void> {
    await this.#pool.query(
      'UPDATE jobs SET logs = array_append(logs, $2), updated_at = now() WHERE id = $1',
      [id, line],
    );
  }

  async completed(id: string): Promise<void> {
    this.#lastProgress.delete(id);
    await this.#pool.query(
      `UPDATE jobs SET status = 'COMPLETED', progress = 1, locked_by = NULL, locked_at = NULL,
              finished_at = now(), updated_at = now()
       WHERE id = $1`,
      [id],
    );
  }

  /** A failed attempt: the job waits for its retry, or has failed for good after the last one. */
  async failed(id: string, final: boolean, error: string): Promise<void> {
    this.#lastProgress.delete(id);
    await this.#pool.query(
      `UPDATE jobs SET status = $2::job_status, error = $3, locked_by = NULL, locked_at = NULL,
              finished_at = CASE WHEN $2 = 'FAILED' THEN now() END, updated_at = now()
       WHERE id = $1`,
      [id, final ? 'FAILED' : 'QUEUED', error],
    );
  }

  async cancelled(id: string): Promise<void> {
    await this.#pool.query(
      `UPDATE jobs SET status = 'CANCELLED', locked_by = NULL, locked_at = NULL,
              finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')`,
      [id],
    );
  }

  async isCancelled(id: string): Promise<boolean> {
    const job = await this.get(id);
    return job?.status === 'CANCELLED';
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.#pool.query<JobRecord>(
      `SELECT id, kind, status, progress, attempts, max_attempts AS "maxAttempts", logs, error,
              run_id AS "runId", run_shard_id AS "runShardId"
       FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The most recent jobs, newest first, optionally of one status. */
  async list(limit: number, status?: JobStatus): Promise<(JobRecord & { createdAt: Date })[]> {
    const { rows } = await this.#pool.query<JobRecord & { createdAt: Date }>(
      `SELECT id, kind, status, progress, attempts, max_attempts AS "maxAttempts", logs, error,
              run_id AS "runId", run_shard_id AS "runShardId", created_at AS "createdAt"
       FROM jobs WHERE ($2::job_status IS NULL OR status = $2)
       ORDER BY created_at DESC LIMIT $1`,
      [limit, status ?? null],
    );
    return rows;
  }

  /** A queued or running job of `kind` whose payload contains `match`, if there is one. */
  async findOpen(kind: JobKind, match: Record<string, unknown>): Promise<string | undefined> {
    const { rows } = await this.#pool.query<{ id: string }>(
      `SELECT id FROM jobs WHERE kind = $1 AND payload @> $2::jsonb
         AND status IN ('QUEUED', 'RUNNING')
       ORDER BY created_at DESC LIMIT 1`,
      [kind, JSON.stringify(match)],
    );
    return rows[0]?.id;
  }

  /** Jobs not yet finished: queued, waiting for a retry, or running. */
  async pendingCount(): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>(
      "SELECT count(*) AS count FROM jobs WHERE status IN ('QUEUED', 'RUNNING')",
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** A logger whose lines also land in the job's log, in order; flush() waits for them. */
  logger(id: string, base: Logger): Logger & { flush(): Promise<void> } {
    let pending: Promise<void> = Promise.resolve();
    const record = (level: string, message: string) => {
      const line = `${new Date().toISOString()} ${level} ${message}`;
      // A log line that cannot be stored must not fail the job; it still reached the terminal.
      pending = pending
        .then(() => this.appendLog(id, line))
        .catch((error: unknown) => base.warn(`job ${id}: log line not stored: ${String(error)}`));
    };
    const wrap = (logger: Logger): Logger => ({
      debug: (message) => logger.debug(message),
      info: (message) => {
        logger.info(message);
        record('info', message);
      },
      warn: (message) => {
        logger.warn(message);
        record('warn', message);
      },
      error: (message) => {
        logger.error(message);
        record('error', message);
      },
      child: (scope) => wrap(logger.child(scope)),
    });
    return Object.assign(wrap(base.child(id.slice(0, 8))), { flush: () => pending });
  }
}
