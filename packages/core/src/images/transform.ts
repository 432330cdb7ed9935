import type { ImageConfig } from './config.js';

/**
 * How one jet was placed in its image: the plane is shifted so that `centre` is at the
 * origin, turned by `rotation` radians (counter-clockwise, deta towards dphi), then mirrored.
 */
export interface JetFrame {
  centre: { deta: number; dphi: number };
  rotation: number;
  flipDeta: boolean;
  flipDphi: boolean;
}

export const IDENTITY_FRAME: Readonly<JetFrame> = {
  centre: { deta: 0, dphi: 0 },
  rotation: 0,
  flipDeta: false,
  flipDphi: false,
};

/** A position in an image: continuous pixel coordinates; pixel (r, c) spans [r, r+1) x [c, c+1). */
export interface PixelPoint {
  row: number;
  col: number;
}

export interface ImageTransformJson {
  kind: 'jetlens.image-transform';
  version: 1;
  config: ImageConfig;
  frames: JetFrame[];
  groups: number[][];
}

/**
 * The one map between a jet's (deta, dphi) and the pixels of the image it is in, for every jet
 * of an image set. Images, prong centroids and ROIs all go through it. Rows follow dphi
 * (row 0 at the top = largest dphi), columns follow deta (column 0 at the left = smallest).
 */
export class ImageTransform {
  readonly config: ImageConfig;
  /** One frame per jet in an image, in input order (left-over jets have none). */
  readonly frames: readonly JetFrame[];
  /** The jets (indices into `frames`) summed into each image. */
  readonly groups: readonly (readonly number[])[];
  readonly #imageOf: Int32Array;

  constructor(config: ImageConfig, frames: JetFrame[], groups: number[][]) {
    this.config = config;
    this.frames = frames;
    this.groups = groups;
    this.#imageOf = new Int32Array(frames.length).fill(-1);
    groups.forEach((g, image) => {
      for (const jet of g) this.#imageOf[jet] = image;
    });
  }

  /** Width and height of one pixel in the (deta, dphi) plane. */
  get pixelSize(): { deta: number; dphi: number } {
    const { detaRange, dphiRange, width, height } = this.config;
    return {
      deta: (detaRange[1] - detaRange[0]) / width,
      dphi: (dphiRange[1] - dphiRange[0]) / height,
    };
  }

  #frame(jet: number): JetFrame {
    const frame = this.frames[jet];
    if (!Number.isInteger(jet) || !frame) {
      throw new RangeError(`jet must be an index in [0, ${this.frames.length}), got ${jet}`);
    }
    return frame;
  }

  /** The image that jet `jet` was summed into. */
  imageOf(jet: number): number {
    this.#frame(jet);
    return this.#imageOf[jet]!;
  }

  /** Jet coordinates after the jet's preprocessing (centre, rotation, flips). */
  toFrame(jet: number, deta: number, dphi: number): { deta: number; dphi: number } {
    const f = this.#frame(jet);
    return applyFrame(f, deta, dphi);
  }

  /** (deta, dphi) of jet `jet` to continuous pixel coordinates in its image. */
  toPixel(jet: number, deta: number, dphi: number): PixelPoint {
    const p = this.toFrame(jet, deta, dphi);
    const { detaRange, dphiRange } = this.config;
    const size = this.pixelSize;
    return { row: (dphiRange[1] - p.dphi) / size.dphi, col: (p.deta - detaRange[0]) / size.deta };
  }

  /** Continuous pixel coordinates back to jet `jet`'s (deta, dphi). */
  fromPixel(jet: number, row: number, col: number): { deta: number; dphi: number } {
    const f = this.#frame(jet);
    const { detaRange, dphiRange } = this.config;
    const size = this.pixelSize;
    let u = detaRange[0] + col * size.deta;
    let v = dphiRange[1] - row * size.dphi;
    if (f.flipDeta) u = -u;
    if (f.flipDphi) v = -v;
    const c = Math.cos(-f.rotation);
    const s = Math.sin(-f.rotation);
    return { deta: c * u - s * v + f.centre.deta, dphi: s * u + c * v + f.centre.dphi };
  }

  toJSON(): ImageTransformJson {
    return {
      kind: 'jetlens.image-transform',
      version: 1,
      config: this.config,
      frames: this.frames.map((f) => ({ ...f, centre: { ...f.centre } })),
      groups: this.groups.map((g) => [...g]),
    };
  }

  static fromJSON(json: unknown): ImageTransform {
    const j = json as Partial<ImageTransformJson> | null;
    if (typeof j !== 'object' || j === null || j.kind !== 'jetlens.image-transform') {
      throw new TypeError("not an image transform (expected kind 'jetlens.image-transform')");
    }
    if (j.version !== 1)
      throw new RangeError(`image transform version must be 1, got ${j.version}`);
    if (!j.config || !Array.isArray(j.frames) || !Array.isArray(j.groups)) {
      throw new TypeError('image transform needs config, frames and groups');
    }
    return new ImageTransform(j.config, j.frames, j.groups);
  }
}

export function applyFrame(f: JetFrame, deta: number, dphi: number) {
  const u = deta - f.centre.deta;
  const v = dphi - f.centre.dphi;
  const c = Math.cos(f.rotation);
  const s = Math.sin(f.rotation);
  const x = c * u - s * v;
  const y = s * u + c * v;
  return { deta: f.flipDeta ? -x : x, dphi: f.flipDphi ? -y : y };
}
