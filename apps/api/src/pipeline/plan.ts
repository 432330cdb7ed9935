/**
 * The steps of a study as plans: each finds what is already stored for its configuration (by
 * config hash) and queues only what is missing, returning the jobs to wait for.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ImageConfig, resolveImageConfig } from '@jetlens/core';
import { repoRoot } from '@jetlens/db';
import type { AttentionMapOptionsInput, RoiOptionsInput } from '@jetlens/xai';
import type { Owner } from '../cli/identity.js';
import type { Services } from '../services.js';
import { ensureImageSet, getImageSet, type ImageSetRow } from '../store/image-sets.js';
import { type ModelRow, registerModel } from '../store/models.js';
import { ensureShards, findOrCreateRun, getRun, type RunRow } from '../store/runs.js';
import {
  type EvaluateConfig,
  type ExplainConfig,
  type FinetuneConfig,
  type FinetuneProtocol,
  type FinetuneSettings,
  type ShardedProtocol,
  shardCount,
  type Task,
} from './configs.js';

export interface Plan<T> {
  value: T;
  jobs: string[];
}

const ownerIds = (owner: Owner) => ({
  collaborationId: owner.collaboration.id,
  userId: owner.user.id,
});

/** The default backbone: the one checkpoint folder under models/. */
export function defaultBackbone(): string {
  const root = join(repoRoot, 'models');
  const folders = existsSync(root)
    ? readdirSync(root).filter((name) => existsSync(join(root, name, 'config.json')))
    : [];
  if (folders.length !== 1) {
    throw new RangeError(
      `the default backbone is the one checkpoint folder in ${root}; found ${folders.length} ` +
        `(${folders.join(', ') || 'none'}): pass --model DIR`,
    );
  }
  return join(root, folders[0]!);
}

/** The default backbone, or undefined when models/ does not hold exactly one. */
export function defaultBackboneIfAny(): string | undefined {
  try {
    return defaultBackbone();
  } catch {
    // No single default: the caller falls back to its own default.
    return undefined;
  }
}

export async function planBackbone(
  services: Services,
  owner: Owner,
  dir: string,
): Promise<ModelRow> {
  const { model, reused } = await registerModel(services.pool, ownerIds(owner), dir);
  services.log.info(`${reused ? 'using' : 'registered'} backbone ${model.name} (${model.id})`);
  return model;
}

export async function planImages(
  services: Services,
  owner: Owner,
  datasetId: string,
  options: Partial<ImageConfig>,
): Promise<Plan<ImageSetRow>> {
  const config = resolveImageConfig(options);
  const set = await ensureImageSet(services.pool, owner.collaboration.id, datasetId, config);
  if (set.status === 'READY') {
    services.log.info(`image set ${set.id}: ${set.count} images already built`);
    return { value: set, jobs: [] };
  }
  const queue = await services.queue();
  const job = await queue.enqueueOnce(
    'imageset.build',
    { imageSetId: set.id },
    { imageSetId: set.id },
    {
      collaborationId: owner.collaboration.id,
    },
  );
  return { value: set, jobs: [job] };
}

export interface FinetuneRequest extends FinetuneSettings {
  task: Task;
  imageSet: ImageSetRow;
  backbone: ModelRow;
}

export async function planFinetune(
  services: Services,
  owner: Owner,
  request: FinetuneRequest,
): Promise<Plan<RunRow<FinetuneConfig, FinetuneProtocol>>> {
  const config: FinetuneConfig = {
    task: request.task,
    imageSetId: request.imageSet.id,
    backboneModelId: request.backbone.id,
    trainPerClass: request.trainPerClass,
    validationPerClass: request.validationPerClass,
    trainableLayers: [...request.trainableLayers].sort((a, b) => a - b),
    epochs: request.epochs,
    learningRate: request.learningRate,
    batchSize: request.batchSize,
    seed: request.seed,
  };
  const { run, reused } = await findOrCreateRun(services.pool, ownerIds(owner), {
    kind: 'FINETUNE',
    name: `${request.task.name} fine-tuning`,
    config: { ...config },
    seed: request.seed,
    datasetId: request.imageSet.datasetId,
    imageSetId: request.imageSet.id,
    modelId: request.backbone.id,
  });
  const typed = run as unknown as RunRow<FinetuneConfig, FinetuneProtocol>;
  if (run.status === 'COMPLETED') {
    services.log.info(`${request.task.name}: fine-tuning run ${run.id} already complete`);
    return { value: typed, jobs: [] };
  }
  const queue = await services.queue();
  const job = await queue.enqueueOnce(
    'run.finetune',
    { runId: run.id },
    { runId: run.id },
    {
      collaborationId: owner.collaboration.id,
      runId: run.id,
    },
  );
  services.log.info(
    `${request.task.name}: fine-tuning run ${run.id} ${reused ? 'resumed' : 'queued'}`,
  );
  return { value: typed, jobs: [job] };
}

