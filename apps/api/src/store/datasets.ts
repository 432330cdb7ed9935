/**
 * Datasets and their files. A dataset is registered PENDING with the files it will hold;
 * ingestion writes all of its file rows in one transaction once every file has been read, so a
 * failed ingestion leaves the dataset FAILED with no file rows at all.
 */
import type pg from 'pg';
import type { DataFile } from '../datasets/files.js';
import { uuidv7 } from './ids.js';

export type DatasetStatus = 'PENDING' | 'INGESTING' | 'READY' | 'FAILED';

export interface DatasetRow {
  id: string;
  name: string;
  status: DatasetStatus;
  error: string | null;
  processes: string[];
  jetCount: number;
  jetCounts: Record<string, number>;
}

export interface DatasetFileRow {
  id: string;
  path: string;
  sha256: string;
  processName: string;
  entries: number;
}

export interface IngestedFile extends DataFile {
  entries: number;
}

const DATASET_COLUMNS = `id, name, status, error, processes, jet_count AS "jetCount",
  jet_counts AS "jetCounts"`;

export async function getDataset(db: pg.Pool, id: string): Promise<DatasetRow | undefined> {
  const { rows } = await db.query<DatasetRow>(
    `SELECT ${DATASET_COLUMNS} FROM datasets WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function datasetFiles(db: pg.Pool, datasetId: string): Promise<DatasetFileRow[]> {
  const { rows } = await db.query<DatasetFileRow>(
    `SELECT id, path, sha256, process_name AS "processName", entries
     FROM dataset_files WHERE dataset_id = $1 ORDER BY process_name, path`,
    [datasetId],
  );
  return rows;
}

export interface Registration {
  dataset: DatasetRow;
  /** True when these files were already ingested (into this dataset): nothing is to be done. */
  reused: boolean;
}

/**
 * Registers `files` as dataset `name`, or finds the dataset that already holds exactly these
 * files. Files that belong to another dataset of the collaboration are refused, by name.
 */
export async function registerDataset(
  db: pg.Pool,
  owner: { collaborationId: string; userId: string },
  name: string,
  files: DataFile[],
): Promise<Registration> {
  const known = await db.query<{ sha256: string; datasetId: string; name: string }>(
    `SELECT f.sha256, f.dataset_id AS "datasetId", d.name
     FROM dataset_files f JOIN datasets d ON d.id = f.dataset_id
     WHERE f.collaboration_id = $1 AND f.sha256 = ANY($2)`,
    [owner.collaborationId, files.map((file) => file.sha256)],
  );
  const holders = new Set(known.rows.map((row) => row.datasetId));
  // Files that are all in one dataset (all of it, or some of its processes) are that dataset.
  if (known.rows.length === files.length && holders.size === 1) {
    const dataset = await getDataset(db, [...holders][0]!);
    if (dataset) return { dataset, reused: true };
  }
  if (known.rows.length > 0) {
    const first = known.rows[0]!;
    const file = files.find((candidate) => candidate.sha256 === first.sha256)!;
    throw new RangeError(
      `${file.path} (sha256 ${first.sha256.slice(0, 12)}) is already in dataset "${first.name}"; ` +
        'a file is ingested once per collaboration',
    );
  }

  const processes = [...new Set(files.map((file) => file.processName))].sort();
  const { rows } = await db.query<DatasetRow>(
    `INSERT INTO datasets (id, collaboration_id, owner_id, name, processes, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (collaboration_id, name) DO UPDATE
       SET status = 'PENDING', error = NULL, processes = excluded.processes, updated_at = now()
       WHERE datasets.status = 'FAILED'
     RETURNING ${DATASET_COLUMNS}`,
    [uuidv7(), owner.collaborationId, owner.userId, name, processes],
  );
  if (!rows[0]) {
    throw new RangeError(
      `a dataset named "${name}" with other files already exists; choose another --name`,
    );
  }
  return { dataset: rows[0], reused: false };
}

export async function markDatasetIngesting(db: pg.Pool, id: string): Promise<void> {
  await db.query(
    `UPDATE datasets SET status = 'INGESTING', error = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

export async function markDatasetFailed(db: pg.Pool, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE datasets SET status = 'FAILED', error = $2, updated_at = now() WHERE id = $1`,
    [id, error],
  );
}

/**
 * Writes every file row of the dataset and marks it READY, in one transaction. Rows a crashed
 * earlier attempt may have left are deleted first, so a retry never duplicates them.
 */
export async function completeIngest(
  db: pg.Pool,
  datasetId: string,
  files: IngestedFile[],
): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ collaborationId: string }>(
      'SELECT collaboration_id AS "collaborationId" FROM datasets WHERE id = $1 FOR UPDATE',
      [datasetId],
    );
    if (!rows[0]) throw new RangeError(`dataset ${datasetId} no longer exists`);
    await client.query('DELETE FROM dataset_files WHERE dataset_id = $1', [datasetId]);

    const values: unknown[] = [];
    const tuples = files.map((file, i) => {
      const at = i * 8;
      values.push(
        uuidv7(),
        datasetId,
        rows[0]!.collaborationId,
        file.path,
        file.sha256,
        file.sizeBytes,
        file.processName,
        file.entries,
      );
      return `(${Array.from({ length: 8 }, (_, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO dataset_files
         (id, dataset_id, collaboration_id, path, sha256, size_bytes, process_name, entries)
       VALUES ${tuples.join(', ')}`,
      values,
    );

    const counts: Record<string, number> = {};
    for (const file of files)
      counts[file.processName] = (counts[file.processName] ?? 0) + file.entries;
    await client.query(
      `UPDATE datasets SET status = 'READY', error = NULL, jet_count = $2, jet_counts = $3,
              processes = $4, updated_at = now()
       WHERE id = $1`,
      [
        datasetId,
        files.reduce((sum, file) => sum + file.entries, 0),
        JSON.stringify(counts),
        Object.keys(counts).sort(),
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
