import type { ViTConfig } from '../vit/config.js';
import type { ViTPreprocessorConfig } from '../vit/preprocessor-config.js';

/** A batch of images, float32, row-major `[image][channel][row][col]`. */
export interface ImageBatch {
  readonly data: Float32Array;
  /** `[N, C, H, W]` */
  readonly dims: readonly [number, number, number, number];
}

/**
 * How pixel intensities are scaled before mean/std normalisation:
 * - `max`: divide each image by its own maximum, to [0, 1]. Jet images are normalised to
 *   sum 1, so their pixels are far below what a checkpoint trained on photographs expects;
 *   this puts the hottest pixel at 1 whatever the jet's size.
 * - `rescale-factor`: multiply by the checkpoint's `rescale_factor` (1/255 for 8-bit
 *   photographs), as Hugging Face's processor does.
 * - `none`: use the values as given.
 */
export type IntensityScaling = 'max' | 'rescale-factor' | 'none';

/** Choices of {@link resolvePreprocessing}; unset ones come from the checkpoint. */
export interface PreprocessingOptions {
  /** Default `max` (the choice for jet images); see {@link IntensityScaling}. */
  readonly intensity?: IntensityScaling;
  /** Resize to the model's image size (default: the checkpoint's `do_resize`). */
  readonly resize?: boolean;
  /** Subtract the mean, divide by the std (default: the checkpoint's `do_normalize`). */
  readonly normalize?: boolean;
}

/**
 * The preprocessing a session applies, every choice resolved, so that a stored result can
 * record exactly what was done to its images.
 */
export interface Preprocessing {
  readonly intensity: IntensityScaling;
  /** Factor applied when `intensity` is `rescale-factor`. */
  readonly rescaleFactor: number;
  /** Bilinear with half-pixel centres and no antialiasing (torch `align_corners=False`). */
  readonly resize: boolean;
  /** Target `[height, width]`: the model's image size. */
  readonly size: readonly [number, number];
  /** Channels the model reads; a one-channel image is replicated into all of them. */
  readonly channels: number;
  readonly normalize: boolean;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

const INTENSITIES: readonly IntensityScaling[] = ['max', 'rescale-factor', 'none'];

/** Combines the checkpoint's preprocessing with the caller's choices. */
export function resolvePreprocessing(
  config: ViTConfig,
  preprocessor: ViTPreprocessorConfig,
  options: PreprocessingOptions = {},
): Preprocessing {
  const intensity = options.intensity ?? 'max';
  if (!INTENSITIES.includes(intensity)) {
    throw new RangeError(
      `preprocessing.intensity: expected one of ${INTENSITIES.join(', ')}, ` +
        `got ${JSON.stringify(intensity)}`,
    );
  }
  const resize = options.resize ?? preprocessor.doResize;
  const normalize = options.normalize ?? preprocessor.doNormalize;
  const [height, width] = config.imageSize;
  if (resize && (preprocessor.size[0] !== height || preprocessor.size[1] !== width)) {
    throw new RangeError(
      `preprocessor size [${preprocessor.size.join(', ')}] differs from the model's image_size ` +
        `[${height}, ${width}]`,
    );
  }
  const channels = config.numChannels;
  if (normalize && preprocessor.imageMean.length !== channels) {
    throw new RangeError(
      `preprocessor image_mean has ${preprocessor.imageMean.length} channels, the model ` +
        `reads ${channels}`,
    );
  }
  return {
    intensity,
    rescaleFactor: preprocessor.rescaleFactor,
    resize,
    size: [height, width],
    channels,
    normalize,
    mean: preprocessor.imageMean,
    std: preprocessor.imageStd,
  };
}

/** Checks that `images` is an {@link ImageBatch}; `what` names it in errors. */
export function checkImageBatch(images: ImageBatch, what = 'images'): void {
  if (typeof images !== 'object' || images === null || !(images.data instanceof Float32Array)) {
    throw new TypeError(`${what}: expected { data: Float32Array, dims: [N, C, H, W] }`);
  }
  const { dims } = images;
  if (
    !Array.isArray(dims) ||
    dims.length !== 4 ||
    !dims.every((d) => Number.isSafeInteger(d) && d > 0)
  ) {
    throw new RangeError(
      `${what}.dims: expected [N, C, H, W] of integers > 0, got ${JSON.stringify(dims)}`,
    );
  }
  const size = dims[0] * dims[1] * dims[2] * dims[3];
  if (images.data.length !== size) {
    throw new RangeError(
      `${what}: dims [${dims.join(', ')}] hold ${size} values, data has ${images.data.length}`,
    );
  }
}

/** torch's source coordinate for bilinear, align_corners=False (clamped below at 0). */
function sourceIndex(scale: number, target: number): number {
  const source = scale * (target + 0.5) - 0.5;
  return Math.max(source, 0);
}

/** Bilinear taps along one axis: for each output index, two source indices and a weight. */
function taps(inSize: number, outSize: number) {
  const scale = inSize / outSize;
  const low = new Int32Array(outSize);
  const high = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const source = sourceIndex(scale, i);
    const i0 = Math.floor(source);
    low[i] = i0;
    high[i] = i0 < inSize - 1 ? i0 + 1 : i0;
    weight[i] = source - i0;
  }
  return { low, high, weight };
}

