import sharp from 'sharp';
import { checkFloat32Array, checkObject, checkPositiveInteger, checkRange } from '../checks.js';
import { checkImageMap, checkTransform } from '../roi.js';
import type { GridMap, ImageGridTransform, Prong } from '../types.js';
import { colormapTable } from './colormap.js';
import { svgDocument, svgText } from './svg.js';

/** What the overlay draws of a jet's analysis (`analyseJet` returns all of it). */
export interface OverlayAnalysis {
  readonly imageMap: GridMap;
  readonly rois: readonly {
    readonly prong: Prong;
    readonly centre: { readonly row: number; readonly col: number };
    readonly attentionFraction: number;
  }[];
  readonly union: { readonly attentionFraction: number; readonly enrichment: number | null };
  readonly options: { readonly roi: { readonly radius: number } };
}

export interface OverlayInput {
  /** The jet image, `[channel][row][col]`; channels are summed (pT in every channel). */
  readonly image: Float32Array;
  readonly channels: number;
  readonly analysis: OverlayAnalysis;
  readonly transform: ImageGridTransform;
  readonly title?: string;
  /** Screen pixels per image pixel; 8 unless told. */
  readonly scale?: number;
  /** Decades of the log colour scale of the jet image below its maximum; 4 unless told. */
  readonly decades?: number;
  /** Opacity of the attention over the grey jet image; 0.65 unless told. */
  readonly alpha?: number;
}

const MARGIN = 12;
const TITLE = 44;
const CAPTION = 34;
const BAR = 16;
const BAR_LABELS = 64;

/** The jet image on a log scale in [0, 1]: 0 at or below `decades` under the maximum. */
export function logScale(intensity: Float64Array, decades: number): Float64Array {
  let max = 0;
  for (const v of intensity) max = Math.max(max, v);
  const out = new Float64Array(intensity.length);
  if (max <= 0) return out;
  const floor = Math.log10(max) - decades;
  for (let i = 0; i < intensity.length; i++) {
    const v = intensity[i]!;
    out[i] = v > 0 ? Math.max(0, (Math.log10(v) - floor) / decades) : 0;
  }
  return out;
}

/**
 * A PNG of one jet: on the left the jet image (log scale, magma); on the right the attention
 * map (viridis, with its colour bar) over the jet image in grey; on both the ROI circles with
 * each ROI's attention fraction, and the union's fraction and enrichment below.
 */
