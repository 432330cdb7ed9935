import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, PermanentJobError } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';

const log = createLogger({ level: 'error' });
const someId = '0190a5b2-7c1e-7d3f-8a9b-0123456789ab';

let db: TestDatabase;
let queue: JobQueue;

beforeAll(async () => {
  db = await freshDatabase('api_queue');
  queue = await JobQueue.open({ pool: db.pool, connectionString: db.url, log, supervise: true });
});

afterAll(async () => {
  await queue?.close(5000);
  await db?.close();
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function finished(id: string) {
  return until(async () => {
    const job = await queue.ledger.get(id);
    return job && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status) ? job : undefined;
  });
}

describe('JobQueue on the embedded PostgreSQL', () => {
  it('delivers a job once, with its payload, and records progress and log lines', async () => {
    const seen: { runId: string; shardIndex: number; attempt: number }[] = [];
    await queue.work('run.evaluate', async (payload, context) => {
      seen.push({ ...payload, attempt: context.attempt });
      await context.progress(0.5);
      context.log.info('halfway');
      await context.progress(1);
    });

    const id = await queue.enqueue('run.evaluate', { runId: someId, shardIndex: 4 });
    const job = await finished(id);
    expect(job.status).toBe('COMPLETED');
    expect(job.progress).toBe(1);
    expect(job.attempts).toBe(1);
    expect(job.logs.some((line) => line.endsWith('info halfway'))).toBe(true);
    expect(seen).toEqual([{ runId: someId, shardIndex: 4, attempt: 1 }]);
  });

  it('retries a failing job with backoff and fails it for good after the last attempt', async () => {
    const attempts: { attempt: number; last: boolean; at: number }[] = [];
    await queue.work('run.explain', async (_payload, context) => {
      attempts.push({ attempt: context.attempt, last: context.lastAttempt, at: Date.now() });
      throw new Error(`worker lost its GPU (attempt ${context.attempt})`);
    });

    const id = await queue.enqueue(
      'run.explain',
      { runId: someId, shardIndex: 0 },
      { maxAttempts: 2, retryDelaySeconds: 1 },
    );
    const job = await finished(id);
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(2);
    expect(job.error).toBe('worker lost its GPU (attempt 2)');
    expect(attempts.map(({ attempt, last }) => [attempt, last])).toEqual([
      [1, false],
      [2, true],
    ]);
    // The retry waited for its delay instead of running at once.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('fails a job at once on a permanent error, without retrying', async () => {
    let calls = 0;
    await queue.work('dataset.ingest', async () => {
      calls += 1;
      throw new PermanentJobError('HToBB_000.root: not a ROOT file');
    });

    const id = await queue.enqueue(
      'dataset.ingest',
      {
        datasetId: someId,
        files: [{ path: 'HToBB_000.root', sha256: '00', sizeBytes: 1, processName: 'HToBB' }],
      },
      { maxAttempts: 3 },
    );
    const job = await finished(id);
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(1);
    expect(job.error).toBe('HToBB_000.root: not a ROOT file');
    expect(calls).toBe(1);
  });

  it('cancels a running job through its abort signal', async () => {
    let started = false;
    await queue.work('run.finetune', async (_payload, context) => {
      started = true;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 30_000);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('stopped between epochs'));
        });
      });
    });

    const id = await queue.enqueue('run.finetune', { runId: someId });
    await until(async () => (started ? true : undefined));
    await queue.cancel('run.finetune', id);
    const job = await finished(id);
    expect(job.status).toBe('CANCELLED');
  });

  it('records a job whose worker died on its last attempt as failed', async () => {
    const id = await queue.enqueue('imageset.build', { imageSetId: someId }, { maxAttempts: 1 });
    // Another pg-boss client plays the worker that claimed the job and then vanished: the job
    // is active, the ledger says running, and pg-boss fails it (as its heartbeat check would).
    const other = new PgBoss({
      connectionString: db.url,
      schema: 'pgboss',
      supervise: false,
      schedule: false,
    });
    await other.start();
    try {
      const [claimed] = await other.fetch('imageset.build', { batchSize: 1 });
      expect(claimed?.id).toBe(id);
      await queue.ledger.started(id, 1, 'lost-host:1');
      expect(await queue.reconcile([id])).toBe(0);
      await other.fail('imageset.build', id, { message: 'heartbeat lost' });
    } finally {
      await other.stop({ graceful: false });
    }
    expect(await queue.reconcile([id])).toBe(1);
    const job = await queue.ledger.get(id);
    expect(job?.status).toBe('FAILED');
    expect(job?.error).toBe('the worker stopped during attempt 1 (the last)');
  });

  it('BAD CALL: enqueue checks the payload and the attempt count', async () => {
    await expect(queue.enqueue('run.evaluate', { runId: someId, shardIndex: -2 })).rejects.toThrow(
      new RangeError('run.evaluate job: "shardIndex" must be an integer >= 0, got -2'),
    );
    await expect(
      queue.enqueue('run.finetune', { runId: someId }, { maxAttempts: 0 }),
    ).rejects.toThrow(
      new RangeError('enqueue run.finetune: maxAttempts must be an integer >= 1, got 0'),
    );
  });
});
