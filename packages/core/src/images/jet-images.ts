import { type Channel, type ImageConfig, resolveImageConfig } from './config.js';
import { type ImageConstituents, jetFrame } from './preprocess.js';
import { ImageTransform, type JetFrame } from './transform.js';

/** What an image needs of a jet; a `Jet` from the reader is one. */
export interface ImageJet {
  constituents: ImageConstituents;
  origin?: { file: string; entry: number };
  label?: string | null;
}

/** Images as one float32 tensor `[image][channel][row][col]`, with the transform that made them. */
export interface JetImageSet {
  tensor: Float32Array;
  shape: [number, number, number, number];
  channels: Channel[];
  transform: ImageTransform;
  /** The label shared by each image's jets (null where the jets have none). */
  labels: (string | null)[];
  /** Jets at the end that did not fill a last group of `jetsPerImage` and were left out. */
  leftOver: number;
}

const MOMENTUM = new Set<Channel>(['weight', 'charged', 'neutral']);

// channel kinds as small integers, so the per-constituent loop compares numbers
const WEIGHT = 0;
const CHARGED = 1;
const NEUTRAL = 2;
const MULTIPLICITY = 3;
const KIND: Record<Channel, number> = {
  weight: WEIGHT,
  charged: CHARGED,
  neutral: NEUTRAL,
  multiplicity: MULTIPLICITY,
  'charged-multiplicity': 4,
};

function where(jet: ImageJet, index: number): string {
  return jet.origin
    ? `jet ${index} (${jet.origin.file}, entry ${jet.origin.entry})`
    : `jet ${index}`;
}

/**
 * Pixelates jets into images: each jet is placed by its own frame (centre, rotation, flips),
 * `jetsPerImage` consecutive jets are summed into one image, then each image is normalised.
 */
export function makeJetImages(jets: ImageJet[], options: Partial<ImageConfig> = {}): JetImageSet {
  if (!Array.isArray(jets)) throw new TypeError(`jets must be an array, got ${typeof jets}`);
  const config = resolveImageConfig(options);
  const { height: H, width: W, channels, jetsPerImage: per } = config;
  const C = channels.length;
  const images = Math.floor(jets.length / per);
  if (images === 0) {
    throw new RangeError(`need at least ${per} jets for one image, got ${jets.length}`);
  }
  const needsCharge = channels.some((c) => c !== 'weight' && c !== 'multiplicity');
  const kinds = Int8Array.from(channels, (c) => KIND[c]);
  const momentum = Uint8Array.from(channels, (c) => (MOMENTUM.has(c) ? 1 : 0));
  // the pixels of the current image that received a constituent, to normalise only those
  const marked = new Uint8Array(H * W);
  const touched = new Int32Array(H * W);
  let nTouched = 0;
  const weightOnly = C === 1 && channels[0] === 'weight';

  const frames: JetFrame[] = [];
  const groups: number[][] = [];
  const labels: (string | null)[] = [];
  const tensor = new Float32Array(images * C * H * W);
  const [detaLo] = config.detaRange;
  const dphiHi = config.dphiRange[1];
  const pw = (config.detaRange[1] - detaLo) / W;
  const ph = (dphiHi - config.dphiRange[0]) / H;

  for (let image = 0; image < images; image++) {
    const group: number[] = [];
    const base = image * C * H * W;
    let total = 0;
    const label = jets[image * per]!.label ?? null;

    for (let k = 0; k < per; k++) {
      const index = image * per + k;
      const jet = jets[index]!;
      if ((jet.label ?? null) !== label) {
        throw new RangeError(
          `${where(jet, index)} is labelled ${jet.label}, but image ${image} holds ${label} jets ` +
            '(each image must hold jets of one class)',
        );
      }
      const c = jet.constituents;
      if (needsCharge && !c.charge) {
        throw new RangeError(
          `${where(jet, index)} has no charges, which channels ${channels} need`,
        );
      }
      const frame = jetFrame(c, config);
      frames.push(frame);
      group.push(index);

      // the frame inlined: shift, turn, mirror (see applyFrame)
      const w = config.weight === 'energy' ? c.energy : c.pt;
      const cos = Math.cos(frame.rotation);
      const sin = Math.sin(frame.rotation);
      const sx = frame.flipDeta ? -1 : 1;
      const sy = frame.flipDphi ? -1 : 1;
      const { deta, dphi } = c;
      const { deta: u0, dphi: v0 } = frame.centre;
      for (let j = 0; j < w.length; j++) {
        const u = deta[j]! - u0;
        const v = dphi[j]! - v0;
        const col = Math.floor((sx * (cos * u - sin * v) - detaLo) / pw);
        const row = Math.floor((dphiHi - sy * (sin * u + cos * v)) / ph);
        if (col < 0 || col >= W || row < 0 || row >= H) continue;
        const weight = w[j]!;
        const pixel = base + row * W + col;
        total += weight;
        if (!marked[row * W + col]) {
          marked[row * W + col] = 1;
          touched[nTouched++] = row * W + col;
        }
        if (weightOnly) {
          tensor[pixel]! += weight;
          continue;
        }
        const charged = c.charge ? c.charge[j] !== 0 : false;
        for (let ch = 0; ch < C; ch++) {
          const kind = kinds[ch]!;
          let v = 0;
          if (kind === WEIGHT) v = weight;
          else if (kind === CHARGED) v = charged ? weight : 0;
          else if (kind === NEUTRAL) v = charged ? 0 : weight;
          else if (kind === MULTIPLICITY) v = 1;
          else v = charged ? 1 : 0;
          tensor[pixel + ch * H * W]! += v;
        }
      }
    }

    // only the pixels that constituents landed in can be non-zero
    if (config.normalisation === 'sum' && !(total > 0)) {
      throw new RangeError(
        `image ${image} has no ${config.weight} inside the window ` +
          `(jets ${group[0]}..${group.at(-1)})`,
      );
    }
    for (let t = 0; t < nTouched; t++) {
      const q = touched[t]!;
      marked[q] = 0;
      if (config.normalisation === 'none') continue;
      for (let ch = 0; ch < C; ch++) {
        if (!momentum[ch]) continue;
        const at = base + ch * H * W + q;
        tensor[at] = config.normalisation === 'sum' ? tensor[at]! / total : Math.log1p(tensor[at]!);
      }
    }
    nTouched = 0;
    groups.push(group);
    labels.push(label);
  }

  return {
    tensor,
    shape: [images, C, H, W],
    channels,
    transform: new ImageTransform(config, frames, groups),
    labels,
    leftOver: jets.length - images * per,
  };
}
