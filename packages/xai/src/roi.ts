import {
  checkFloat32Array,
  checkFunction,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkRange,
} from './checks.js';
import { detaDphiDistance, selectProngs } from './prongs.js';
import type { GridMap, ImageGridTransform, Prong } from './types.js';

/**
 * How much of a pixel a disk covers: `centre` counts a pixel as inside (1) when its centre is
 * within the radius, else 0; `supersample` tests `supersample x supersample` points spread
 * evenly over the pixel and takes the share inside, a fractional coverage that converges to
 * the disk's true area as the count grows.
 */
export type RoiCoverage = 'centre' | 'supersample';
export const ROI_COVERAGES: readonly RoiCoverage[] = ['centre', 'supersample'];

export interface RoiOptions {
  /** Disk radius in the (Δη, Δφ) plane. */
  readonly radius: number;
  readonly coverage: RoiCoverage;
  /** Points per pixel side for `supersample` coverage. */
  readonly supersample: number;
  /** At most this many prongs, the hardest first. */
  readonly maxProngs: number;
}

export type RoiOptionsInput = Partial<RoiOptions>;

/** Defaults: a disk of R = 0.2 around each of up to three prongs, pixel centres inside. */
export const DEFAULT_ROI_OPTIONS: RoiOptions = {
  radius: 0.2,
  coverage: 'centre',
  supersample: 4,
  maxProngs: 3,
};

export function resolveRoiOptions(input: RoiOptionsInput | undefined): RoiOptions {
  const given = input ?? {};
  checkObject('roi options', given);
  const options = { ...DEFAULT_ROI_OPTIONS, ...given };
  checkRange('roi.radius', options.radius, 0, Number.MAX_VALUE);
  if (options.radius === 0) throw new RangeError('roi.radius: expected a radius > 0, got 0');
  checkOneOf('roi.coverage', options.coverage, ROI_COVERAGES);
  checkPositiveInteger('roi.supersample', options.supersample);
  checkPositiveInteger('roi.maxProngs', options.maxProngs);
  return {
    radius: options.radius,
    coverage: options.coverage,
    supersample: options.supersample,
    maxProngs: options.maxProngs,
  };
}

/** One ROI: its prong, its centre in pixel coordinates and its coverage of each pixel. */
export interface Roi {
  readonly prong: Prong;
  readonly centre: { readonly row: number; readonly col: number };
  /** Coverage in [0, 1] per pixel of the jet image, row-major. */
  readonly coverage: Float32Array;
}

export interface ProngRois {
  readonly rois: Roi[];
  /** Coverage of the union of the disks: overlapping disks are counted once. */
  readonly union: Float32Array;
  readonly options: RoiOptions;
}

export function checkTransform(transform: ImageGridTransform, name = 'transform'): void {
  checkObject(name, transform);
  checkPositiveInteger(`${name}.width`, transform.width);
  checkPositiveInteger(`${name}.height`, transform.height);
  checkFunction(`${name}.toPixel`, transform.toPixel);
  checkFunction(`${name}.toDetaDphi`, transform.toDetaDphi);
}

/**
 * Disks around the prongs on the jet-image grid. Points are mapped through the transform
 * (pixel to (Δη, Δφ)), never the other way, so a rotated or flipped image keeps its ROIs.
 */
export function prongRois(
  prongs: readonly Prong[],
  transform: ImageGridTransform,
  options?: RoiOptionsInput,
): ProngRois {
  checkTransform(transform);
  const resolved = resolveRoiOptions(options);
  const selected = selectProngs(prongs, resolved.maxProngs);
  const { width, height } = transform;
  const pixels = width * height;
  const steps = resolved.coverage === 'centre' ? 1 : resolved.supersample;
  const weight = 1 / (steps * steps);

  const coverages = selected.map(() => new Float32Array(pixels));
  const union = new Float32Array(pixels);

  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const pixel = row * width + col;
      for (let sy = 0; sy < steps; sy++) {
        for (let sx = 0; sx < steps; sx++) {
          const point = transform.toDetaDphi(row + (sy + 0.5) / steps, col + (sx + 0.5) / steps);
          let inAny = false;
          selected.forEach((prong, k) => {
            if (detaDphiDistance(point, prong) <= resolved.radius) {
              coverages[k]![pixel] = coverages[k]![pixel]! + weight;
              inAny = true;
            }
          });
          if (inAny) union[pixel] = union[pixel]! + weight;
        }
      }
    }
  }

  const rois = selected.map((prong, k) => ({
    prong,
    centre: transform.toPixel(prong.deta, prong.dphi),
    coverage: coverages[k]!,
  }));
  return { rois, union, options: resolved };
}

/** Attention statistics of one region; null where the region has no area on the image. */
export interface RoiStatistics {
  /** Attention inside over all attention. */
  readonly attentionFraction: number;
  /** Mean attention per pixel inside (coverage-weighted). */
  readonly meanAttention: number | null;
  /** Area of the region over the area of the image. */
  readonly areaFraction: number;
  /** attentionFraction / areaFraction: 1 means no preference for the region. */
  readonly enrichment: number | null;
  /** Covered pixels (sum of coverage). */
  readonly pixels: number;
}

export function checkImageMap(map: GridMap, name = 'map'): void {
  checkObject(name, map);
  checkPositiveInteger(`${name}.rows`, map.rows);
  checkPositiveInteger(`${name}.cols`, map.cols);
  checkFloat32Array(`${name}.values`, map.values, map.rows * map.cols);
}

/** Statistics of `map` (on the jet-image grid) inside a region given by its coverage. */
export function roiStatistics(map: GridMap, coverage: Float32Array): RoiStatistics {
  checkImageMap(map);
  checkFloat32Array('coverage', coverage, map.values.length);

  let total = 0;
  let inside = 0;
  let area = 0;
  for (let i = 0; i < map.values.length; i++) {
    const value = map.values[i]!;
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) {
      throw new RangeError(`map.values[${i}]: expected a finite attention >= 0, got ${value}`);
    }
    total += value;
    inside += value * coverage[i]!;
    area += coverage[i]!;
  }
  if (total === 0) throw new RangeError('map: expected some attention, got a map of zeros');

  const attentionFraction = inside / total;
  const areaFraction = area / map.values.length;
  return {
    attentionFraction,
    meanAttention: area > 0 ? inside / area : null,
    areaFraction,
    enrichment: area > 0 ? attentionFraction / areaFraction : null,
    pixels: area,
  };
}
