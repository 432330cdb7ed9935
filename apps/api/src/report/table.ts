/**
 * The study's table on the terminal: one block per task, the classifier metrics, then the
 * attention fraction and enrichment in the prong ROIs per class and per correct/wrong.
 */
import type { TaskSummary, Uncertain } from './summary.js';

function formatUncertain(value: Uncertain | null, digits: number): string {
  if (!value) return '-';
  if (!Number.isFinite(value.value)) return String(value.value);
  if (!value.interval) return value.value.toFixed(digits);
  const half = (value.interval[1] - value.interval[0]) / 2;
  return `${value.value.toFixed(digits)} ± ${half.toFixed(digits)}`;
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
    } else {
      lines.push('  (not explained: attention maps need one jet per image)');
    }
    lines.push(
      `  runs: fine-tune ${task.runs.finetune}, evaluate ${task.runs.evaluate}` +
        (task.runs.explain ? `, explain ${task.runs.explain}` : ''),
      '',
    );
  }
  lines.push(
    'uncertainties: metrics ±1 std of a bootstrap; attention means, half the 95% bootstrap interval',
  );
  return `${lines.join('\n')}\n`;
}
