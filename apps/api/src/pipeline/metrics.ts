/**
 * The metrics of an evaluation run, computed from every prediction it stored (so they are the
 * same whichever worker wrote which shard, and however often a shard was retried).
 */
import { type ClassifierMetrics, evaluateClassifier } from '@jetlens/core';
import type pg from 'pg';

export interface StoredMetrics {
  events: number;
  accuracy: ClassifierMetrics['accuracy'];
  auc: ClassifierMetrics['auc'];
  rejectionAt50: ClassifierMetrics['rejectionAt50'];
  rejectionAt30: ClassifierMetrics['rejectionAt30'];
  confusion: number[][];
  signalClass: number;
  /** The ROC curve thinned to at most ROC_POINTS points, as [eps_B, eps_S] pairs. */
  roc: [number, number][];
}

const ROC_POINTS = 200;

export async function evaluationMetrics(
  db: pg.Pool | pg.PoolClient,
  runId: string,
  classes: number,
  seed: number,
): Promise<StoredMetrics> {
  const { rows } = await db.query<{ label: number; probabilities: number[] }>(
    `SELECT label, probabilities FROM predictions WHERE run_id = $1
     ORDER BY dataset_file_id, entry`,
    [runId],
  );
  const probabilities = new Float64Array(rows.length * classes);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    labels[i] = row.label;
    probabilities.set(row.probabilities, i * classes);
  });

  // The first class of a task is its signal (TTBar, HToBB).
  const metrics = evaluateClassifier(probabilities, labels, classes, { signalClass: 0, seed });
  const { falsePositiveRate, truePositiveRate } = metrics.roc;
  const step = Math.max(1, Math.ceil(falsePositiveRate.length / ROC_POINTS));
  const roc: [number, number][] = [];
  for (let i = 0; i < falsePositiveRate.length; i += step) {
    roc.push([falsePositiveRate[i]!, truePositiveRate[i]!]);
  }
  const last = falsePositiveRate.length - 1;
  if (last % step !== 0) roc.push([falsePositiveRate[last]!, truePositiveRate[last]!]);
  return {
    events: metrics.events,
    accuracy: metrics.accuracy,
    auc: metrics.auc,
    rejectionAt50: metrics.rejectionAt50,
    rejectionAt30: metrics.rejectionAt30,
    confusion: metrics.confusion,
    signalClass: metrics.signalClass,
    roc,
  };
}
