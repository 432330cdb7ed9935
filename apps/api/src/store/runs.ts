/**
 * Runs and their shards. A run records its full config, the hash of it, the code version and
 * the seed; a rerun with the same config hash finds the run and picks up where it stopped. A
 * run is COMPLETED only when every one of its shards is.
 */
import type pg from 'pg';
import { codeVersion } from '../version.js';
import { configHash } from './hash.js';
import { uuidv7 } from './ids.js';

export type RunKind = 'FINETUNE' | 'EVALUATE' | 'EXPLAIN';
export type RunStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface RunRow<Config = Record<string, unknown>, Protocol = Record<string, unknown>> {
  id: string;
  collaborationId: string;
  ownerId: string;
  kind: RunKind;
  status: RunStatus;
  name: string | null;
  config: Config;
  configHash: string;
  codeVersion: string;
  seed: number;
  metrics: Record<string, unknown> | null;
  protocol: Protocol | null;
  datasetId: string | null;
  imageSetId: string | null;
  modelId: string | null;
  parentRunId: string | null;
  error: string | null;
}

const COLUMNS = `id, collaboration_id AS "collaborationId", owner_id AS "ownerId", kind, status,
  name, config, config_hash AS "configHash", code_version AS "codeVersion", seed, metrics,
  protocol, dataset_id AS "datasetId", image_set_id AS "imageSetId", model_id AS "modelId",
  parent_run_id AS "parentRunId", error`;

export interface NewRun {
  kind: RunKind;
  name?: string;
  config: Record<string, unknown>;
  seed: number;
  datasetId?: string;
  imageSetId?: string;
  modelId?: string;
  parentRunId?: string;
}

export async function getRun<C = Record<string, unknown>, P = Record<string, unknown>>(
  db: pg.Pool | pg.PoolClient,
  id: string,
): Promise<RunRow<C, P>> {
  const { rows } = await db.query<RunRow<C, P>>(`SELECT ${COLUMNS} FROM runs WHERE id = $1`, [id]);
  if (!rows[0]) throw new RangeError(`run ${id} does not exist`);
  return rows[0];
}

/**
 * The run of this kind and config in the collaboration: the completed one, or an unfinished one
 * to resume, or a new one. A failed or cancelled run is left as it is and a new one started.
 */
export async function findOrCreateRun(
  db: pg.Pool,
  owner: { collaborationId: string; userId: string },
  run: NewRun,
): Promise<{ run: RunRow; reused: boolean }> {
  const hash = configHash(run.config);
  const { rows } = await db.query<RunRow>(
    `SELECT ${COLUMNS} FROM runs
     WHERE collaboration_id = $1 AND kind = $2 AND config_hash = $3
       AND status IN ('COMPLETED', 'QUEUED', 'RUNNING')
     ORDER BY (status = 'COMPLETED') DESC, created_at DESC LIMIT 1`,
    [owner.collaborationId, run.kind, hash],
  );
  if (rows[0]) return { run: rows[0], reused: true };

  const created = await db.query<RunRow>(
    `INSERT INTO runs (id, collaboration_id, owner_id, kind, name, config, config_hash,
                       code_version, seed, dataset_id, image_set_id, model_id, parent_run_id,
                       updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
     RETURNING ${COLUMNS}`,
    [
      uuidv7(),
      owner.collaborationId,
      owner.userId,
      run.kind,
      run.name ?? null,
      JSON.stringify(run.config),
      hash,
      codeVersion(),
      run.seed,
      run.datasetId ?? null,
      run.imageSetId ?? null,
      run.modelId ?? null,
      run.parentRunId ?? null,
    ],
  );
  return { run: created.rows[0]!, reused: false };
}

export async function setRunProtocol(db: pg.Pool, runId: string, protocol: object): Promise<void> {
  await db.query('UPDATE runs SET protocol = $2, updated_at = now() WHERE id = $1', [
    runId,
    JSON.stringify(protocol),
  ]);
}

export async function markRunRunning(db: pg.Pool | pg.PoolClient, runId: string): Promise<void> {
  await db.query(
    `UPDATE runs SET status = 'RUNNING', started_at = coalesce(started_at, now()), error = NULL,
            updated_at = now()
     WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')`,
    [runId],
  );
}

