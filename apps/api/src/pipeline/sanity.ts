/**
 * The study's sanity checks: are the attention maps explanations of what the model learnt, or
 * artefacts of the architecture and the input? The same analysis as the explain step runs on a
 * seeded subset of the test events for the fine-tuned model and three variants, which must
 * change the maps: (a) an untrained model of the same architecture (`randomInit`), (b) the
 * fine-tuned model with its trained layers, final layer norm and head re-initialised
 * (`topLayersReinit`), (c) the fine-tuned model on images with their pixels shuffled
 * (`shuffledPixels`; the ROIs stay where the prongs are). The result is stored as a run of kind
 * EXPLAIN whose config names the variants, with everything in its metrics, so that a rerun
 * with the same settings finds it by config hash.
 */
import {
  createViTSession,
  loadViTCheckpoint,
  randomViTWeights,
  type ViTSession,
  type ViTWeights,
} from '@jetlens/core';
import {
  type AttentionMapOptionsInput,
  analyseJet,
  type Estimate,
  type ExplainedJet,
  type RoiOptionsInput,
  randomPermutation,
  sanityReport,
  shufflePixels,
} from '@jetlens/xai';
import type { Owner } from '../cli/identity.js';
import { absolutePath } from '../datasets/files.js';
import type { LoadedImageSet } from '../images/cache.js';
import { jetGrid } from '../jobs/handlers/explain.js';
import {
  checkModelLabels,
  gatherImages,
  imagesOf,
  labelsOf,
  runtimeSettings,
  sessionOf,
} from '../jobs/handlers/run-inputs.js';
import { type AttentionByOutcome, attentionSummary } from '../report/summary.js';
import type { Services } from '../services.js';
import { getModel } from '../store/models.js';
import { completeRun, getRun, markRunFailed, type RunRow } from '../store/runs.js';
import type { FinetuneConfig, FinetuneProtocol, Task } from './configs.js';
import { findOrCreateChildRun } from './plan.js';

export const SANITY_VARIANTS = ['randomInit', 'topLayersReinit', 'shuffledPixels'] as const;
export type SanityVariant = (typeof SANITY_VARIANTS)[number];

/** Test events per task in the sanity subset unless told: enough for a few-percent CI. */
export const SANITY_EVENTS = 200;

export interface SanityConfig {
  task: Task;
  imageSetId: string;
  modelId: string;
  finetuneRunId: string;
  map: AttentionMapOptionsInput;
  roi: RoiOptionsInput;
  sanity: {
    variants: SanityVariant[];
    /** Size of the seeded subset of the test events. */
    events: number;
    seed: number;
    /** Encoder layers (from 1) re-initialised in `topLayersReinit`, with the norm and head. */
    reinitLayers: number[];
  };
}

/** Similarity of a variant's maps to the fine-tuned model's, per jet averaged. */
export interface MapSimilarity {
  rankCorrelation: Estimate;
  ssim: Estimate;
  hogDistance: Estimate;
  /** Variant minus fine-tuned attention fraction in the ROI union, paired by event. */
  attentionFractionChange: Estimate | null;
}

export interface SanityVariantResult {
  /** Attention in the ROI union by true class and by the variant's own correct/wrong. */
  attention: Record<string, AttentionByOutcome>;
  accuracy: number;
  similarity: MapSimilarity | null;
}

export interface SanityMetrics {
  events: number;
  totalTestEvents: number;
  seed: number;
  trained: SanityVariantResult;
  variants: Partial<Record<SanityVariant, SanityVariantResult>>;
}

export interface SanityRequest {
  finetuneRunId: string;
  map: AttentionMapOptionsInput;
  roi: RoiOptionsInput;
  events: number;
  seed: number;
}

const BATCH = 8;

/** The seeded subset of the test events, in image-set order. */
export function sanityEvents(test: readonly number[], events: number, seed: number): number[] {
  if (!Number.isInteger(events) || events < 1) {
    throw new RangeError(`sanity events: expected an integer >= 1, got ${events}`);
  }
  const order = randomPermutation(test.length, seed);
  return Array.from(order.subarray(0, Math.min(events, test.length)), (i) => test[i]!).sort(
    (a, b) => a - b,
  );
}

