/**
 * run.explain: for every event of one shard, the attention map (cumulative by default: heads
 * averaged, residual added, layers combined), up to three ROIs around the jet's prong
 * centroids and the attention fraction and enrichment in each and in their union. Maps and
 * ROIs of the shard are replaced in one transaction with the shard's completion.
 */
import type { ImageTransform } from '@jetlens/core';
import { analyseJet, type ImageGridTransform } from '@jetlens/xai';
import { type ExplainConfig, shardEvents } from '../../pipeline/configs.js';
import type { Services } from '../../services.js';
import { encodeFloat16 } from '../../store/float16.js';
import { configHash } from '../../store/hash.js';
import { uuidv7 } from '../../store/ids.js';
import { commitShard, insertRows } from '../../store/runs.js';
import { type JobHandler, PermanentJobError } from '../queue.js';
import { checkModelLabels, gatherImages, imagesOf, sessionOf } from './run-inputs.js';
import { runShardJob } from './shard-job.js';

/** Attentions of a batch take [N, layers, heads, tokens, tokens] floats: keep N small. */
const BATCH = 8;

/** The image transform of one jet, in the shape the xai package takes. */
export function jetGrid(transform: ImageTransform, jet: number): ImageGridTransform {
  return {
    width: transform.config.width,
    height: transform.config.height,
    toPixel: (deta, dphi) => transform.toPixel(jet, deta, dphi),
    toDetaDphi: (row, col) => transform.fromPixel(jet, row, col),
  };
}

export function explainHandler(services: Services): JobHandler<'run.explain'> {
  const { pool } = services;
  return async ({ runId, shardIndex }, context) =>
    runShardJob<ExplainConfig>(pool, { runId, shardIndex }, context, 'explain', async (run) => {
      const { config, protocol } = run;
      const events = shardEvents(protocol, config.shardSize, shardIndex);
      const images = await imagesOf(services, config.imageSetId);
      const session = await sessionOf(services, config.modelId, BATCH);
      checkModelLabels(session, config.task.classes);
      const grid = {
        rows: session.config.imageSize[0] / session.config.patchSize[0],
        cols: session.config.imageSize[1] / session.config.patchSize[1],
      };

      const maps: unknown[][] = [];
      const rois: unknown[][] = [];
      let kind = '';
      for (let start = 0; start < events.length; start += BATCH) {
        if (context.signal.aborted) throw new Error('explanation cancelled');
        const batch = events.slice(start, start + BATCH);
        const explanation = await session.explainable(gatherImages(images, batch));
        const [samples, layers, heads, tokens] = explanation.attentionDims;
        const attention = { data: explanation.attentions, layers, heads, tokens, samples };

        batch.forEach((event, sample) => {
          const where = images.index.events[event]!;
          if (!where.prongs) {
            throw new PermanentJobError(
              'ROIs need the prongs of one jet: explain image sets with one jet per image ' +
                `(image ${event} holds several jets)`,
            );
          }
          const analysis = analyseJet({
            attention,
            grid,
            transform: jetGrid(images.transforms[where.transform]!, where.jet),
            prongs: where.prongs,
            sample,
            options: { map: config.map, roi: config.roi, betweenProngs: false },
          });
          kind = analysis.map.options.method;
          const mapId = uuidv7();
          maps.push([
            mapId,
            run.collaborationId,
            runId,
            where.fileId,
            where.entry,
            kind,
            JSON.stringify(analysis.options),
            analysis.optionsHash,
            analysis.map.rows,
            analysis.map.cols,
            encodeFloat16(analysis.map.values),
          ]);
          const radius = analysis.options.roi.radius;
          const roiRow = (
            prongIndex: number | null,
            centre: { deta: number; dphi: number } | null,
            stats: {
              attentionFraction: number;
              meanAttention: number | null;
              areaFraction: number;
              enrichment: number | null;
            },
          ) => [
            uuidv7(),
            run.collaborationId,
            runId,
            where.fileId,
            where.entry,
            mapId,
            prongIndex,
            centre?.deta ?? null,
            centre?.dphi ?? null,
            centre ? radius : null,
            stats.attentionFraction,
            stats.meanAttention ?? Number.NaN,
            stats.areaFraction,
            stats.enrichment ?? Number.NaN,
          ];
          analysis.rois.forEach((roi, k) => {
            rois.push(roiRow(k, roi.prong, roi));
          });
          rois.push(roiRow(null, null, analysis.union));
        });
        await context.progress(Math.min(1, (start + batch.length) / events.length) * 0.95);
      }

      const closed = await commitShard(
        pool,
        runId,
        shardIndex,
        async (client) => {
          const files = maps.map((row) => row[3]);
          const entries = maps.map((row) => row[4]);
          // ROIs go with their maps (ON DELETE CASCADE); the union rows too.
          await client.query(
            `DELETE FROM attention_maps m USING unnest($2::uuid[], $3::int[]) AS e(file, entry)
             WHERE m.run_id = $1 AND m.dataset_file_id = e.file AND m.entry = e.entry`,
            [runId, files, entries],
          );
          await insertRows(
            client,
            'attention_maps',
            [
              'id',
              'collaboration_id',
              'run_id',
              'dataset_file_id',
              'entry',
              'kind',
              'options',
              'options_hash',
              'grid_rows',
              'grid_cols',
              'data',
            ],
            maps,
          );
          await insertRows(
            client,
            'roi_annotations',
            [
              'id',
              'collaboration_id',
              'run_id',
              'dataset_file_id',
              'entry',
              'attention_map_id',
              'prong_index',
              'centre_deta',
              'centre_dphi',
              'radius',
              'attention_fraction',
              'mean_attention',
              'area_fraction',
              'enrichment',
            ],
            rois,
          );
        },
        async (client) => {
          const { rows } = await client.query<{ maps: number }>(
            'SELECT count(*)::int AS maps FROM attention_maps WHERE run_id = $1',
            [runId],
          );
          return { maps: rows[0]!.maps, mapKind: kind, configHash: configHash(config) };
        },
      );
      context.log.info(
        `shard ${shardIndex}: ${maps.length} maps, ${rois.length} ROI rows${closed ? '; run complete' : ''}`,
      );
    });
}
