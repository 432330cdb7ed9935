/**
 * Galleries of correct and wrong classifications per class: the jet image and its stored
 * attention map with the prong ROIs, redrawn from what the explain run stored.
 */
import type { ImageTransform } from '@jetlens/core';
import {
  type GalleryExample,
  mapToImage,
  prongRois,
  renderGallery,
  renderJetOverlay,
  roiStatistics,
  rowsByClassAndOutcome,
} from '@jetlens/xai';
import type pg from 'pg';
import type { LoadedImageSet } from '../images/cache.js';
import type { ExplainConfig } from '../pipeline/configs.js';
import { decodeFloat16 } from '../store/float16.js';
import type { RunRow } from '../store/runs.js';

interface ExampleRow {
  fileId: string;
  entry: number;
  label: number;
  predicted: number;
  probabilities: number[];
  rows: number;
  cols: number;
  data: Buffer;
}

function jetGrid(transform: ImageTransform, jet: number) {
  return {
    width: transform.config.width,
    height: transform.config.height,
    toPixel: (deta: number, dphi: number) => transform.toPixel(jet, deta, dphi),
    toDetaDphi: (row: number, col: number) => transform.fromPixel(jet, row, col),
  };
}

/** The most confident examples of each class and outcome, `perRow` of each. */
async function examples(db: pg.Pool, explainRunId: string, evaluateRunId: string, perRow: number) {
  const { rows } = await db.query<ExampleRow>(
    `SELECT * FROM (
       SELECT p.dataset_file_id AS "fileId", p.entry, p.label, p.predicted_class AS predicted,
              p.probabilities, m.grid_rows AS rows, m.grid_cols AS cols, m.data,
              row_number() OVER (PARTITION BY p.label, p.correct
                                 ORDER BY p.probabilities[p.predicted_class + 1] DESC,
                                          p.dataset_file_id, p.entry) AS rank
       FROM predictions p
       JOIN attention_maps m ON m.run_id = $1 AND m.dataset_file_id = p.dataset_file_id
                             AND m.entry = p.entry
       WHERE p.run_id = $2) ranked
     WHERE rank <= $3 ORDER BY label, predicted <> label, rank`,
    [explainRunId, evaluateRunId, perRow],
  );
  return rows;
}

export async function galleryPng(
  db: pg.Pool,
  explain: RunRow<ExplainConfig>,
  evaluateRunId: string,
  images: LoadedImageSet,
  perRow = 4,
): Promise<Buffer | null> {
  const classes = explain.config.task.classes;
  const byEvent = new Map(
    images.index.events.map((event, i) => [`${event.fileId}:${event.entry}`, i]),
  );
  const picked: GalleryExample[] = [];
  for (const row of await examples(db, explain.id, evaluateRunId, perRow)) {
    const index = byEvent.get(`${row.fileId}:${row.entry}`);
    const event = index === undefined ? undefined : images.index.events[index];
    if (index === undefined || !event?.prongs) continue;

    const transform = jetGrid(images.transforms[event.transform]!, event.jet);
    const map = { values: decodeFloat16(row.data), rows: row.rows, cols: row.cols };
    const imageMap = mapToImage(map, transform, 'bilinear');
    const regions = prongRois(event.prongs, transform, explain.config.roi);
    const rois = regions.rois.map((roi) => ({
      prong: roi.prong,
      centre: roi.centre,
      ...roiStatistics(imageMap, roi.coverage),
    }));
    const union = roiStatistics(imageMap, regions.union);
    const png = await renderJetOverlay({
      image: images.images.slice(index * images.imageSize, (index + 1) * images.imageSize),
      channels: images.index.shape[1],
      analysis: { imageMap, rois, union, options: { roi: regions.options } },
      transform,
      scale: 6,
    });
    const trueClass = classes[row.label] ?? String(row.label);
    const predictedClass = classes[row.predicted] ?? String(row.predicted);
    const confidence = row.probabilities[row.predicted] ?? 0;
    picked.push({
      trueClass,
      predictedClass,
      title: `${predictedClass} ${confidence.toFixed(2)}, entry ${row.entry}`,
      png,
    });
  }
  const rows = rowsByClassAndOutcome(picked, perRow);
  if (rows.length === 0) return null;
  return renderGallery({
    title: `${explain.config.task.name}: correct and wrong, per class`,
    rows,
  });
}