/**
 * The fine-tuned weights with encoder layers `layers` (from 1), the final layer norm and the
 * classifier drawn afresh from `seed`, as an untrained model would have them.
 */
export function reinitTopLayers(
  weights: ViTWeights,
  layers: readonly number[],
  seed: number,
): ViTWeights {
  const fresh = randomViTWeights(weights.config, seed);
  const prefixes = [
    ...layers.map((layer) => `vit.encoder.layer.${layer - 1}.`),
    'vit.layernorm.',
    'classifier.',
  ];
  const tensors = new Map(weights.tensors);
  for (const [name, tensor] of fresh.tensors) {
    if (prefixes.some((prefix) => name.startsWith(prefix))) tensors.set(name, tensor);
  }
  return { ...weights, tensors };
}

interface ExplainedEvent extends ExplainedJet {
  label: number;
  predicted: number;
  enrichment: number;
}

/** Maps and union statistics of `events` under one model; `shuffleSeed` shuffles each image. */
async function explainEvents(
  session: ViTSession,
  images: LoadedImageSet,
  events: readonly number[],
  config: SanityConfig,
  shuffleSeed: number | null,
): Promise<ExplainedEvent[]> {
  const grid = {
    rows: session.config.imageSize[0] / session.config.patchSize[0],
    cols: session.config.imageSize[1] / session.config.patchSize[1],
  };
  const labels = labelsOf(images, events, config.task.classes);
  const [, channels, height, width] = images.index.shape;
  const out: ExplainedEvent[] = [];

  for (let start = 0; start < events.length; start += BATCH) {
    const batch = events.slice(start, start + BATCH);
    const input = gatherImages(images, batch);
    if (shuffleSeed !== null) {
      batch.forEach((event, i) => {
        const image = input.data.subarray(i * images.imageSize, (i + 1) * images.imageSize);
        image.set(shufflePixels(image, { channels, height, width }, shuffleSeed + event).image);
      });
    }
    const explanation = await session.explainable(input);
    const [samples, layers, heads, tokens] = explanation.attentionDims;
    const attention = { data: explanation.attentions, layers, heads, tokens, samples };
    const classes = explanation.dims[1];

    batch.forEach((event, sample) => {
      const where = images.index.events[event]!;
      if (!where.prongs) {
        throw new RangeError(`sanity checks need the prongs of one jet; image ${event} has none`);
      }
      const analysis = analyseJet({
        attention,
        grid,
        transform: jetGrid(images.transforms[where.transform]!, where.jet),
        prongs: where.prongs,
        sample,
        options: { map: config.map, roi: config.roi, betweenProngs: false },
      });
      const p = explanation.probabilities.subarray(sample * classes, (sample + 1) * classes);
      out.push({
        event: String(event),
        map: analysis.imageMap,
        attentionFraction: analysis.union.attentionFraction,
        enrichment: analysis.union.enrichment ?? Number.NaN,
        label: labels[start + sample]!,
        predicted: p.indexOf(Math.max(...p)),
      });
    });
  }
  return out;
}

function variantResult(
  jets: ExplainedEvent[],
  classes: [string, string],
  seed: number,
  similarity: MapSimilarity | null,
): SanityVariantResult {
  const rows = jets.map((jet) => ({
    label: jet.label,
    predicted: jet.predicted,
    fraction: jet.attentionFraction ?? Number.NaN,
    enrichment: jet.enrichment,
  }));
  return {
    attention: attentionSummary(rows, classes, seed),
    accuracy: jets.filter((jet) => jet.label === jet.predicted).length / jets.length,
    similarity,
  };
}