export async function renderJetOverlay(input: OverlayInput): Promise<Buffer> {
  checkObject('input', input);
  checkTransform(input.transform);
  const { width, height } = input.transform;
  checkPositiveInteger('channels', input.channels);
  checkFloat32Array('image', input.image, input.channels * width * height);
  checkObject('analysis', input.analysis);
  checkImageMap(input.analysis.imageMap, 'analysis.imageMap');
  if (input.analysis.imageMap.rows !== height || input.analysis.imageMap.cols !== width) {
    throw new RangeError(
      `analysis.imageMap: expected the ${height} x ${width} jet-image grid, ` +
        `got ${input.analysis.imageMap.rows} x ${input.analysis.imageMap.cols}`,
    );
  }
  const scale = input.scale ?? 8;
  checkPositiveInteger('scale', scale);
  const decades = input.decades ?? 4;
  checkRange('decades', decades, Number.MIN_VALUE, 12);
  const alpha = input.alpha ?? 0.65;
  checkRange('alpha', alpha, 0, 1);

  // Jet pT summed over channels, then both panels as raw RGBA.
  const pixels = width * height;
  const intensity = new Float64Array(pixels);
  for (let c = 0; c < input.channels; c++) {
    for (let i = 0; i < pixels; i++) intensity[i] = intensity[i]! + input.image[c * pixels + i]!;
  }
  const jet = logScale(intensity, decades);
  const attention = input.analysis.imageMap.values;
  let maxAttention = 0;
  for (const v of attention) maxAttention = Math.max(maxAttention, v);

  const panel = { width: width * scale, height: height * scale };
  const left = MARGIN;
  const right = 2 * MARGIN + panel.width;
  const barLeft = right + panel.width + MARGIN;
  const canvas = {
    width: barLeft + BAR + BAR_LABELS,
    height: TITLE + panel.height + CAPTION,
  };
  const rgba = Buffer.alloc(canvas.width * canvas.height * 4, 255);
  const magma = colormapTable('magma');
  const viridis = colormapTable('viridis');

  const put = (x: number, y: number, r: number, g: number, b: number) => {
    const at = (y * canvas.width + x) * 4;
    rgba[at] = r;
    rgba[at + 1] = g;
    rgba[at + 2] = b;
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const m = 3 * Math.round(255 * jet[i]!);
      const v = 3 * Math.round(255 * (maxAttention > 0 ? attention[i]! / maxAttention : 0));
      const grey = 255 * jet[i]! * (1 - alpha);
      const blend = (channel: number) => Math.round(grey + alpha * viridis[v + channel]!);
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const y = TITLE + row * scale + dy;
          put(left + col * scale + dx, y, magma[m]!, magma[m + 1]!, magma[m + 2]!);
          put(right + col * scale + dx, y, blend(0), blend(1), blend(2));
        }
      }
    }
  }
  for (let y = 0; y < panel.height; y++) {
    const v = 3 * Math.round(255 * (1 - y / (panel.height - 1)));
    for (let x = 0; x < BAR; x++)
      put(barLeft + x, TITLE + y, viridis[v]!, viridis[v + 1]!, viridis[v + 2]!);
  }

  // Circles and labels as SVG on top.
  const svg: string[] = [];
  if (input.title !== undefined)
    svg.push(svgText(MARGIN, 18, input.title, { size: 15, weight: 'bold' }));
  svg.push(
    svgText(left + panel.width / 2, TITLE - 7, 'jet image (log pT)', {
      size: 11,
      anchor: 'middle',
    }),
  );
  svg.push(
    svgText(right + panel.width / 2, TITLE - 7, 'attention', { size: 11, anchor: 'middle' }),
  );
  svg.push(svgText(barLeft + BAR + 4, TITLE + 10, maxAttention.toPrecision(2), { size: 11 }));
  svg.push(svgText(barLeft + BAR + 4, TITLE + panel.height, '0', { size: 11 }));

  const radius = input.analysis.options.roi.radius;
  input.analysis.rois.forEach((roi, k) => {
    const { deta, dphi } = roi.prong;
    const centre = input.transform.toPixel(deta, dphi);
    const alongEta = input.transform.toPixel(deta + radius, dphi);
    const alongPhi = input.transform.toPixel(deta, dphi + radius);
    const rx = Math.hypot(alongEta.row - centre.row, alongEta.col - centre.col) * scale;
    const ry = Math.hypot(alongPhi.row - centre.row, alongPhi.col - centre.col) * scale;
    for (const x0 of [left, right]) {
      const cx = x0 + centre.col * scale;
      const cy = TITLE + centre.row * scale;
      svg.push(
        `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="none" stroke="white" ` +
          `stroke-width="2" stroke-dasharray="${k === 0 ? 'none' : '6 3'}"/>`,
      );
    }
    svg.push(
      svgText(
        right + centre.col * scale,
        TITLE + centre.row * scale - ry - 4,
        `${k + 1}: ${roi.attentionFraction.toFixed(2)}`,
        {
          size: 12,
          fill: 'white',
          anchor: 'middle',
          weight: 'bold',
        },
      ),
    );
  });
  const { union } = input.analysis;
  const enrichment = union.enrichment === null ? 'n/a' : union.enrichment.toFixed(2);
  const caption =
    `ROIs: ${input.analysis.rois.length}, ` +
    `union attention fraction ${union.attentionFraction.toFixed(3)}, enrichment ${enrichment}`;
  svg.push(svgText(MARGIN, TITLE + panel.height + 22, caption, { size: 12 }));

  return sharp(rgba, { raw: { width: canvas.width, height: canvas.height, channels: 4 } })
    .composite([{ input: svgDocument(canvas.width, canvas.height, svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
}
