import { checkFunction, checkObject, checkPositiveInteger, describe } from './checks.js';
import type { ImageGridTransform, Prong } from './types.js';

/**
 * Core's image-set transform as xai needs it: one frame per jet (centre, rotation, flips),
 * pixel coordinates with pixel `r` spanning `[r, r + 1)`.
 */
export interface ImageSetTransform {
  readonly config: { readonly width: number; readonly height: number };
  toPixel(jet: number, deta: number, dphi: number): { row: number; col: number };
  fromPixel(jet: number, row: number, col: number): { deta: number; dphi: number };
}

/** The transform of one jet of an image set, in the form ROIs and flows take. */
export function transformOfJet(set: ImageSetTransform, jet: number): ImageGridTransform {
  checkObject('transform', set);
  checkObject('transform.config', set.config);
  checkPositiveInteger('transform.config.width', set.config.width);
  checkPositiveInteger('transform.config.height', set.config.height);
  checkFunction('transform.toPixel', set.toPixel);
  checkFunction('transform.fromPixel', set.fromPixel);
  if (!Number.isInteger(jet) || jet < 0) {
    throw new RangeError(`jet: expected a jet index >= 0, got ${describe(jet)}`);
  }
  return {
    width: set.config.width,
    height: set.config.height,
    toPixel: (deta, dphi) => set.toPixel(jet, deta, dphi),
    toDetaDphi: (row, col) => set.fromPixel(jet, row, col),
  };
}

/** Core's prongs (subjets with a pT-weighted centroid) as xai's `{deta, dphi, pt}`. */
export function prongsFromCentroids(
  prongs: readonly {
    readonly centroid: { readonly deta: number; readonly dphi: number };
    readonly pt: number;
  }[],
): Prong[] {
  if (!Array.isArray(prongs as unknown)) {
    throw new TypeError(`prongs: expected an array, got ${describe(prongs)}`);
  }
  return prongs.map((prong, i) => {
    checkObject(`prongs[${i}].centroid`, prong?.centroid);
    return { deta: prong.centroid.deta, dphi: prong.centroid.dphi, pt: prong.pt };
  });
}
