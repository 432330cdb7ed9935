/**
 * What commands and workers share: the database (a shared PostgreSQL from DATABASE_URL, or the
 * embedded one), a pg pool on it, and the job queue. Opened once per process, closed in order.
 */
import { jetlensHome } from '@jetlens/db';
import pg from 'pg';
import { JobQueue } from './jobs/queue.js';
import type { Logger } from './log.js';
import { openStore } from './store/database.js';

export interface Services {
  pool: pg.Pool;
  /** The job queue, connected on first use (user and token commands never need it). */
  queue(): Promise<JobQueue>;
  /** True when the database is the embedded PostgreSQL (single-host setup). */
  embedded: boolean;
  connectionString: string;
  env: NodeJS.ProcessEnv;
  /** Local state: image caches, fine-tuned weights (share it between hosts for a cluster). */
  home: string;
  log: Logger;
  /** Per-process memo of expensive things (loaded images, model sessions), by key. */
  memo<T>(key: string, make: () => Promise<T>, dispose?: (value: T) => Promise<void>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Run the queue's supervision (retry jobs of dead workers) here; workers do. */
  supervise?: boolean;
}

export async function openServices(options: OpenOptions): Promise<Services> {
  const store = await openStore(options.env, options.log);
  const pool = new pg.Pool({ connectionString: store.connectionString, max: 6 });
  pool.on('error', (error) => options.log.warn(`database connection lost: ${error.message}`));

  let queue: Promise<JobQueue> | undefined;
  const openQueue = () => {
    queue ??= JobQueue.open({
      pool,
      connectionString: store.connectionString,
      log: options.log,
      supervise: options.supervise ?? false,
    });
    return queue;
  };

  const memos = new Map<string, Promise<unknown>>();
  const disposers: (() => Promise<void>)[] = [];
  const memo = <T>(key: string, make: () => Promise<T>, dispose?: (value: T) => Promise<void>) => {
    let entry = memos.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = make();
      memos.set(key, entry);
      entry.catch(() => memos.delete(key));
      if (dispose) disposers.push(async () => dispose(await entry!));
    }
    return entry;
  };

  return {
    pool,
    queue: openQueue,
    home: jetlensHome(options.env),
    memo,
    embedded: store.embedded,
    connectionString: store.connectionString,
    env: options.env,
    log: options.log,
    close: async () => {
      for (const dispose of disposers) await dispose().catch(() => undefined);
      if (queue) await (await queue.catch(() => undefined))?.close();
      await pool.end();
      await store.close();
    },
  };
}

/** Opens the services, runs `work` with them and closes them whatever happens. */
export async function withServices<T>(
  options: OpenOptions,
  work: (services: Services) => Promise<T>,
): Promise<T> {
  const services = await openServices(options);
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
