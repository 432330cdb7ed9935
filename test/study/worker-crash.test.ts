/**
 * A worker killed outright (SIGKILL) in the middle of a sharded evaluation: once another worker
 * starts, the run completes with exactly one prediction per test event and the same
 * predictions and metrics as an evaluation that was never interrupted. Real `jetlens`
 * processes against the real embedded PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Finished,
  freshDatabase,
  jetlens,
  SAMPLE,
  spawnJetlens,
  type TestDatabase,
  tinyBackbone,
  until,
} from './helpers.js';

let db: TestDatabase;
let scratch: string;
let env: NodeJS.ProcessEnv;
const owner = ['--user', 'ada@example.org', '--collaboration', 'atlas'];
const workers: ReturnType<typeof spawnJetlens>[] = [];

beforeAll(async () => {
  db = await freshDatabase('study_worker_crash');
  scratch = mkdtempSync(join(tmpdir(), 'jetlens-crash-'));
  env = { DATABASE_URL: db.url, JETLENS_HOME: join(scratch, 'home'), JETLENS_THREADS: '1' };
  await jetlens(['user', 'create', 'ada@example.org', '--name', 'Ada'], env);
  await jetlens(
    ['user', 'collaboration', 'atlas', '--name', 'ATLAS', '--owner', 'ada@example.org'],
    env,
  );
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await db?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function shardStates(runId: string) {
  const { rows } = await db.pool.query<{ index: number; status: string; attempts: number }>(
    'SELECT index, status, attempts FROM run_shards WHERE run_id = $1 ORDER BY index',
    [runId],
  );
  return rows;
}

async function runStatus(runId: string): Promise<string> {
  const { rows } = await db.pool.query('SELECT status FROM runs WHERE id = $1', [runId]);
  return rows[0].status;
}

describe('a worker killed during a sharded evaluation', () => {
  it('is replaced, and the run completes with one prediction per event and the same metrics', async () => {
    const first = spawnJetlens(['worker'], env);
    workers.push(first);
    const files = [join(SAMPLE, 'HToBB_000.root'), join(SAMPLE, 'HToCC_000.root')];
    const dataset = (
      await jetlens(['ingest', ...files, '--name', 'hbb-hcc', ...owner, '--no-local-worker'], env)
    ).stdout.trim();
    const imageSet = (
      await jetlens(['images', '--dataset', dataset, ...owner, '--no-local-worker'], env)
    ).stdout.trim();
    const model = tinyBackbone(join(scratch, 'tiny'), 4, 64);
    const finetune = (
      await jetlens(
        [
          'finetune',
          '--image-set',
          imageSet,
          '--model',
          model,
          '--tasks',
          'hbb-vs-hcc',
          '--train-per-class',
          '20',
          '--validation-per-class',
          '10',
          '--epochs',
          '2',
          ...owner,
          '--no-local-worker',
        ],
        env,
      )
    ).stdout.trim();

    const evaluate = (
      await jetlens(
        ['evaluate', '--run', finetune, '--shard-size', '100', ...owner, '--detach'],
        env,
      )
    ).stdout.trim();
    const total = (await shardStates(evaluate)).length;
    expect(total).toBe(20);

    // Kill the worker in the middle of a shard, once a few shards are done.
    await until(
      async () => {
        const shards = await shardStates(evaluate);
        const done = shards.filter((shard) => shard.status === 'COMPLETED').length;
        const running = shards.some((shard) => shard.status === 'RUNNING');
        return done >= 3 && running ? true : undefined;
      },
      'a shard running after the first few',
      60_000,
      5,
    );
    first.kill('SIGKILL');
    const killed: Finished = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    const atKill = await shardStates(evaluate);
    const completedAtKill = atKill.filter((shard) => shard.status === 'COMPLETED').length;
    const interrupted = atKill.filter((shard) => shard.status === 'RUNNING').map((s) => s.index);
    expect(completedAtKill).toBeLessThan(total);
    expect(await runStatus(evaluate)).not.toBe('COMPLETED');

    const second = spawnJetlens(['worker'], env);
    workers.push(second);
    await until(
      async () => ((await runStatus(evaluate)) === 'COMPLETED' ? true : undefined),
      'the run',
      120_000,
    );

    const after = await shardStates(evaluate);
    expect(after.every((shard) => shard.status === 'COMPLETED')).toBe(true);
    // The shard that was running when the worker died was taken again by the new worker.
    expect(interrupted.length).toBeGreaterThan(0);
    for (const index of interrupted) expect(after[index]!.attempts).toBeGreaterThanOrEqual(2);

    const { rows: protocol } = await db.pool.query('SELECT protocol FROM runs WHERE id = $1', [
      finetune,
    ]);
    const testEvents = protocol[0].protocol.test.length;
    expect(testEvents).toBe(2000 - 2 * 30);
    const { rows: counts } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT (dataset_file_id, entry))::int AS events
       FROM predictions WHERE run_id = $1`,
      [evaluate],
    );
    expect(counts[0]).toEqual({ n: testEvents, events: testEvents });

    // The same model evaluated without interruption (another shard size: another run).
    const reference = (
      await jetlens(
        ['evaluate', '--run', finetune, '--shard-size', '1000', ...owner, '--no-local-worker'],
        env,
      )
    ).stdout.trim();
    expect(reference).not.toBe(evaluate);
    const { rows: differing } = await db.pool.query(
      `SELECT count(*)::int AS n FROM predictions a
       FULL JOIN (SELECT * FROM predictions WHERE run_id = $2) b
         ON b.dataset_file_id = a.dataset_file_id AND b.entry = a.entry
       WHERE (a.run_id = $1 OR a.run_id IS NULL)
         AND (a.id IS NULL OR b.id IS NULL OR a.probabilities <> b.probabilities
              OR a.predicted_class <> b.predicted_class)`,
      [evaluate, reference],
    );
    expect(differing[0].n).toBe(0);
    const { rows: metrics } = await db.pool.query(
      'SELECT id, metrics FROM runs WHERE id = ANY($1)',
      [[evaluate, reference]],
    );
    const [a, b] = metrics.map((row) => row.metrics);
    expect(a.events).toBe(testEvents);
    for (const key of ['accuracy', 'auc', 'rejectionAt50', 'rejectionAt30']) {
      expect(a[key].value, key).toBe(b[key].value);
    }

    second.kill('SIGTERM');
    const stopped = await second.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('worker stopping (SIGTERM)');
  });
});