async function queueShards(
  services: Services,
  owner: Owner,
  run: RunRow,
  kind: 'run.evaluate' | 'run.explain',
  shards: number,
): Promise<string[]> {
  const rows = await ensureShards(services.pool, run, shards);
  const queue = await services.queue();
  const jobs: string[] = [];
  for (const shard of rows.filter((row) => row.status !== 'COMPLETED')) {
    const payload = { runId: run.id, shardIndex: shard.index };
    jobs.push(
      await queue.enqueueOnce(kind, payload, payload, {
        collaborationId: owner.collaboration.id,
        runId: run.id,
        runShardId: shard.id,
      }),
    );
  }
  return jobs;
}

function modelOf(finetune: RunRow<FinetuneConfig, FinetuneProtocol>): string {
  const modelId = finetune.metrics?.modelId;
  if (finetune.status !== 'COMPLETED' || typeof modelId !== 'string') {
    throw new RangeError(`fine-tuning run ${finetune.id} is ${finetune.status}, not COMPLETED`);
  }
  return modelId;
}

/**
 * Finds or creates a run that works on what a fine-tuning run made: its model, on its image
 * set, as its child. The config's hash decides whether a stored run is the same run.
 */
export async function findOrCreateChildRun<C extends { imageSetId: string; modelId: string }>(
  services: Services,
  owner: Owner,
  finetune: RunRow<FinetuneConfig, FinetuneProtocol>,
  run: { kind: 'EVALUATE' | 'EXPLAIN'; name: string; config: C; seed: number },
): Promise<RunRow> {
  const { run: found } = await findOrCreateRun(services.pool, ownerIds(owner), {
    kind: run.kind,
    name: run.name,
    config: { ...run.config },
    seed: run.seed,
    datasetId: finetune.datasetId ?? undefined,
    imageSetId: run.config.imageSetId,
    modelId: run.config.modelId,
    parentRunId: finetune.id,
  });
  return found;
}

export async function planEvaluate(
  services: Services,
  owner: Owner,
  finetuneRunId: string,
  shardSize: number,
): Promise<Plan<RunRow<EvaluateConfig, ShardedProtocol>>> {
  const finetune = await getRun<FinetuneConfig, FinetuneProtocol>(services.pool, finetuneRunId);
  const config: EvaluateConfig = {
    task: finetune.config.task,
    imageSetId: finetune.config.imageSetId,
    modelId: modelOf(finetune),
    finetuneRunId,
    shardSize,
  };
  const run = await findOrCreateChildRun(services, owner, finetune, {
    kind: 'EVALUATE',
    name: `${config.task.name} evaluation`,
    config,
    seed: finetune.seed,
  });
  return shardedPlan(services, owner, run, 'run.evaluate', finetune, shardSize);
}

export async function planExplain(
  services: Services,
  owner: Owner,
  finetuneRunId: string,
  map: AttentionMapOptionsInput,
  roi: RoiOptionsInput,
  shardSize: number,
): Promise<Plan<RunRow<ExplainConfig, ShardedProtocol>>> {
  const finetune = await getRun<FinetuneConfig, FinetuneProtocol>(services.pool, finetuneRunId);
  const imageSet = await getImageSet(services.pool, finetune.config.imageSetId);
  if (imageSet.jetsPerImage !== 1) {
    throw new RangeError(
      `fine-tuning run ${finetuneRunId} used images of ${imageSet.jetsPerImage} jets: ROIs are ` +
        "drawn around one jet's prongs, so only images of one jet can be explained",
    );
  }
  const config: ExplainConfig = {
    task: finetune.config.task,
    imageSetId: finetune.config.imageSetId,
    modelId: modelOf(finetune),
    finetuneRunId,
    map,
    roi,
    shardSize,
  };
  const run = await findOrCreateChildRun(services, owner, finetune, {
    kind: 'EXPLAIN',
    name: `${config.task.name} explanation`,
    config,
    seed: finetune.seed,
  });
  return shardedPlan(services, owner, run, 'run.explain', finetune, shardSize);
}

async function shardedPlan<C>(
  services: Services,
  owner: Owner,
  run: RunRow,
  kind: 'run.evaluate' | 'run.explain',
  finetune: RunRow<FinetuneConfig, FinetuneProtocol>,
  shardSize: number,
): Promise<Plan<RunRow<C, ShardedProtocol>>> {
  const typed = run as unknown as RunRow<C, ShardedProtocol>;
  const what = kind === 'run.evaluate' ? 'evaluation' : 'explanation';
  if (run.status === 'COMPLETED') {
    services.log.info(`${finetune.config.task.name}: ${what} run ${run.id} already complete`);
    return { value: typed, jobs: [] };
  }
  const events = finetune.protocol?.test ?? [];
  if (!run.protocol) {
    const protocol: ShardedProtocol = { events, split: 'TEST' };
    await services.pool.query('UPDATE runs SET protocol = $2 WHERE id = $1', [
      run.id,
      JSON.stringify(protocol),
    ]);
  }
  const shards = shardCount(events.length, shardSize);
  const jobs = await queueShards(services, owner, run, kind, shards);
  services.log.info(
    `${finetune.config.task.name}: ${what} run ${run.id}, ${events.length} test events in ` +
      `${shards} shards (${jobs.length} to do)`,
  );
  return {
    value: (await getRun(services.pool, run.id)) as unknown as RunRow<C, ShardedProtocol>,
    jobs,
  };
}
