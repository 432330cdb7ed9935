import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import type { AttentionGroup, TaskSummary } from '../../src/report/summary.js';
import { histogramSvg, rocSvg } from '../../src/report/svg.js';
import { studyTable } from '../../src/report/table.js';

const histogram = { edges: [0, 0.5, 1], counts: [3, 1], underflow: 0, overflow: 0 };
const group = (n: number, fraction: number): AttentionGroup => ({
  n,
  fraction: { value: fraction, interval: [fraction - 0.01, fraction + 0.01], level: 0.95 },
  enrichment: { value: 1.5, interval: [1.4, 1.6], level: 0.95 },
  histogram,
});

const task: TaskSummary = {
  task: 'hbb-vs-hcc',
  classes: ['HToBB', 'HToCC'],
  runs: { finetune: 'ft-1', evaluate: 'ev-1', explain: 'ex-1', sanity: null },
  events: 4,
  accuracy: { value: 0.75, interval: [0.7, 0.8], level: 0.68 },
  auc: { value: 0.8126, interval: [0.8, 0.826], level: 0.68 },
  rejectionAt50: { value: Number.POSITIVE_INFINITY, interval: [10, 20], level: 0.68 },
  rejectionAt30: { value: 12, interval: null, level: 0.68 },
  roc: [
    [0, 0],
    [0.5, 1],
    [1, 1],
  ],
  attention: {
    HToBB: {
      all: group(2, 0.3),
      correct: group(2, 0.3),
      wrong: { ...group(0, 0), fraction: null, enrichment: null },
    },
    HToCC: { all: group(2, 0.2), correct: group(1, 0.25), wrong: group(1, 0.15) },
  },
  sanity: null,
};

describe('studyTable', () => {
  it('prints the metrics and the attention groups with their uncertainties', () => {
    const table = studyTable([task]);
    expect(table).toContain('hbb-vs-hcc: HToBB (signal) vs HToCC, 4 test events');
    expect(table).toMatch(/accuracy\s+0\.750 ± 0\.050/);
    expect(table).toMatch(/AUC\s+0\.813 ± 0\.013/);
    expect(table).toMatch(/eps_S=0\.5\s+Infinity/);
    expect(table).toMatch(/eps_S=0\.3\s+12\.0/);
    expect(table).toMatch(/HToBB\s+wrong\s+0\s+-\s+-/);
    expect(table).toMatch(/HToCC\s+correct\s+1\s+0\.250 ± 0\.010\s+1\.500 ± 0\.100/);
    expect(table).toContain('runs: fine-tune ft-1, evaluate ev-1, explain ex-1');
  });

  it('says when a task was not explained', () => {
    expect(studyTable([{ ...task, attention: null }])).toContain('(not explained');
  });
});

describe('report charts and page', () => {
  it('draws the ROC from (0, 0) and the histograms as unit-area steps', () => {
    const roc = rocSvg([{ label: 'a <b>', points: task.roc }]);
    expect(roc).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(roc).toContain('a &lt;b&gt;');
    expect(roc).toMatch(/<path d="M52\.0,256\.0 L/);
    const steps = histogramSvg('fraction', [{ label: 'x', histogram }]);
    // Densities 1.5 and 0.5: the first step three times as high as the second.
    const ys = [...steps.matchAll(/L[\d.]+,([\d.]+) L[\d.]+,\1/g)].map((m) => 256 - Number(m[1]));
    expect(ys).toHaveLength(2);
    expect(ys[0]! / ys[1]!).toBeCloseTo(3, 2);
  });

  it('writes one self-contained page: inline SVG and PNG, no outside links', () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const html = reportHtml({
      title: 'JetLens study',
      createdAt: new Date('2026-01-02T03:04:05Z'),
      owner: 'ada@example.org (atlas)',
      codeVersion: '0.1.0',
      settings: { seed: 0 },
      tasks: [task],
      galleries: { 'hbb-vs-hcc': png },
    });
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('2026-01-02T03:04:05.000Z, ada@example.org (atlas), JetLens 0.1.0');
  });
});
