/**
 * Models: a backbone registered from a checkpoint folder (Hugging Face layout), or the weights
 * a fine-tuning run wrote. A model is identified by the SHA-256 of its weights file, so the
 * same checkpoint registered twice is one row.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type pg from 'pg';
import { sha256OfFile, storedPath } from '../datasets/files.js';
import { uuidv7 } from './ids.js';

export interface ModelRow {
  id: string;
  name: string;
  architecture: string;
  source: string | null;
  checkpointSha256: string | null;
  /** Where the checkpoint folder is, from checkpoint_files[0].dir. */
  dir: string;
}

interface CheckpointFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

const MODEL_COLUMNS = `id, name, architecture, source, checkpoint_sha256 AS "checkpointSha256",
  checkpoint_files AS "files"`;

function toRow(row: ModelRow & { files: (CheckpointFile & { dir?: string })[] }): ModelRow {
  const { files, ...rest } = row;
  return { ...rest, dir: files[0]?.dir ?? '' };
}

async function describeCheckpoint(dir: string) {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) {
    throw new RangeError(
      `model folder ${dir}: config.json is missing (expected a Hugging Face checkpoint)`,
    );
  }
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const weights = readdirSync(dir)
    .filter((name) => name.endsWith('.safetensors'))
    .sort();
  if (weights.length === 0) throw new RangeError(`model folder ${dir}: no .safetensors weights`);

  const files: (CheckpointFile & { dir: string })[] = [];
  for (const name of ['config.json', ...weights]) {
    const path = join(dir, name);
    files.push({
      path: name,
      sha256: await sha256OfFile(path),
      sizeBytes: statSync(path).size,
      dir,
    });
  }
  const architectures = config.architectures as string[] | undefined;
  return {
    config,
    files,
    architecture: String(architectures?.[0] ?? config.model_type ?? 'vit'),
    sha256: files[1]!.sha256,
  };
}

/** Registers the checkpoint in `dir`, or finds it by the hash of its weights. */
export async function registerModel(
  db: pg.Pool,
  owner: { collaborationId: string; userId: string },
  dir: string,
  options: {
    name?: string;
    source?: string;
    parentModelId?: string;
    producedByRunId?: string;
  } = {},
): Promise<{ model: ModelRow; reused: boolean }> {
  const absolute = resolve(dir);
  const checkpoint = await describeCheckpoint(absolute);
  const stored = storedPath(absolute);
  const files = checkpoint.files.map((file) => ({ ...file, dir: stored }));

  const existing = await db.query<ModelRow & { files: CheckpointFile[] }>(
    `SELECT ${MODEL_COLUMNS} FROM models WHERE collaboration_id = $1 AND checkpoint_sha256 = $2`,
    [owner.collaborationId, checkpoint.sha256],
  );
  if (existing.rows[0]) return { model: toRow(existing.rows[0]), reused: true };

  const name = options.name ?? basename(absolute);
  const { rows } = await db.query<ModelRow & { files: CheckpointFile[] }>(
    `INSERT INTO models (id, collaboration_id, owner_id, name, architecture, config,
                         checkpoint_files, checkpoint_sha256, source, parent_model_id,
                         produced_by_run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (collaboration_id, name) DO NOTHING
     RETURNING ${MODEL_COLUMNS}`,
    [
      uuidv7(),
      owner.collaborationId,
      owner.userId,
      name,
      checkpoint.architecture,
      JSON.stringify(checkpoint.config),
      JSON.stringify(files),
      checkpoint.sha256,
      options.source ?? `folder:${stored}`,
      options.parentModelId ?? null,
      options.producedByRunId ?? null,
    ],
  );
  if (!rows[0]) {
    throw new RangeError(
      `${absolute}: another checkpoint is registered as model "${name}" in this collaboration; ` +
        'rename the folder to register this one',
    );
  }
  return { model: toRow(rows[0]), reused: false };
}

export async function getModel(db: pg.Pool, id: string): Promise<ModelRow> {
  const { rows } = await db.query<ModelRow & { files: CheckpointFile[] }>(
    `SELECT ${MODEL_COLUMNS} FROM models WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw new RangeError(`model ${id} does not exist`);
  return toRow(rows[0]);
}
