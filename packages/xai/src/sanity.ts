import { checkFloat32Array, checkObject, checkPositiveInteger, describe } from './checks.js';
import { compareMaps, type MapComparison } from './map-similarity.js';
import { type PairedDifference, pairedDifference } from './paired.js';
import { type BootstrapOptions, bootstrapMean, type Estimate } from './stats/bootstrap.js';
import { randomPermutation } from './stats/random.js';
import type { GridMap } from './types.js';

/**
 * Shuffles the pixels of a `[channel][row][col]` image with one seeded permutation shared by
 * all channels, so each pixel keeps its channel values but loses its place. The explanation of
 * a model that uses the jet's structure should change when its image is shuffled.
 */
export function shufflePixels(
  image: Float32Array,
  shape: { channels: number; height: number; width: number },
  seed: number,
): { image: Float32Array; permutation: Int32Array } {
  checkObject('shape', shape);
  checkPositiveInteger('shape.channels', shape.channels);
  checkPositiveInteger('shape.height', shape.height);
  checkPositiveInteger('shape.width', shape.width);
  const pixels = shape.height * shape.width;
  checkFloat32Array('image', image, shape.channels * pixels);

  const permutation = randomPermutation(pixels, seed);
  const out = new Float32Array(image.length);
  for (let channel = 0; channel < shape.channels; channel++) {
    const base = channel * pixels;
    for (let i = 0; i < pixels; i++) out[base + i] = image[base + permutation[i]!]!;
  }
  return { image: out, permutation };
}

/** One jet's explanation: its map on the jet-image grid and (optionally) its union fraction. */
export interface ExplainedJet {
  readonly event: string;
  readonly map: GridMap;
  readonly attentionFraction?: number;
}

export interface VariantReport {
  readonly jets: number;
  /** Means over jets of the comparisons with the trained model's maps. */
  readonly rankCorrelation: Estimate;
  readonly ssim: Estimate;
  readonly hogDistance: Estimate;
  /** Per jet, in the order of the trained jets. */
  readonly perJet: (MapComparison & { readonly event: string })[];
  /** Variant minus trained attention fraction, paired by event; null without fractions. */
  readonly attentionFractionChange: PairedDifference | null;
}

/**
 * How much the explanations change when the model or the input is randomised. Variants are
 * named by the caller; the usual ones are `randomInit` (an untrained, randomly initialised
 * model), `topLayersReinit` (the trained model with its top layers re-initialised) and
 * `shuffledPixels` (the trained model on images from `shufflePixels`). Maps are compared
 * pixel by pixel in the image frame. Explanations that barely change under these fail the
 * sanity check: they reflect the architecture or the input, not what the model learnt.
 */
export function sanityReport(
  trained: readonly ExplainedJet[],
  variants: Readonly<Record<string, readonly ExplainedJet[]>>,
  options?: BootstrapOptions,
): Record<string, VariantReport> {
  if (!Array.isArray(trained as unknown))
    throw new TypeError(`trained: expected an array, got ${describe(trained)}`);
  checkObject('variants', variants);
  const byEvent = new Map(trained.map((jet) => [jet.event, jet]));
  if (byEvent.size !== trained.length) {
    throw new RangeError('trained: expected each event once, got repeated events');
  }

  const reports: Record<string, VariantReport> = {};
  for (const [name, jets] of Object.entries(variants)) {
    if (!Array.isArray(jets as unknown)) {
      throw new TypeError(`variants.${name}: expected an array, got ${describe(jets)}`);
    }
    const perJet = jets.map((jet, i) => {
      const reference = byEvent.get(jet.event);
      if (reference === undefined) {
        throw new RangeError(
          `variants.${name}[${i}].event: ${JSON.stringify(jet.event)} ` +
            'is not among the trained jets',
        );
      }
      return { event: jet.event, ...compareMaps(reference.map, jet.map) };
    });
    if (perJet.length === 0) throw new RangeError(`variants.${name}: expected jets, got none`);

    const fractions = (list: readonly ExplainedJet[]) =>
      list
        .filter((jet) => jet.attentionFraction !== undefined)
        .map((jet) => ({ event: jet.event, value: jet.attentionFraction! }));
    const withFraction = fractions(jets);
    reports[name] = {
      jets: perJet.length,
      rankCorrelation: bootstrapMean(finite(perJet.map((j) => j.rankCorrelation)), options),
      ssim: bootstrapMean(
        perJet.map((j) => j.ssim),
        options,
      ),
      hogDistance: bootstrapMean(
        perJet.map((j) => j.hogDistance),
        options,
      ),
      perJet,
      attentionFractionChange:
        withFraction.length > 0
          ? pairedDifference(fractions(trained), withFraction, options)
          : null,
    };
  }
  return reports;
}

/** A constant map has no rank correlation; such jets are left out of the mean. */
function finite(values: number[]): number[] {
  const kept = values.filter(Number.isFinite);
  return kept.length > 0 ? kept : [Number.NaN];
}