async function computeSanity(
  services: Services,
  config: SanityConfig,
  test: readonly number[],
): Promise<SanityMetrics> {
  const { seed, variants } = config.sanity;
  const events = sanityEvents(test, config.sanity.events, seed);
  const images = await imagesOf(services, config.imageSetId);
  const trainedSession = await sessionOf(services, config.modelId, BATCH);
  checkModelLabels(trainedSession, config.task.classes);
  const model = await getModel(services.pool, config.modelId);
  const checkpoint = loadViTCheckpoint(absolutePath(model.dir));
  const sessionOptions = { batchSize: BATCH, ...runtimeSettings(services.env) };

  const trained = await explainEvents(trainedSession, images, events, config, null);
  const explained: Partial<Record<SanityVariant, ExplainedEvent[]>> = {};
  for (const variant of variants) {
    const t0 = Date.now();
    if (variant === 'shuffledPixels') {
      explained[variant] = await explainEvents(trainedSession, images, events, config, seed);
    } else {
      const weights =
        variant === 'randomInit'
          ? randomViTWeights(checkpoint.weights.config, seed)
          : reinitTopLayers(checkpoint.weights, config.sanity.reinitLayers, seed);
      const session = await createViTSession(weights, checkpoint.preprocessor, sessionOptions);
      try {
        explained[variant] = await explainEvents(session, images, events, config, null);
      } finally {
        await session.dispose();
      }
    }
    services.log.debug(
      `${config.task.name}: sanity ${variant}, ${events.length} events in ${Date.now() - t0} ms`,
    );
  }

  const bootstrap = { seed, resamples: 500 };
  const reports = sanityReport(trained, explained as Record<string, ExplainedEvent[]>, bootstrap);
  const results: Partial<Record<SanityVariant, SanityVariantResult>> = {};
  for (const variant of variants) {
    const report = reports[variant]!;
    results[variant] = variantResult(explained[variant]!, config.task.classes, seed, {
      rankCorrelation: report.rankCorrelation,
      ssim: report.ssim,
      hogDistance: report.hogDistance,
      attentionFractionChange: report.attentionFractionChange?.mean ?? null,
    });
  }
  return {
    events: events.length,
    totalTestEvents: test.length,
    seed,
    trained: variantResult(trained, config.task.classes, seed, null),
    variants: results,
  };
}

/** Finds the stored sanity run for these settings, or computes and stores it. */
export async function planSanity(
  services: Services,
  owner: Owner,
  request: SanityRequest,
): Promise<RunRow<SanityConfig>> {
  const finetune = await getRun<FinetuneConfig, FinetuneProtocol>(
    services.pool,
    request.finetuneRunId,
  );
  const modelId = finetune.metrics?.modelId;
  if (finetune.status !== 'COMPLETED' || typeof modelId !== 'string' || !finetune.protocol) {
    throw new RangeError(`fine-tuning run ${finetune.id} is ${finetune.status}, not COMPLETED`);
  }
  const config: SanityConfig = {
    task: finetune.config.task,
    imageSetId: finetune.config.imageSetId,
    modelId,
    finetuneRunId: finetune.id,
    map: request.map,
    roi: request.roi,
    sanity: {
      variants: [...SANITY_VARIANTS],
      events: request.events,
      seed: request.seed,
      reinitLayers: finetune.config.trainableLayers,
    },
  };
  const run = await findOrCreateChildRun(services, owner, finetune, {
    kind: 'EXPLAIN',
    name: `${config.task.name} sanity checks`,
    config,
    seed: request.seed,
  });
  if (run.status === 'COMPLETED') {
    services.log.info(`${config.task.name}: sanity run ${run.id} already complete`);
    return run as unknown as RunRow<SanityConfig>;
  }

  const t0 = Date.now();
  try {
    const metrics = await computeSanity(services, config, finetune.protocol.test);
    await completeRun(services.pool, run.id, metrics);
  } catch (error) {
    await markRunFailed(services.pool, run.id, (error as Error).message);
    throw error;
  }
  services.log.info(
    `${config.task.name}: sanity run ${run.id}, ${config.sanity.variants.length} variants on ` +
      `${Math.min(request.events, finetune.protocol.test.length)} test events in ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return getRun<SanityConfig>(services.pool, run.id);
}
