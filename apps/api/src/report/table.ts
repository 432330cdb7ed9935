/**
 * The study's table on the terminal: one block per task, the classifier metrics, then the
 * attention fraction and enrichment in the prong ROIs per class and per correct/wrong.
 */
import type { Estimate } from '@jetlens/xai';
import { SANITY_VARIANTS, type SanityMetrics } from '../pipeline/sanity.js';
import type { TaskSummary, Uncertain } from './summary.js';

function formatUncertain(value: Uncertain | null, digits: number): string {
  if (!value) return '-';
  if (!Number.isFinite(value.value)) return String(value.value);
  if (!value.interval) return value.value.toFixed(digits);
  const half = (value.interval[1] - value.interval[0]) / 2;
  return `${value.value.toFixed(digits)} ± ${half.toFixed(digits)}`;
}

function formatEstimate(value: Estimate | null | undefined, digits: number): string {
  if (!value) return '-';
  if (!Number.isFinite(value.estimate)) return String(value.estimate);
  if (!value.interval) return value.estimate.toFixed(digits);
  const half = (value.interval.high - value.interval.low) / 2;
  return `${value.estimate.toFixed(digits)} ± ${half.toFixed(digits)}`;
}

/**
 * The sanity section of one task: attention in the ROI union for the fine-tuned model and each
 * variant (per class, per the model's own correct/wrong), then each variant's map similarity
 * to the fine-tuned maps.
 */
export function sanityTable(sanity: SanityMetrics): string[] {
  const models = [
    ['fine-tuned', sanity.trained] as const,
    // In the order the study runs them (the store keeps JSON keys in an order of its own).
    ...SANITY_VARIANTS.filter((name) => sanity.variants[name]).map(
      (name) => [name, sanity.variants[name]!] as const,
    ),
  ];
  const rows = [['model', 'class', 'outcome', 'jets', 'attention fraction', 'enrichment']];
  for (const [name, result] of models) {
    for (const [cls, groups] of Object.entries(result.attention)) {
      for (const outcome of ['all', 'correct', 'wrong'] as const) {
        const group = groups[outcome];
        rows.push([
          name,
          cls,
          outcome,
          String(group.n),
          formatUncertain(group.fraction, 3),
          formatUncertain(group.enrichment, 3),
        ]);
      }
    }
  }
  const similarity = [
    ['variant vs fine-tuned', 'accuracy', 'Spearman', 'SSIM', 'HOG distance', 'd fraction'],
  ];
  for (const [name, result] of models.slice(1)) {
    const s = result.similarity;
    similarity.push([
      name,
      result.accuracy.toFixed(3),
      formatEstimate(s?.rankCorrelation, 3),
      formatEstimate(s?.ssim, 3),
      formatEstimate(s?.hogDistance, 3),
      formatEstimate(s?.attentionFractionChange, 3),
    ]);
  }
  return [
    `  sanity checks on ${sanity.events} of ${sanity.totalTestEvents} test events ` +
      `(seeded subset, seed ${sanity.seed}); outcome is each model's own correct/wrong`,
    ...render(rows).map((line) => `  ${line}`),
    '',
    ...render(similarity).map((line) => `  ${line}`),
  ];
}

function render(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  '),
  );
}

export function studyTable(tasks: TaskSummary[]): string {
  const lines: string[] = [];
  for (const task of tasks) {
    lines.push(
      `${task.task}: ${task.classes[0]} (signal) vs ${task.classes[1]}, ${task.events} test events`,
    );
    lines.push(
      ...render([
        ['metric', 'value'],
        ['accuracy', formatUncertain(task.accuracy, 3)],
        ['AUC', formatUncertain(task.auc, 3)],
        ['rejection 1/eps_B at eps_S=0.5', formatUncertain(task.rejectionAt50, 1)],
        ['rejection 1/eps_B at eps_S=0.3', formatUncertain(task.rejectionAt30, 1)],
      ]).map((line) => `  ${line}`),
    );
    if (task.attention) {
      const rows = [['class', 'outcome', 'jets', 'attention fraction', 'enrichment']];
      for (const [cls, groups] of Object.entries(task.attention)) {
        for (const outcome of ['all', 'correct', 'wrong'] as const) {
          const group = groups[outcome];
          rows.push([
            cls,
            outcome,
            String(group.n),
            formatUncertain(group.fraction, 3),
            formatUncertain(group.enrichment, 3),
          ]);
        }
      }
      lines.push('', ...render(rows).map((line) => `  ${line}`));
      if (task.sanity) lines.push('', ...sanityTable(task.sanity));
    } else {
      lines.push('  (not explained: attention maps need one jet per image)');
    }
    lines.push(
      `  runs: fine-tune ${task.runs.finetune}, evaluate ${task.runs.evaluate}` +
        (task.runs.explain ? `, explain ${task.runs.explain}` : '') +
        (task.runs.sanity ? `, sanity ${task.runs.sanity}` : ''),
      '',
    );
  }
  lines.push(
    'uncertainties: metrics ±1 std of a bootstrap; attention means, half the 95% bootstrap interval',
  );
  return `${lines.join('\n')}\n`;
}
