import { type BootstrapOptions, bootstrap, type Estimate } from './bootstrap.js';
import { type Calibration, calibration } from './calibration.js';
import { checkLabels, checkSameLength } from './checks.js';
import { accuracy, confusionMatrix, predictedLabels } from './classification.js';
import { backgroundRejection, type RocCurve, rocAuc, rocCurve } from './roc.js';

/** Everything JetLens reports about a classifier on held-out images. */
export interface ClassifierMetrics {
  readonly events: number;
  readonly accuracy: Estimate;
  readonly confusion: number[][];
  readonly calibration: Calibration;
  readonly ece: Estimate;
  /** Binary view: signal class vs the rest, scored by the signal class probability. */
  readonly signalClass: number;
  readonly roc: RocCurve;
  readonly auc: Estimate;
  /** 1/eps_B at eps_S = 0.5 and 0.3. */
  readonly rejectionAt50: Estimate;
  readonly rejectionAt30: Estimate;
}

export interface EvaluateOptions extends BootstrapOptions {
  /** Class counted as signal in the ROC (default 1). */
  readonly signalClass?: number;
  /** Reliability bins (default 10). */
  readonly bins?: number;
}

function pick<T extends ArrayLike<number>>(values: T, indices: Int32Array): number[] {
  return Array.from(indices, (i) => values[i]!);
}

/**
 * Accuracy, ROC and AUC, background rejection at eps_S = 0.5 and 0.3, confusion matrix and
 * calibration of `probabilities` (rows of `numClasses`) against `labels`, with seeded
 * bootstrap uncertainties on every scalar.
 */
export function evaluateClassifier(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  options: EvaluateOptions = {},
): ClassifierMetrics {
  const signalClass = options.signalClass ?? 1;
  if (!Number.isInteger(signalClass) || signalClass < 0 || signalClass >= numClasses) {
    throw new RangeError(
      `signalClass: expected a class index in 0..${numClasses - 1}, got ${signalClass}`,
    );
  }
  const predicted = predictedLabels(probabilities, numClasses);
  checkSameLength(labels, predicted, 'evaluateClassifier(probabilities rows, labels)');
  checkLabels(labels, numClasses);
  const n = labels.length;
  const scores = Float64Array.from(
    { length: n },
    (_, i) => probabilities[i * numClasses + signalClass]!,
  );
  const isSignal = Int32Array.from(labels, (l) => (l === signalClass ? 1 : 0));
  const bins = options.bins ?? 10;
  const rows = (idx: Int32Array) => {
    const out = new Float64Array(idx.length * numClasses);
    idx.forEach((i, k) => {
      for (let c = 0; c < numClasses; c++)
        out[k * numClasses + c] = probabilities[i * numClasses + c]!;
    });
    return out;
  };

  const roc = rocCurve(scores, isSignal);
  const rocOf = (idx: Int32Array) => rocCurve(pick(scores, idx), pick(isSignal, idx));
  const boot = (f: (idx: Int32Array) => number) => bootstrap(n, f, options);
  return {
    events: n,
    accuracy: boot((idx) => accuracy(pick(labels, idx), pick(predicted, idx))),
    confusion: confusionMatrix(labels, predicted, numClasses),
    calibration: calibration(probabilities, labels, numClasses, bins),
    ece: boot((idx) => calibration(rows(idx), pick(labels, idx), numClasses, bins).ece),
    signalClass,
    roc,
    auc: boot((idx) => rocAuc(rocOf(idx))),
    rejectionAt50: boot((idx) => backgroundRejection(rocOf(idx), 0.5)),
    rejectionAt30: boot((idx) => backgroundRejection(rocOf(idx), 0.3)),
  };
}
