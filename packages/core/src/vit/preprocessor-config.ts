/**
 * A checkpoint's image preprocessing, from its `preprocessor_config.json`
 * (`ViTImageProcessor`), with transformers' defaults for what the file leaves out.
 */
export interface ViTPreprocessorConfig {
  readonly doResize: boolean;
  /** Target `[height, width]` of the resize. */
  readonly size: readonly [number, number];
  readonly doRescale: boolean;
  /** Factor of the rescale step (1/255 for 8-bit photographs). */
  readonly rescaleFactor: number;
  readonly doNormalize: boolean;
  /** Per-channel mean and standard deviation of the normalisation. */
  readonly imageMean: readonly number[];
  readonly imageStd: readonly number[];
  /** True when the values came from a file, false when they are transformers' defaults. */
  readonly fromFile: boolean;
}

/** `ViTImageProcessor`'s defaults (IMAGENET_STANDARD_MEAN and _STD are 0.5 per channel). */
export const HF_VIT_PREPROCESSOR_DEFAULTS: ViTPreprocessorConfig = {
  doResize: true,
  size: [224, 224],
  doRescale: true,
  rescaleFactor: 1 / 255,
  doNormalize: true,
  imageMean: [0.5, 0.5, 0.5],
  imageStd: [0.5, 0.5, 0.5],
  fromFile: false,
};

/** PIL's code for bilinear resampling, the only resize JetLens performs. */
const PIL_BILINEAR = 2;

function readBoolean(source: string, raw: Record<string, unknown>, key: string, fallback: boolean) {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${source}: ${key} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readChannels(
  source: string,
  raw: Record<string, unknown>,
  key: 'image_mean' | 'image_std',
  fallback: readonly number[],
): number[] {
  const value = raw[key] ?? fallback;
  const list = typeof value === 'number' ? [value, value, value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'number')) {
    throw new TypeError(`${source}: ${key} must be a number or a list of numbers`);
  }
  if (key === 'image_std' && !list.every((v) => v > 0)) {
    throw new RangeError(`${source}: image_std values must be > 0, got [${list.join(', ')}]`);
  }
  return list;
}

function readSize(source: string, raw: Record<string, unknown>): [number, number] {
  const value = raw.size ?? { height: 224, width: 224 };
  const fail = (): never => {
    throw new RangeError(
      `${source}: size must be an integer or {height, width}, got ${JSON.stringify(value)}`,
    );
  };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? [value, value] : fail();
  }
  if (typeof value !== 'object' || value === null) {
    return fail();
  }
  const { height, width } = value as Record<string, unknown>;
  if (
    typeof height !== 'number' ||
    typeof width !== 'number' ||
    !Number.isSafeInteger(height) ||
    !Number.isSafeInteger(width) ||
    height < 1 ||
    width < 1
  ) {
    return fail();
  }
  return [height, width];
}

/**
 * Reads a parsed `preprocessor_config.json`; `undefined` (no file) gives transformers'
 * defaults. `source` names the file in error messages.
 */
export function parsePreprocessorConfig(
  json: unknown,
  source = 'preprocessor_config.json',
): ViTPreprocessorConfig {
  if (json === undefined) {
    return HF_VIT_PREPROCESSOR_DEFAULTS;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError(`${source}: expected a JSON object`);
  }
  const raw = json as Record<string, unknown>;
  const defaults = HF_VIT_PREPROCESSOR_DEFAULTS;

  const resample = raw.resample ?? PIL_BILINEAR;
  if (resample !== PIL_BILINEAR) {
    throw new RangeError(
      `${source}: resample ${JSON.stringify(resample)} is not supported; JetLens resizes ` +
        `bilinearly (resample ${PIL_BILINEAR})`,
    );
  }
  const rescaleFactor = raw.rescale_factor ?? defaults.rescaleFactor;
  if (typeof rescaleFactor !== 'number' || !(rescaleFactor > 0)) {
    throw new RangeError(`${source}: rescale_factor must be a number > 0, got ${rescaleFactor}`);
  }

  const imageMean = readChannels(source, raw, 'image_mean', defaults.imageMean);
  const imageStd = readChannels(source, raw, 'image_std', defaults.imageStd);
  if (imageMean.length !== imageStd.length) {
    throw new RangeError(
      `${source}: image_mean has ${imageMean.length} channels, image_std ${imageStd.length}`,
    );
  }

  return {
    doResize: readBoolean(source, raw, 'do_resize', defaults.doResize),
    size: readSize(source, raw),
    doRescale: readBoolean(source, raw, 'do_rescale', defaults.doRescale),
    rescaleFactor,
    doNormalize: readBoolean(source, raw, 'do_normalize', defaults.doNormalize),
    imageMean,
    imageStd,
    fromFile: true,
  };
}

/** `preprocessor_config.json` as transformers' ViTImageProcessor writes it. */
export function preprocessorConfigJson(p: ViTPreprocessorConfig): Record<string, unknown> {
  return {
    do_normalize: p.doNormalize,
    do_rescale: p.doRescale,
    do_resize: p.doResize,
    image_mean: [...p.imageMean],
    image_processor_type: 'ViTImageProcessor',
    image_std: [...p.imageStd],
    resample: PIL_BILINEAR,
    rescale_factor: p.rescaleFactor,
    size: { height: p.size[0], width: p.size[1] },
  };
}
