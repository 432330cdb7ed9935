/**
 * The life of one shard job, shared by run.evaluate and run.explain: a finished or cancelled
 * run is left alone; otherwise the run and the shard are marked running, and a failure is
 * recorded on the shard, and on the run as well once no retry is left.
 */
import type pg from 'pg';
import { describeError } from '../../log.js';
import type { ShardedProtocol } from '../../pipeline/configs.js';
import {
  failShard,
  getRun,
  markRunFailed,
  markRunRunning,
  type RunRow,
  startShard,
} from '../../store/runs.js';
import { type JobContext, PermanentJobError } from '../queue.js';

/** A run of a sharded kind, with the protocol that lists its events. */
export type ShardedRun<C> = RunRow<C, ShardedProtocol> & { protocol: ShardedProtocol };

export async function runShardJob<C>(
  pool: pg.Pool,
  job: { runId: string; shardIndex: number },
  context: JobContext,
  verb: string,
  work: (run: ShardedRun<C>) => Promise<void>,
): Promise<void> {
  const { runId, shardIndex } = job;
  const run = await getRun<C, ShardedProtocol>(pool, runId);
  if (run.status === 'COMPLETED' || run.status === 'CANCELLED') return;
  if (!run.protocol) throw new PermanentJobError(`run ${runId} has no events to ${verb}`);
  await markRunRunning(pool, runId);
  await startShard(pool, runId, shardIndex);

  try {
    await work(run as ShardedRun<C>);
  } catch (error) {
    const final = error instanceof PermanentJobError || context.lastAttempt;
    await failShard(pool, runId, shardIndex, describeError(error), final);
    if (final) await markRunFailed(pool, runId, `shard ${shardIndex}: ${describeError(error)}`);
    throw error;
  }
}
