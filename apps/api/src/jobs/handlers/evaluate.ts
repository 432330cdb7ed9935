/**
 * run.evaluate: predicts every event of one shard and stores the predictions. The shard's rows
 * are replaced in one transaction together with the shard's completion, so a shard retried
 * after a crash (or run twice) leaves exactly one prediction per event.
 */
import { type EvaluateConfig, shardEvents } from '../../pipeline/configs.js';
import { evaluationMetrics } from '../../pipeline/metrics.js';
import type { Services } from '../../services.js';
import { uuidv7 } from '../../store/ids.js';
import { commitShard, insertRows } from '../../store/runs.js';
import type { JobHandler } from '../queue.js';
import { checkModelLabels, gatherImages, imagesOf, labelsOf, sessionOf } from './run-inputs.js';
import { runShardJob } from './shard-job.js';

const BATCH = 64;

export function evaluateHandler(services: Services): JobHandler<'run.evaluate'> {
  const { pool } = services;
  return async ({ runId, shardIndex }, context) =>
    runShardJob<EvaluateConfig>(pool, { runId, shardIndex }, context, 'evaluate', async (run) => {
      const { config, protocol } = run;
      const events = shardEvents(protocol, config.shardSize, shardIndex);
      const images = await imagesOf(services, config.imageSetId);
      const session = await sessionOf(services, config.modelId);
      checkModelLabels(session, config.task.classes);
      const labels = labelsOf(images, events, config.task.classes);
      const classes = config.task.classes.length;

      const rows: unknown[][] = [];
      for (let start = 0; start < events.length; start += BATCH) {
        if (context.signal.aborted) throw new Error('evaluation cancelled');
        const batch = events.slice(start, start + BATCH);
        const prediction = await session.predict(gatherImages(images, batch));
        batch.forEach((event, i) => {
          const probabilities = Array.from(
            prediction.probabilities.subarray(i * classes, (i + 1) * classes),
          );
          const label = labels[start + i]!;
          let predicted = 0;
          for (let c = 1; c < classes; c++) {
            if (probabilities[c]! > probabilities[predicted]!) predicted = c;
          }
          const where = images.index.events[event]!;
          rows.push([
            uuidv7(),
            run.collaborationId,
            runId,
            where.fileId,
            where.entry,
            label,
            predicted,
            predicted === label,
            probabilities,
            protocol.split,
          ]);
        });
        await context.progress(Math.min(1, (start + batch.length) / events.length) * 0.95);
      }

      const closed = await commitShard(
        pool,
        runId,
        shardIndex,
        async (client) => {
          await client.query(
            `DELETE FROM predictions p USING unnest($2::uuid[], $3::int[]) AS e(file, entry)
             WHERE p.run_id = $1 AND p.dataset_file_id = e.file AND p.entry = e.entry`,
            [runId, rows.map((row) => row[3]), rows.map((row) => row[4])],
          );
          await insertRows(
            client,
            'predictions',
            [
              'id',
              'collaboration_id',
              'run_id',
              'dataset_file_id',
              'entry',
              'label',
              'predicted_class',
              'correct',
              'probabilities',
              'split',
            ],
            rows,
            'ON CONFLICT (run_id, dataset_file_id, entry) DO NOTHING',
          );
        },
        (client) => evaluationMetrics(client, runId, classes, run.seed),
      );
      context.log.info(
        `shard ${shardIndex}: ${rows.length} predictions${closed ? '; run complete' : ''}`,
      );
    });
}
