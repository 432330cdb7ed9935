/**
 * The study's results as one plain object, read back from the store: per task the classifier
 * metrics of the evaluation run and the attention fraction and enrichment (in the union of
 * the prong ROIs) per class and per correct/wrong classification, with uncertainties. The
 * terminal table, the JSON file and the HTML report are all drawn from it.
 */
import { aggregateByClass, type GroupSummary, type Histogram } from '@jetlens/xai';
import type pg from 'pg';
import type { EvaluateConfig, ExplainConfig } from '../pipeline/configs.js';
import type { StoredMetrics } from '../pipeline/metrics.js';
import type { SanityConfig, SanityMetrics } from '../pipeline/sanity.js';
import type { RunRow } from '../store/runs.js';

/** A value with an uncertainty interval at `level` (0.68: bootstrap std band; 0.95: percentile). */
export interface Uncertain {
  value: number;
  interval: [number, number] | null;
  level: number;
}

export interface AttentionGroup {
  n: number;
  fraction: Uncertain | null;
  enrichment: Uncertain | null;
  histogram: Histogram;
}

export interface AttentionByOutcome {
  all: AttentionGroup;
  correct: AttentionGroup;
  wrong: AttentionGroup;
}

export interface TaskSummary {
  task: string;
  classes: [string, string];
  runs: { finetune: string; evaluate: string; explain: string | null; sanity: string | null };
  events: number;
  accuracy: Uncertain;
  auc: Uncertain;
  /** 1/eps_B at eps_S = 0.5 and 0.3, the first class being the signal. */
  rejectionAt50: Uncertain;
  rejectionAt30: Uncertain;
  roc: [number, number][];
  /** Attention in the union of the ROIs, by true class; null when the run was not explained. */
  attention: Record<string, AttentionByOutcome> | null;
  /** The same on a seeded subset for the fine-tuned model and its randomised variants. */
  sanity: SanityMetrics | null;
}

function fromCore(estimate: StoredMetrics['accuracy']): Uncertain {
  return { value: estimate.value, interval: [...estimate.interval], level: 0.68 };
}

function fromXai(group: GroupSummary): Uncertain | null {
  if (!group.mean) return null;
  const { interval } = group.mean;
  return {
    value: group.mean.estimate,
    interval: interval ? [interval.low, interval.high] : null,
    level: interval?.level ?? 0.95,
  };
}

export interface UnionRow {
  label: number;
  predicted: number;
  fraction: number;
  enrichment: number;
}

export async function unionRows(
  db: pg.Pool,
  explainRunId: string,
  evaluateRunId: string,
): Promise<UnionRow[]> {
  const { rows } = await db.query<UnionRow>(
    `SELECT p.label, p.predicted_class AS predicted, r.attention_fraction AS fraction,
            r.enrichment
     FROM roi_annotations r
     JOIN predictions p ON p.run_id = $2 AND p.dataset_file_id = r.dataset_file_id
                        AND p.entry = r.entry
     WHERE r.run_id = $1 AND r.prong_index IS NULL
     ORDER BY r.dataset_file_id, r.entry`,
    [explainRunId, evaluateRunId],
  );
  return rows;
}

export function attentionSummary(rows: UnionRow[], classes: [string, string], seed: number) {
  const name = (index: number) => classes[index] ?? String(index);
  const jets = (pick: (row: UnionRow) => number) =>
    rows
      .filter((row) => Number.isFinite(pick(row)))
      .map((row) => ({
        trueClass: name(row.label),
        predictedClass: name(row.predicted),
        value: pick(row),
      }));
  const bootstrap = { seed, resamples: 500 };
  const fractions = aggregateByClass(
    jets((row) => row.fraction),
    { bootstrap },
  );
  const enrichments = aggregateByClass(
    jets((row) => row.enrichment),
    {
      bootstrap,
      histogram: { bins: 20, min: 0, max: 10 },
    },
  );

  const result: Record<string, AttentionByOutcome> = {};
  for (const cls of classes) {
    const f = fractions.byClass[cls];
    const e = enrichments.byClass[cls];
    if (!f) continue;
    const group = (key: 'all' | 'correct' | 'wrong'): AttentionGroup => ({
      n: f[key].n,
      fraction: fromXai(f[key]),
      enrichment: e ? fromXai(e[key]) : null,
      histogram: f[key].histogram,
    });
    result[cls] = { all: group('all'), correct: group('correct'), wrong: group('wrong') };
  }
  return result;
}

export async function summariseTask(
  db: pg.Pool,
  finetuneRunId: string,
  evaluate: RunRow<EvaluateConfig>,
  explain: RunRow<ExplainConfig> | null,
  sanity: RunRow<SanityConfig> | null = null,
): Promise<TaskSummary> {
  const metrics = evaluate.metrics as unknown as StoredMetrics | null;
  if (evaluate.status !== 'COMPLETED' || !metrics) {
    throw new RangeError(`evaluation run ${evaluate.id} is ${evaluate.status}, not COMPLETED`);
  }
  const classes = evaluate.config.task.classes;
  const attention =
    explain?.status === 'COMPLETED'
      ? attentionSummary(await unionRows(db, explain.id, evaluate.id), classes, evaluate.seed)
      : null;
  return {
    task: evaluate.config.task.name,
    classes,
    runs: {
      finetune: finetuneRunId,
      evaluate: evaluate.id,
      explain: explain?.id ?? null,
      sanity: sanity?.id ?? null,
    },
    events: metrics.events,
    accuracy: fromCore(metrics.accuracy),
    auc: fromCore(metrics.auc),
    rejectionAt50: fromCore(metrics.rejectionAt50),
    rejectionAt30: fromCore(metrics.rejectionAt30),
    roc: metrics.roc,
    attention,
    sanity:
      sanity?.status === 'COMPLETED' ? (sanity.metrics as unknown as SanityMetrics | null) : null,
  };
}
