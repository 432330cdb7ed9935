/**
 * Image configs and image sets. An image config is stored once per collaboration and hash; an
 * image set is one dataset under one config with `jetsPerImage` jets per image.
 */
import type { ImageConfig } from '@jetlens/core';
import type pg from 'pg';
import { configHash } from './hash.js';
import { uuidv7 } from './ids.js';

export type ImageSetStatus = 'PENDING' | 'BUILDING' | 'READY' | 'FAILED';

export interface ImageSetRow {
  id: string;
  collaborationId: string;
  datasetId: string;
  imageConfigId: string;
  jetsPerImage: number;
  count: number;
  status: ImageSetStatus;
  error: string | null;
  /** The image-builder options, jetsPerImage included. */
  options: ImageConfig;
}

const COLUMNS = `s.id, s.collaboration_id AS "collaborationId", s.dataset_id AS "datasetId",
  s.image_config_id AS "imageConfigId", s.jets_per_image AS "jetsPerImage", s.count, s.status,
  s.error, c.options`;

/** The image set of `datasetId` under `config`, created PENDING when new. */
export async function ensureImageSet(
  db: pg.Pool,
  collaborationId: string,
  datasetId: string,
  config: ImageConfig,
): Promise<ImageSetRow> {
  const { jetsPerImage, ...options } = config;
  const hash = configHash(options);
  const transform = {
    kind: 'jetlens.image-grid',
    height: config.height,
    width: config.width,
    detaRange: config.detaRange,
    dphiRange: config.dphiRange,
    centre: config.centre,
    rotate: config.rotate,
    flip: config.flip,
  };
  await db.query(
    `INSERT INTO image_configs (id, collaboration_id, options, transform, config_hash)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (collaboration_id, config_hash) DO NOTHING`,
    [uuidv7(), collaborationId, JSON.stringify(options), JSON.stringify(transform), hash],
  );
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM image_configs WHERE collaboration_id = $1 AND config_hash = $2',
    [collaborationId, hash],
  );
  const imageConfigId = rows[0]!.id;

  await db.query(
    `INSERT INTO image_sets (id, collaboration_id, dataset_id, image_config_id, jets_per_image,
                             updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (dataset_id, image_config_id, jets_per_image) DO NOTHING`,
    [uuidv7(), collaborationId, datasetId, imageConfigId, jetsPerImage],
  );
  const set = await db.query<{ id: string }>(
    `SELECT id FROM image_sets
     WHERE dataset_id = $1 AND image_config_id = $2 AND jets_per_image = $3`,
    [datasetId, imageConfigId, jetsPerImage],
  );
  return getImageSet(db, set.rows[0]!.id);
}

export async function getImageSet(db: pg.Pool, id: string): Promise<ImageSetRow> {
  const { rows } = await db.query<ImageSetRow>(
    `SELECT ${COLUMNS} FROM image_sets s JOIN image_configs c ON c.id = s.image_config_id
     WHERE s.id = $1`,
    [id],
  );
  if (!rows[0]) throw new RangeError(`image set ${id} does not exist`);
  return { ...rows[0], options: { ...rows[0].options, jetsPerImage: rows[0].jetsPerImage } };
}

export async function setImageSetStatus(
  db: pg.Pool,
  id: string,
  status: ImageSetStatus,
  detail: { count?: number; error?: string } = {},
): Promise<void> {
  await db.query(
    `UPDATE image_sets SET status = $2, count = coalesce($3, count), error = $4,
            updated_at = now()
     WHERE id = $1`,
    [id, status, detail.count ?? null, detail.error ?? null],
  );
}
