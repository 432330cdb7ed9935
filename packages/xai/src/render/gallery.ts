import sharp, { type OverlayOptions } from 'sharp';
import { checkPositiveInteger, describe } from '../checks.js';
import { svgDocument, svgText } from './svg.js';

export interface GalleryTile {
  readonly title: string;
  readonly png: Buffer;
}

export interface GalleryRow {
  readonly label: string;
  readonly tiles: readonly GalleryTile[];
}

const MARGIN = 10;
const HEADER = 36;
const ROW_LABEL = 24;
const TILE_TITLE = 18;

/** A grid PNG: a title, then one labelled row of titled tiles per group. */
export async function renderGallery(input: {
  readonly title: string;
  readonly rows: readonly GalleryRow[];
}): Promise<Buffer> {
  if (!Array.isArray(input.rows as unknown) || input.rows.length === 0) {
    throw new RangeError(`rows: expected at least one row, got ${describe(input.rows)}`);
  }
  const tiles = input.rows.flatMap((row) => row.tiles);
  const sizes = await Promise.all(
    tiles.map(async (tile, i) => {
      if (!Buffer.isBuffer(tile.png)) {
        throw new TypeError(`tile ${i}: expected a PNG Buffer, got ${describe(tile.png)}`);
      }
      const { width, height } = await sharp(tile.png).metadata();
      return { width: width ?? 0, height: height ?? 0 };
    }),
  );
  const cell = {
    width: Math.max(1, ...sizes.map((s) => s.width)),
    height: Math.max(1, ...sizes.map((s) => s.height)),
  };
  const columns = Math.max(1, ...input.rows.map((row) => row.tiles.length));
  const rowHeight = ROW_LABEL + TILE_TITLE + cell.height + MARGIN;
  const width = MARGIN + columns * (cell.width + MARGIN);
  const height = HEADER + input.rows.length * rowHeight;

  const svg = [svgText(MARGIN, 24, input.title, { size: 18, weight: 'bold' })];
  const layers: OverlayOptions[] = [];
  input.rows.forEach((row, r) => {
    const top = HEADER + r * rowHeight;
    svg.push(svgText(MARGIN, top + 16, row.label, { size: 14, weight: 'bold' }));
    row.tiles.forEach((tile, c) => {
      const left = MARGIN + c * (cell.width + MARGIN);
      svg.push(svgText(left, top + ROW_LABEL + 13, tile.title, { size: 12 }));
      layers.push({ input: tile.png, top: top + ROW_LABEL + TILE_TITLE, left });
    });
  });
  layers.push({ input: svgDocument(width, height, svg), top: 0, left: 0 });

  return sharp({ create: { width, height, channels: 4, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toBuffer();
}

/** An explained jet with its picture, for the gallery. */
export interface GalleryExample {
  readonly trueClass: string;
  readonly predictedClass: string;
  readonly title: string;
  readonly png: Buffer;
}

/**
 * The study's figure layout: per class, a row of correctly classified examples and a row of
 * wrongly classified ones, at most `perRow` each, in the order given.
 */
export function rowsByClassAndOutcome(
  examples: readonly GalleryExample[],
  perRow: number,
): GalleryRow[] {
  checkPositiveInteger('perRow', perRow);
  const classes = [...new Set(examples.map((e) => e.trueClass))];
  const rows: GalleryRow[] = [];
  for (const name of classes) {
    for (const correct of [true, false]) {
      const tiles = examples
        .filter((e) => e.trueClass === name && (e.predictedClass === name) === correct)
        .slice(0, perRow);
      if (tiles.length > 0) {
        rows.push({ label: `${name}: ${correct ? 'correct' : 'wrong'}`, tiles });
      }
    }
  }
  return rows;
}
