import { checkLabels, checkSameLength } from './checks.js';
import { predictedLabels } from './classification.js';

/** One reliability bin: events whose confidence fell in [lower, upper). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence (probability of the predicted class) in the bin; NaN when empty. */
  readonly confidence: number;
  /** Fraction of the bin's events predicted correctly; NaN when empty. */
  readonly accuracy: number;
}

export interface Calibration {
  readonly bins: readonly ReliabilityBin[];
  /** Expected calibration error: sum over bins of count/N * |accuracy - confidence|. */
  readonly ece: number;
}

/**
 * Reliability diagram and expected calibration error of class `probabilities` (rows of
 * `numClasses`, each summing to one) against true `labels`, in `bins` equal-width bins of
 * the top-class confidence. Confidence 1 falls in the last bin.
 */
export function calibration(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  bins = 10,
): Calibration {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins: expected a positive integer, got ${bins}`);
  }
  const predicted = predictedLabels(probabilities, numClasses);
  checkSameLength(labels, predicted, 'calibration(probabilities rows, labels)');
  checkLabels(labels, numClasses);

  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correctSum = new Array<number>(bins).fill(0);
  for (let i = 0; i < predicted.length; i++) {
    const confidence = probabilities[i * numClasses + predicted[i]!]!;
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new RangeError(
        `probabilities row ${i}: top-class probability ${confidence} is outside [0, 1]`,
      );
    }
    const b = Math.min(bins - 1, Math.floor(confidence * bins));
    count[b]!++;
    confidenceSum[b]! += confidence;
    correctSum[b]! += predicted[i] === labels[i] ? 1 : 0;
  }

  let ece = 0;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b]!;
    const confidence = n > 0 ? confidenceSum[b]! / n : Number.NaN;
    const acc = n > 0 ? correctSum[b]! / n : Number.NaN;
    if (n > 0) ece += (n / predicted.length) * Math.abs(acc - confidence);
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: n, confidence, accuracy: acc });
  }
  return { bins: out, ece };
}
