import { type AttentionMap, attentionMap } from './attention-map.js';
import { type BetweenProngs, betweenProngs } from './between-prongs.js';
import { checkOneOf, describe } from './checks.js';
import { stableHash } from './hash.js';
import type { AttentionMapOptionsInput } from './map-options.js';
import { mapToImage, RESAMPLINGS, type Resampling } from './resample.js';
import {
  prongRois,
  type RoiOptions,
  type RoiOptionsInput,
  type RoiStatistics,
  roiStatistics,
} from './roi.js';
import type { AttentionTensor, GridMap, ImageGridTransform, PatchGrid, Prong } from './types.js';

export interface AnalyseJetOptions {
  readonly map?: AttentionMapOptionsInput;
  /** Patch grid to jet-image grid; bilinear unless told. */
  readonly resampling?: Resampling;
  readonly roi?: RoiOptionsInput;
  /** Compute the per-layer, per-head flows between prongs (reads every attention matrix). */
  readonly betweenProngs?: boolean;
}

export interface AnalyseJetInput {
  readonly attention: AttentionTensor;
  readonly grid: PatchGrid;
  readonly transform: ImageGridTransform;
  readonly prongs: readonly Prong[];
  readonly options?: AnalyseJetOptions;
  /** Sample of a batched attention tensor; 0 when omitted. */
  readonly sample?: number;
}

export interface RoiResult extends RoiStatistics {
  readonly prong: Prong;
  readonly centre: { readonly row: number; readonly col: number };
}

/** Every resolved choice behind one analysis, plain and serialisable. */
export interface ResolvedAnalysisOptions {
  readonly map: AttentionMap['options'];
  readonly resampling: Resampling;
  readonly roi: RoiOptions;
  readonly betweenProngs: boolean;
}

export interface JetAnalysis {
  /** The map on the patch grid. */
  readonly map: AttentionMap;
  /** The map on the jet-image grid, where the ROIs live. */
  readonly imageMap: GridMap;
  readonly rois: RoiResult[];
  /** The union of the ROIs, overlaps counted once. */
  readonly union: RoiStatistics;
  readonly betweenProngs: BetweenProngs | null;
  readonly options: ResolvedAnalysisOptions;
  readonly optionsHash: string;
}

/** Map, ROIs, union and (optionally) flows between prongs of one jet. */
export function analyseJet(input: AnalyseJetInput): JetAnalysis {
  const { attention, grid, transform, prongs } = input;
  const options = input.options ?? {};
  const sample = input.sample ?? 0;
  const resampling = options.resampling ?? 'bilinear';
  checkOneOf('options.resampling', resampling, RESAMPLINGS);
  const withFlows = options.betweenProngs ?? true;
  if (typeof withFlows !== 'boolean') {
    throw new TypeError(`options.betweenProngs: expected a boolean, got ${describe(withFlows)}`);
  }

  const map = attentionMap(attention, grid, options.map, sample);
  const regions = prongRois(prongs, transform, options.roi);
  const imageMap = mapToImage(map, transform, resampling);

  const rois = regions.rois.map((roi) => ({
    prong: roi.prong,
    centre: roi.centre,
    ...roiStatistics(imageMap, roi.coverage),
  }));
  const union = roiStatistics(imageMap, regions.union);
  const flows = withFlows
    ? betweenProngs(attention, grid, transform, prongs, regions.options, sample)
    : null;

  const resolved: ResolvedAnalysisOptions = {
    map: map.options,
    resampling,
    roi: regions.options,
    betweenProngs: withFlows,
  };
  return {
    map,
    imageMap,
    rois,
    union,
    betweenProngs: flows,
    options: resolved,
    optionsHash: stableHash({ algorithm: 'jetlens.analyse-jet.v1', options: resolved }),
  };
}

/** `analyseJet` for every sample of a batch; `prongs[i]` are the prongs of sample i. */
export function analyseBatch(
  input: Omit<AnalyseJetInput, 'prongs' | 'sample'> & {
    readonly prongs: readonly (readonly Prong[])[];
  },
): JetAnalysis[] {
  const samples = input.attention.samples ?? 1;
  if (!Array.isArray(input.prongs as unknown) || input.prongs.length !== samples) {
    throw new RangeError(
      `prongs: expected one list of prongs per sample (${samples}), got ${describe(input.prongs)}`,
    );
  }
  return input.prongs.map((prongs, sample) => analyseJet({ ...input, prongs, sample }));
}
