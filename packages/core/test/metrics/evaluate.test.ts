import { describe, expect, test } from 'vitest';
import { evaluateClassifier } from '../../src/metrics/evaluate.js';
import { auc } from '../../src/metrics/roc.js';
import { Prng } from '../../src/train/prng.js';

describe('evaluateClassifier', () => {
  const rng = new Prng(5);
  const labels = Array.from({ length: 400 }, (_, i) => i % 2);
  const probabilities = labels.flatMap((l) => {
    const p = 1 / (1 + Math.exp(-(rng.normal() + 2 * (l - 0.5)) * 1.5));
    return [1 - p, p];
  });

  test('reports every metric with a bootstrap uncertainty', () => {
    const m = evaluateClassifier(probabilities, labels, 2, { resamples: 100, seed: 3 });
    const signal = labels.map((_, i) => probabilities[2 * i + 1]!);
    expect(m.events).toBe(400);
    expect(m.auc.value).toBeCloseTo(auc(signal, labels), 12);
    expect(m.auc.std).toBeGreaterThan(0);
    expect(m.auc.std).toBeLessThan(0.05);
    expect(m.accuracy.value).toBeGreaterThan(0.6);
    expect(m.rejectionAt30.value).toBeGreaterThan(m.rejectionAt50.value);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(400);
    expect(m.calibration.bins).toHaveLength(10);
    expect(m.ece.value).toBeCloseTo(m.calibration.ece, 12);
  });

  test('signalClass picks the class scored in the ROC', () => {
    const as0 = evaluateClassifier(probabilities, labels, 2, { signalClass: 0, resamples: 2 });
    const as1 = evaluateClassifier(probabilities, labels, 2, { resamples: 2 });
    expect(as0.auc.value).toBeCloseTo(as1.auc.value, 12);
  });

  test('BAD CALLs', () => {
    expect(() => evaluateClassifier(probabilities, labels, 2, { signalClass: 2 })).toThrow(
      /signalClass: expected a class index in 0..1, got 2/,
    );
    expect(() => evaluateClassifier(probabilities, labels.slice(1), 2)).toThrow(/lengths differ/);
  });
});
