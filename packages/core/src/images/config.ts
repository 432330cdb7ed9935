/** Where each jet's image frame is centred. */
export type Centring = 'none' | 'pt-centroid' | 'leading-subjet';
/** What is turned to point straight down (towards -dphi). */
export type Rotation = 'none' | 'principal-axis' | 'second-subjet';
/** Which halves are flipped so that the one with more weight is on the positive side. */
export type Flip = 'none' | 'deta' | 'deta-dphi';
export type Weight = 'pt' | 'energy';
/**
 * `sum`: momentum channels divided by the image's total weight inside the window (the weight
 * channel sums to one); `none`: raw GeV; `log`: log(1 + GeV).
 */
export type Normalisation = 'sum' | 'none' | 'log';
export type Channel = 'weight' | 'charged' | 'neutral' | 'multiplicity' | 'charged-multiplicity';

export interface ImageConfig {
  /** Pixels along dphi (rows) and deta (columns); default 33 x 33. */
  height: number;
  width: number;
  /** The window in the (deta, dphi) plane after preprocessing; default [-0.8, 0.8] (2R x 2R). */
  detaRange: [number, number];
  dphiRange: [number, number];
  weight: Weight;
  normalisation: Normalisation;
  channels: Channel[];
  centre: Centring;
  /**
   * Snap the centre to the pixel grid as EnergyFlow's `pixelate` does (centre at a multiple of
   * the pixel size), so that the images agree pixel for pixel.
   */
  snapCentre: boolean;
  rotate: Rotation;
  flip: Flip;
  /** Jets summed into one image: 1, or the study's 10 and 1000. Consecutive jets are grouped. */
  jetsPerImage: number;
}

export const DEFAULT_IMAGE_CONFIG: Readonly<ImageConfig> = {
  height: 33,
  width: 33,
  detaRange: [-0.8, 0.8],
  dphiRange: [-0.8, 0.8],
  weight: 'pt',
  normalisation: 'sum',
  channels: ['weight'],
  centre: 'none',
  snapCentre: false,
  rotate: 'none',
  flip: 'none',
  jetsPerImage: 1,
};

const CHOICES = {
  weight: ['pt', 'energy'],
  normalisation: ['sum', 'none', 'log'],
  centre: ['none', 'pt-centroid', 'leading-subjet'],
  rotate: ['none', 'principal-axis', 'second-subjet'],
  flip: ['none', 'deta', 'deta-dphi'],
} as const;
const CHANNELS = ['weight', 'charged', 'neutral', 'multiplicity', 'charged-multiplicity'];

function checkRange(name: string, range: unknown): void {
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite)) {
    throw new TypeError(`${name} must be two finite numbers [low, high], got ${String(range)}`);
  }
  if (!(range[0] < range[1])) {
    throw new RangeError(`${name} must have low < high, got [${range[0]}, ${range[1]}]`);
  }
}

/** The full configuration, defaults filled in, every field checked. */
export function resolveImageConfig(partial: Partial<ImageConfig> = {}): ImageConfig {
  const config = { ...DEFAULT_IMAGE_CONFIG, ...partial };
  for (const key of ['height', 'width', 'jetsPerImage'] as const) {
    const v = config[key];
    if (typeof v !== 'number') throw new TypeError(`${key} must be a number, got ${typeof v}`);
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${key} must be an integer >= 1, got ${v}`);
    }
  }
  checkRange('detaRange', config.detaRange);
  checkRange('dphiRange', config.dphiRange);
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const v = config[key as keyof typeof CHOICES];
    if (!(allowed as readonly string[]).includes(v)) {
      throw new RangeError(`${key} must be one of ${allowed.join(', ')}, got ${String(v)}`);
    }
  }
  if (!Array.isArray(config.channels) || config.channels.length === 0) {
    throw new TypeError('channels must be a non-empty array');
  }
  for (const c of config.channels) {
    if (!CHANNELS.includes(c)) {
      throw new RangeError(`channels must be among ${CHANNELS.join(', ')}, got ${String(c)}`);
    }
  }
  if (config.snapCentre && config.centre === 'none') {
    throw new RangeError('snapCentre needs a centre other than none');
  }
  return {
    ...config,
    detaRange: [...config.detaRange],
    dphiRange: [...config.dphiRange],
    channels: [...config.channels],
  };
}
