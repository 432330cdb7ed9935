/** Small inline SVG charts for the HTML report: ROC curves and step histograms. */
import type { Histogram } from '@jetlens/xai';

const W = 360;
const H = 300;
const PAD = { left: 52, right: 14, top: 14, bottom: 44 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function frame(xLabel: string, yLabel: string, xMax: number, yMax: number, body: string[]): string {
  const x = (v: number) => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const xv = (xMax * i) / 4;
    const yv = (yMax * i) / 4;
    ticks.push(
      `<text x="${x(xv)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${+xv.toPrecision(3)}</text>`,
      `<text x="${PAD.left - 6}" y="${y(yv) + 4}" text-anchor="end">${+yv.toPrecision(3)}</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#444"/>`,
    ...ticks,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">${escapeText(xLabel)}</text>`,
    `<text transform="translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeText(yLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function scaleX(v: number, max: number) {
  return PAD.left + (v / max) * (W - PAD.left - PAD.right);
}

function scaleY(v: number, max: number) {
  return H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
}

/** eps_B against eps_S (the signal efficiency), one curve per task. */
export function rocSvg(curves: { label: string; points: [number, number][] }[]): string {
  const body = [
    `<line x1="${scaleX(0, 1)}" y1="${scaleY(0, 1)}" x2="${scaleX(1, 1)}" y2="${scaleY(1, 1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
  ];
  curves.forEach((curve, i) => {
    const path = curve.points
      .map(
        ([fpr, tpr], k) =>
          `${k === 0 ? 'M' : 'L'}${scaleX(tpr, 1).toFixed(1)},${scaleY(fpr, 1).toFixed(1)}`,
      )
      .join(' ');
    const colour = COLOURS[i % COLOURS.length];
    body.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    body.push(
      `<text x="${PAD.left + 8}" y="${PAD.top + 16 + 14 * i}" fill="${colour}">${escapeText(curve.label)}</text>`,
    );
  });
  return frame('signal efficiency eps_S', 'background efficiency eps_B', 1, 1, body);
}

/** Step histograms normalised to unit area, on shared bins. */
export function histogramSvg(
  xLabel: string,
  series: { label: string; histogram: Histogram }[],
): string {
  const densities = series.map(({ histogram }) => {
    const total = histogram.counts.reduce((a, b) => a + b, 0);
    const width = (histogram.edges.at(-1)! - histogram.edges[0]!) / histogram.counts.length;
    return histogram.counts.map((count) => (total > 0 ? count / total / width : 0));
  });
  const xMax = series[0]?.histogram.edges.at(-1) ?? 1;
  const yMax = Math.max(1e-9, ...densities.flat()) * 1.1;
  const body: string[] = [];
  series.forEach(({ label, histogram }, i) => {
    const colour = COLOURS[i % COLOURS.length];
    let path = `M${scaleX(histogram.edges[0]!, xMax).toFixed(1)},${scaleY(0, yMax).toFixed(1)}`;
    densities[i]!.forEach((density, b) => {
      const y = scaleY(density, yMax).toFixed(1);
      path += ` L${scaleX(histogram.edges[b]!, xMax).toFixed(1)},${y} L${scaleX(histogram.edges[b + 1]!, xMax).toFixed(1)},${y}`;
    });
    path += ` L${scaleX(xMax, xMax).toFixed(1)},${scaleY(0, yMax).toFixed(1)}`;
    body.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    body.push(
      `<text x="${W - PAD.right - 6}" y="${PAD.top + 16 + 14 * i}" fill="${colour}" text-anchor="end">${escapeText(label)}</text>`,
    );
  });
  return frame(xLabel, 'density', xMax, yMax, body);
}
