import { checkLabels, checkSameLength } from './checks.js';

/** Index of the largest of `numClasses` scores in each row of `probabilities`. */
export function predictedLabels(probabilities: ArrayLike<number>, numClasses: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new RangeError(`numClasses: expected an integer >= 2, got ${numClasses}`);
  }
  if (probabilities.length % numClasses !== 0) {
    throw new RangeError(
      `probabilities: ${probabilities.length} values are not rows of ${numClasses} classes`,
    );
  }
  const n = probabilities.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) {
      if (probabilities[i * numClasses + c]! > probabilities[i * numClasses + best]!) best = c;
    }
    out[i] = best;
  }
  return out;
}

/** Fraction of events whose predicted class is the true one. */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength(labels, predicted, 'accuracy(labels, predicted)');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) correct += labels[i] === predicted[i] ? 1 : 0;
  return correct / labels.length;
}

/** Confusion matrix `[true][predicted]` of event counts. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): number[][] {
  checkSameLength(labels, predicted, 'confusionMatrix(labels, predicted)');
  checkLabels(labels, numClasses, 'labels');
  checkLabels(predicted, numClasses, 'predicted');
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]!++;
  return matrix;
}