export async function markRunFailed(db: pg.Pool, runId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE runs SET status = 'FAILED', error = $2, finished_at = now(), updated_at = now()
     WHERE id = $1 AND status <> 'COMPLETED'`,
    [runId, error],
  );
}

export async function completeRun(
  db: pg.Pool | pg.PoolClient,
  runId: string,
  metrics: object,
): Promise<void> {
  await db.query(
    `UPDATE runs SET status = 'COMPLETED', metrics = $2, error = NULL, finished_at = now(),
            updated_at = now()
     WHERE id = $1`,
    [runId, JSON.stringify(metrics)],
  );
}

export interface ShardRow {
  id: string;
  index: number;
  status: RunStatus;
  attempts: number;
}

/** Creates shards 0..count-1 of the run (those that exist already are kept). */
export async function ensureShards(db: pg.Pool, run: RunRow, count: number): Promise<ShardRow[]> {
  const values: unknown[] = [];
  const tuples = Array.from({ length: count }, (_, index) => {
    values.push(uuidv7(), run.collaborationId, run.id, index);
    const at = index * 4;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4})`;
  });
  if (count > 0) {
    await db.query(
      `INSERT INTO run_shards (id, collaboration_id, run_id, index) VALUES ${tuples.join(', ')}
       ON CONFLICT (run_id, index) DO NOTHING`,
      values,
    );
  }
  return shardsOf(db, run.id);
}

export async function shardsOf(db: pg.Pool | pg.PoolClient, runId: string): Promise<ShardRow[]> {
  const { rows } = await db.query<ShardRow>(
    'SELECT id, index, status, attempts FROM run_shards WHERE run_id = $1 ORDER BY index',
    [runId],
  );
  return rows;
}

export async function startShard(db: pg.Pool, runId: string, index: number): Promise<ShardRow> {
  const { rows } = await db.query<ShardRow>(
    `UPDATE run_shards SET status = 'RUNNING', attempts = attempts + 1,
            started_at = coalesce(started_at, now()), error = NULL
     WHERE run_id = $1 AND index = $2
     RETURNING id, index, status, attempts`,
    [runId, index],
  );
  if (!rows[0]) throw new RangeError(`run ${runId} has no shard ${index}`);
  return rows[0];
}

export async function failShard(
  db: pg.Pool,
  runId: string,
  index: number,
  error: string,
  final: boolean,
): Promise<void> {
  await db.query(`UPDATE run_shards SET status = $3, error = $4 WHERE run_id = $1 AND index = $2`, [
    runId,
    index,
    final ? 'FAILED' : 'QUEUED',
    error,
  ]);
}

/**
 * Runs `write` and marks the shard COMPLETED in one transaction: either the shard's rows and its
 * completion are both stored, or neither is. Then, under a lock on the run, the run is marked
 * COMPLETED (with `summarise`'s metrics) if this was its last open shard; returns whether it was.
 */
export async function commitShard(
  db: pg.Pool,
  runId: string,
  index: number,
  write: (client: pg.PoolClient) => Promise<void>,
  summarise: (client: pg.PoolClient) => Promise<object>,
): Promise<boolean> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await write(client);
    await client.query(
      `UPDATE run_shards SET status = 'COMPLETED', finished_at = now(), error = NULL
       WHERE run_id = $1 AND index = $2`,
      [runId, index],
    );
    await client.query('COMMIT');

    // The lock makes the last two shards to finish agree on which of them closes the run.
    await client.query('BEGIN');
    await client.query('SELECT id FROM runs WHERE id = $1 FOR UPDATE', [runId]);
    const open = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM run_shards WHERE run_id = $1 AND status <> 'COMPLETED'`,
      [runId],
    );
    const run = await getRun(client, runId);
    const last = open.rows[0]!.n === 0 && run.status !== 'COMPLETED';
    if (last) await completeRun(client, runId, await summarise(client));
    await client.query('COMMIT');
    return last;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Multi-row INSERT in chunks that stay well under PostgreSQL's 65535 parameters. */
export async function insertRows(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  rows: unknown[][],
  suffix = '',
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(30_000 / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const at = values.length;
      values.push(...row);
      return `(${row.map((_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${suffix}`,
      values,
    );
  }
}
