import { checkBothClasses, checkLabels, checkSameLength, checkScores } from './checks.js';

/** A ROC curve: points from (0, 0) to (1, 1), one per distinct score threshold. */
export interface RocCurve {
  /** Background efficiency eps_B (false-positive rate) at each threshold. */
  readonly falsePositiveRate: Float64Array;
  /** Signal efficiency eps_S (true-positive rate) at each threshold. */
  readonly truePositiveRate: Float64Array;
  /** Events with score >= threshold are called signal; the first threshold is +Infinity. */
  readonly thresholds: Float64Array;
}

/**
 * The ROC curve of `scores` (higher = more signal-like) for binary `labels` (1 = signal,
 * 0 = background). Tied scores make one point, so ties never help or hurt the curve.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  checkScores(scores);
  checkLabels(labels, 2);
  checkSameLength(scores, labels, 'rocCurve(scores, labels)');
  const { positives, negatives } = checkBothClasses(labels);

  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[b]! - scores[a]!,
  );
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(fp / negatives);
      tpr.push(tp / positives);
      thresholds.push(scores[i]!);
    }
  }
  return {
    falsePositiveRate: Float64Array.from(fpr),
    truePositiveRate: Float64Array.from(tpr),
    thresholds: Float64Array.from(thresholds),
  };
}

/** Area under a ROC curve (trapezoids; ties count one half, as in the Mann-Whitney U). */
export function rocAuc(curve: RocCurve): number {
  const x = curve.falsePositiveRate;
  const y = curve.truePositiveRate;
  let area = 0;
  for (let i = 1; i < x.length; i++) area += (x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!) * 0.5;
  return area;
}

/** AUC of `scores` for binary `labels`. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return rocAuc(rocCurve(scores, labels));
}

/**
 * Background rejection 1/eps_B at signal efficiency `signalEfficiency`, with eps_B read off
 * the ROC curve by linear interpolation in eps_S. Infinite when no background passes.
 */
export function backgroundRejection(curve: RocCurve, signalEfficiency: number): number {
  if (!(signalEfficiency > 0 && signalEfficiency <= 1)) {
    throw new RangeError(`signalEfficiency: expected a number in (0, 1], got ${signalEfficiency}`);
  }
  const x = curve.truePositiveRate;
  const y = curve.falsePositiveRate;
  let i = 1;
  while (i < x.length - 1 && x[i]! < signalEfficiency) i++;
  const x0 = x[i - 1]!;
  const x1 = x[i]!;
  const t = x1 === x0 ? 1 : (signalEfficiency - x0) / (x1 - x0);
  const epsB = y[i - 1]! + t * (y[i]! - y[i - 1]!);
  return epsB > 0 ? 1 / epsB : Number.POSITIVE_INFINITY;
}