/**
 * Turns jet images into the model's pixel values: intensity scaling, bilinear resize,
 * channel replication and mean/std normalisation, in that order.
 */
export function preprocessImages(images: ImageBatch, preprocessing: Preprocessing): ImageBatch {
  checkImageBatch(images);
  const [n, c, h, w] = images.dims;
  const channels = preprocessing.channels;
  if (c !== 1 && c !== channels) {
    throw new RangeError(`images: ${c} channels given, the model reads ${channels} (or give 1)`);
  }
  const [outH, outW] = preprocessing.resize ? preprocessing.size : [h, w];
  if (outH !== preprocessing.size[0] || outW !== preprocessing.size[1]) {
    throw new RangeError(
      `images: ${h}x${w} pixels but the model reads ${preprocessing.size.join('x')} ` +
        'and resize is off',
    );
  }

  const rows = taps(h, outH);
  const cols = taps(w, outW);
  const plane = outH * outW;
  const out = new Float32Array(n * channels * plane);
  const resized = new Float32Array(plane);
  for (let image = 0; image < n; image++) {
    const source = images.data.subarray(image * c * h * w, (image + 1) * c * h * w);
    const factor = intensityFactor(source, preprocessing, image);

    for (let channel = 0; channel < channels; channel++) {
      // a one-channel jet image feeds every model channel
      const inPlane = source.subarray(
        (c === 1 ? 0 : channel) * h * w,
        ((c === 1 ? 0 : channel) + 1) * h * w,
      );
      resizePlane(inPlane, w, rows, cols, resized);

      const mean = preprocessing.normalize ? preprocessing.mean[channel]! : 0;
      const std = preprocessing.normalize ? preprocessing.std[channel]! : 1;
      const target = out.subarray(
        (image * channels + channel) * plane,
        (image * channels + channel + 1) * plane,
      );
      for (let i = 0; i < plane; i++) {
        target[i] = (resized[i]! * factor - mean) / std;
      }
    }
  }
  return { data: out, dims: [n, channels, outH, outW] };
}

function intensityFactor(image: Float32Array, preprocessing: Preprocessing, index: number): number {
  switch (preprocessing.intensity) {
    case 'none':
      return 1;
    case 'rescale-factor':
      return preprocessing.rescaleFactor;
    case 'max': {
      let max = Number.NEGATIVE_INFINITY;
      for (const v of image) {
        max = Math.max(v, max);
      }
      if (!(max > 0) || !Number.isFinite(max)) {
        throw new RangeError(
          `images[${index}]: per-image max rescale needs a finite maximum > 0, got ${max} ` +
            '(an empty jet image?)',
        );
      }
      return 1 / max;
    }
  }
}

function resizePlane(
  input: Float32Array,
  inW: number,
  rows: ReturnType<typeof taps>,
  cols: ReturnType<typeof taps>,
  out: Float32Array,
): void {
  const outW = cols.low.length;
  for (let y = 0; y < rows.low.length; y++) {
    const top = rows.low[y]! * inW;
    const bottom = rows.high[y]! * inW;
    const wy = rows.weight[y]!;
    for (let x = 0; x < outW; x++) {
      const left = cols.low[x]!;
      const right = cols.high[x]!;
      const wx = cols.weight[x]!;
      const upper = input[top + left]! * (1 - wx) + input[top + right]! * wx;
      const lower = input[bottom + left]! * (1 - wx) + input[bottom + right]! * wx;
      out[y * outW + x] = upper * (1 - wy) + lower * wy;
    }
  }
}
