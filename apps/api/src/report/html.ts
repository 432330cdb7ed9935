/**
 * The self-contained HTML report: every figure inline (PNG galleries as data URIs, ROC curves
 * and distributions as SVG), so the one file can be mailed or attached to a logbook.
 */
import type { TaskSummary } from './summary.js';
import { histogramSvg, rocSvg } from './svg.js';
import { sanityTable, studyTable } from './table.js';

export interface ReportInput {
  title: string;
  createdAt: Date;
  owner: string;
  codeVersion: string;
  settings: Record<string, unknown>;
  tasks: TaskSummary[];
  /** One gallery PNG per task name, where the task was explained. */
  galleries: Record<string, Buffer | null>;
}

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function reportHtml(input: ReportInput): string {
  const sections = input.tasks.map((task) => {
    const [signal, background] = task.classes.map(escapeText);
    const roc = { label: `${task.task} (AUC ${task.auc.value.toFixed(3)})`, points: task.roc };
    const parts = [
      `<h2>${escapeText(task.task)}: ${signal} vs ${background}</h2>`,
      `<div class="row">${rocSvg([roc])}`,
    ];
    if (task.attention) {
      const series = Object.entries(task.attention).flatMap(([cls, groups]) => [
        { label: `${cls} correct (${groups.correct.n})`, histogram: groups.correct.histogram },
        { label: `${cls} wrong (${groups.wrong.n})`, histogram: groups.wrong.histogram },
      ]);
      parts.push(histogramSvg('attention fraction in the prong ROIs', series));
    }
    parts.push('</div>');
    if (task.sanity) {
      parts.push(
        '<h3>Sanity checks: untrained model, re-initialised top layers, shuffled pixels</h3>',
        '<p>Explanations should change when what the model learnt is destroyed: a high rank ' +
          'correlation or SSIM with the fine-tuned maps means the map reflects the architecture ' +
          'or the input, not the training.</p>',
        `<pre>${escapeText(sanityTable(task.sanity).join('\n'))}</pre>`,
      );
    }
    const gallery = input.galleries[task.task];
    if (gallery) {
      const src = `data:image/png;base64,${gallery.toString('base64')}`;
      parts.push(`<img alt="${escapeText(task.task)} gallery" src="${src}">`);
    }
    return parts.join('\n');
  });
  const byline = [input.createdAt.toISOString(), input.owner, `JetLens ${input.codeVersion}`]
    .map(escapeText)
    .join(', ');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeText(input.title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
.row { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
img { max-width: 100%; margin-top: 1em; }
</style>
</head>
<body>
<h1>${escapeText(input.title)}</h1>
<p>${byline}</p>
<pre>${escapeText(studyTable(input.tasks))}</pre>
${sections.join('\n')}
<h2>Settings</h2>
<pre>${escapeText(JSON.stringify(input.settings, null, 2))}</pre>
</body>
</html>
`;
}
