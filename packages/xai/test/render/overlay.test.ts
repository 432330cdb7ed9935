import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { analyseJet } from '../../src/analyse-jet.js';
import { colormap } from '../../src/render/colormap.js';
import { logScale, renderJetOverlay } from '../../src/render/overlay.js';
import { linearTransform, randomAttention } from '../fixtures.js';

const transform = linearTransform(32, 0.8);
const grid = { rows: 4, cols: 4 };
const prongs = [
  { deta: 0.2, dphi: 0.2, pt: 300 },
  { deta: -0.4, dphi: -0.3, pt: 100 },
];

/** A two-prong jet image: pT deposits at the prongs, a little spread around. */
function jetImage(): Float32Array {
  const image = new Float32Array(32 * 32);
  for (const prong of prongs) {
    const { row, col } = transform.toPixel(prong.deta, prong.dphi);
    image[Math.floor(row) * 32 + Math.floor(col)] = prong.pt;
    image[Math.floor(row) * 32 + Math.floor(col) + 1] = prong.pt / 1000;
  }
  return image;
}

async function render(title?: string) {
  const analysis = analyseJet({
    attention: randomAttention(1, 1, 2, 2, 17),
    grid,
    transform,
    prongs,
  });
  const png = await renderJetOverlay({
    image: jetImage(),
    channels: 1,
    analysis,
    transform,
    title,
  });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) =>
    Array.from(
      data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    );
  return { png, data, info, pixel };
}

describe('logScale', () => {
  it('maps the maximum to 1, a decade down to 1 - 1/decades, zero and below the floor to 0', () => {
    const scaled = logScale(Float64Array.from([100, 10, 0, 1e-9]), 4);
    expect(Array.from(scaled)).toEqual([1, 0.75, 0, 0]);
  });
});

describe('renderJetOverlay', () => {
  it('draws the jet image in magma on a log scale, left panel at 8 px per pixel', async () => {
    const { png, info, pixel } = await render('TTBar, p(TTBar) = 0.93');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(info.height).toBe(44 + 256 + 34);
    const hard = transform.toPixel(0.2, 0.2);
    // Centre of the hardest pixel: magma(1); an empty pixel far from the prongs: magma(0).
    const x = 12 + Math.floor(hard.col) * 8 + 4;
    const y = 44 + Math.floor(hard.row) * 8 + 4;
    expect(pixel(x, y)).toEqual(colormap('magma', 1));
    expect(pixel(12 + 4, 44 + 4)).toEqual(colormap('magma', 0));
    // The softer neighbour, three decades down of four: magma(0.25), entry 64 of the table.
    expect(pixel(x + 8, y)).toEqual(colormap('magma', 64 / 255));
  });

  it('renders the title text (fonts through fontconfig) and the ROI circles', async () => {
    const withTitle = await render('TTBar, p(TTBar) = 0.93');
    const without = await render();
    let dark = 0;
    for (let y = 4; y < 16; y++) {
      for (let x = 0; x < 200; x++) if (withTitle.pixel(x, y)[0]! < 128) dark++;
    }
    expect(dark).toBeGreaterThan(50);
    for (let y = 4; y < 16; y++)
      for (let x = 0; x < 200; x++) expect(without.pixel(x, y)).toEqual([255, 255, 255]);

    // The circle of R = 0.2 (4 px, 32 screen px) around the hardest prong crosses its left edge.
    const centre = transform.toPixel(0.2, 0.2);
    const y = Math.round(44 + centre.row * 8);
    const x = Math.round(12 + centre.col * 8 - 32);
    const near = [-1, 0, 1].map((d) => withTitle.pixel(x + d, y));
    expect(near.some((p) => p.every((v) => v > 200))).toBe(true);
  });

  it('BAD CALLS: an image or map that does not fit the transform', async () => {
    const analysis = analyseJet({
      attention: randomAttention(1, 1, 1, 1, 17),
      grid,
      transform,
      prongs,
    });
    await expect(
      renderJetOverlay({ image: new Float32Array(10), channels: 1, analysis, transform }),
    ).rejects.toThrow(/image: expected 1024 values, got 10/);
    const small = { ...analysis, imageMap: { values: new Float32Array(4), rows: 2, cols: 2 } };
    await expect(
      renderJetOverlay({ image: jetImage(), channels: 1, analysis: small, transform }),
    ).rejects.toThrow(/analysis.imageMap: expected the 32 x 32 jet-image grid, got 2 x 2/);
    await expect(
      renderJetOverlay({ image: jetImage(), channels: 1, analysis, transform, alpha: 2 }),
    ).rejects.toThrow(/alpha: expected a number in \[0, 1\], got 2/);
  });
});
