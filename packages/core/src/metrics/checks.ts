/** Argument checks shared by the metrics: each names the argument and what was expected. */

export function checkScores(scores: ArrayLike<number>, what = 'scores'): void {
  if (scores === null || typeof scores !== 'object' || typeof scores.length !== 'number') {
    throw new TypeError(`${what}: expected an array of numbers`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new RangeError(`${what}[${i}]: expected a finite number, got ${scores[i]}`);
    }
  }
}

export function checkLabels(labels: ArrayLike<number>, numClasses: number, what = 'labels'): void {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new TypeError(`${what}: expected an array of class indices`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(
        `${what}[${i}]: expected a class index in 0..${numClasses - 1}, got ${label}`,
      );
    }
  }
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${names}: lengths differ (${a.length} vs ${b.length})`);
  }
  if (a.length === 0) throw new RangeError(`${names}: no events`);
}

/** Both classes must be present for ROC-type metrics. */
export function checkBothClasses(labels: ArrayLike<number>): {
  positives: number;
  negatives: number;
} {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(
      `labels: a ROC needs both classes, got ${positives} signal and ${negatives} background events`,
    );
  }
  return { positives, negatives };
}
