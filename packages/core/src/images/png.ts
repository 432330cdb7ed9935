import sharp from 'sharp';
import type { JetImageSet } from './jet-images.js';

export interface PngOptions {
  /** Channel to draw (default 0). */
  channel?: number;
  /** Colour scale: log (default, jets span decades of pT) or linear. */
  scale?: 'log' | 'linear';
  /** Pixels of the PNG per image pixel (default 8), nearest-neighbour. */
  upscale?: number;
}

// viridis at five stops, interpolated linearly
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

/**
 * One image of a set as a PNG for people to look at. Empty pixels are black; the log scale
 * spans four decades below the brightest pixel.
 */
export async function jetImagePng(
  set: JetImageSet,
  image: number,
  options: PngOptions = {},
): Promise<Buffer> {
  const [n, channels, h, w] = set.shape;
  const channel = options.channel ?? 0;
  const upscale = options.upscale ?? 8;
  if (!Number.isInteger(image) || image < 0 || image >= n) {
    throw new RangeError(`image must be an index in [0, ${n}), got ${image}`);
  }
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw new RangeError(`channel must be an index in [0, ${channels}), got ${channel}`);
  }
  if (!Number.isInteger(upscale) || upscale < 1) {
    throw new RangeError(`upscale must be an integer >= 1, got ${upscale}`);
  }

  const plane = set.tensor.subarray(
    (image * channels + channel) * h * w,
    (image * channels + channel + 1) * h * w,
  );
  let max = 0;
  for (const v of plane) max = Math.max(max, v);
  const rgb = Buffer.alloc(h * w * 3);
  for (let q = 0; q < plane.length; q++) {
    const v = plane[q]!;
    if (!(v > 0) || max === 0) continue;
    const t = options.scale === 'linear' ? v / max : 1 + Math.log10(v / max) / 4;
    if (t <= 0) continue;
    rgb.set(colour(t), 3 * q);
  }
  return sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .resize(w * upscale, h * upscale, { kernel: 'nearest' })
    .png()
    .toBuffer();
}
