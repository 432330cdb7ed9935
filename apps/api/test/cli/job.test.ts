import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { jetlens } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let queue: JobQueue;
const runId = '0190a5b2-7c1e-7d3f-8a9b-0123456789ab';

beforeAll(async () => {
  db = await freshDatabase('api_job_cli');
  queue = await JobQueue.open({
    pool: db.pool,
    connectionString: db.url,
    log: createLogger({ level: 'error' }),
  });
});

afterAll(async () => {
  await queue?.close(1000);
  await db?.close();
});

describe('jetlens job', () => {
  it('lists a queued job, cancels it, and refuses to cancel it twice', async () => {
    const id = await queue.enqueue('run.evaluate', { runId, shardIndex: 2 });

    const listed = await jetlens(['job', 'list', '--status', 'queued'], db.env);
    expect(listed.code).toBe(0);
    expect(listed.out).toBe(`${id}\trun.evaluate\tQUEUED\t0%\t0/3\t\n`);

    expect((await jetlens(['job', 'cancel', id], db.env)).code).toBe(0);
    expect((await queue.ledger.get(id))?.status).toBe('CANCELLED');
    const log = await jetlens(['job', 'log', id], db.env);
    expect(log.out).toMatch(/^run\.evaluate CANCELLED 0% attempt 0\/3\n/);

    const again = await jetlens(['job', 'cancel', id], db.env);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is CANCELLED; only queued or running jobs can be cancelled');
  });

  it('BAD CALL: a job id that is not a UUID, and an unknown status, are usage errors', async () => {
    const id = await jetlens(['job', 'cancel', '42'], db.env);
    expect(id.code).toBe(2);
    expect(id.err).toContain('job id must be a UUID, got "42"');
    const status = await jetlens(['job', 'list', '--status', 'stuck'], db.env);
    expect(status.code).toBe(2);
    expect(status.err).toContain(
      '--status must be one of QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED',
    );
  });
});
