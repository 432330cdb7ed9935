/** Small inline SVG charts for the HTML report: ROC curves and step histograms. */
import type { Histogram } from '@jetlens/xai';

const W = 360;
const H = 300;
const PAD = { left: 52, right: 14, top: 14, bottom: 44 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One SVG element; attribute values are numbers or plain strings without quotes. */
function el(tag: string, attrs: Record<string, string | number>, text?: string): string {
  const list = Object.entries(attrs)
    .map(([name, value]) => `${name}="${value}"`)
    .join(' ');
  return text === undefined ? `<${tag} ${list}/>` : `<${tag} ${list}>${escapeText(text)}</${tag}>`;
}

function scaleX(v: number, max: number) {
  return PAD.left + (v / max) * (W - PAD.left - PAD.right);
}

function scaleY(v: number, max: number) {
  return H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
}

function frame(xLabel: string, yLabel: string, xMax: number, yMax: number, body: string[]): string {
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const xv = (xMax * i) / 4;
    const yv = (yMax * i) / 4;
    const tick = (value: number) => String(+value.toPrecision(3));
    ticks.push(
      el(
        'text',
        { x: scaleX(xv, xMax), y: H - PAD.bottom + 16, 'text-anchor': 'middle' },
        tick(xv),
      ),
      el('text', { x: PAD.left - 6, y: scaleY(yv, yMax) + 4, 'text-anchor': 'end' }, tick(yv)),
    );
  }
  const plot = { width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom };
  const middle = { x: PAD.left + plot.width / 2, y: PAD.top + plot.height / 2 };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" ` +
      `viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    el('rect', { x: PAD.left, y: PAD.top, ...plot, fill: 'none', stroke: '#444' }),
    ...ticks,
    el('text', { x: middle.x, y: H - 8, 'text-anchor': 'middle' }, xLabel),
    el(
      'text',
      { transform: `translate(14 ${middle.y}) rotate(-90)`, 'text-anchor': 'middle' },
      yLabel,
    ),
    ...body,
    '</svg>',
  ].join('\n');
}

/** eps_B against eps_S (the signal efficiency), one curve per task. */
export function rocSvg(curves: { label: string; points: [number, number][] }[]): string {
  const diagonal = {
    x1: scaleX(0, 1),
    y1: scaleY(0, 1),
    x2: scaleX(1, 1),
    y2: scaleY(1, 1),
    stroke: '#bbb',
    'stroke-dasharray': '4 3',
  };
  const body = [el('line', diagonal)];
  curves.forEach((curve, i) => {
    const path = curve.points
      .map(
        ([fpr, tpr], k) =>
          `${k === 0 ? 'M' : 'L'}${scaleX(tpr, 1).toFixed(1)},${scaleY(fpr, 1).toFixed(1)}`,
      )
      .join(' ');
    const colour = COLOURS[i % COLOURS.length]!;
    body.push(el('path', { d: path, fill: 'none', stroke: colour, 'stroke-width': 2 }));
    body.push(el('text', { x: PAD.left + 8, y: PAD.top + 16 + 14 * i, fill: colour }, curve.label));
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
  const point = (x: number, y: number) =>
    `${scaleX(x, xMax).toFixed(1)},${scaleY(y, yMax).toFixed(1)}`;

  const body: string[] = [];
  series.forEach(({ label, histogram }, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const steps = densities[i]!.map(
      (density, b) =>
        `L${point(histogram.edges[b]!, density)} L${point(histogram.edges[b + 1]!, density)}`,
    );
    const path = `M${point(histogram.edges[0]!, 0)} ${steps.join(' ')} L${point(xMax, 0)}`;
    body.push(el('path', { d: path, fill: 'none', stroke: colour, 'stroke-width': 1.5 }));
    const at = { x: W - PAD.right - 6, y: PAD.top + 16 + 14 * i };
    body.push(el('text', { ...at, fill: colour, 'text-anchor': 'end' }, label));
  });
  return frame(xLabel, 'density', xMax, yMax, body);
}
