import { describe, expect, test } from 'vitest';
import { auc, backgroundRejection, rocAuc, rocCurve } from '../../src/metrics/roc.js';
import { Prng } from '../../src/train/prng.js';

/** Mann-Whitney U / (n_S n_B), pair by pair: the probability a signal outscores a background. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocCurve and auc', () => {
  test('perfect, inverted and uninformative scores', () => {
    expect(auc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  test('equals the pairwise Mann-Whitney statistic, ties included', () => {
    const rng = new Prng(3);
    const labels = Array.from({ length: 300 }, () => (rng.next() < 0.4 ? 1 : 0));
    // Rounded scores make many ties across classes.
    const scores = labels.map((l) => Math.round((rng.normal() + l) * 4) / 4);
    expect(auc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  test('the curve runs from (0, 0) to (1, 1) and is monotone', () => {
    const roc = rocCurve([0.3, 0.7, 0.7, 0.1, 0.9], [0, 1, 0, 0, 1]);
    const n = roc.falsePositiveRate.length;
    expect([roc.falsePositiveRate[0], roc.truePositiveRate[0]]).toEqual([0, 0]);
    expect([roc.falsePositiveRate[n - 1], roc.truePositiveRate[n - 1]]).toEqual([1, 1]);
    for (let i = 1; i < n; i++) {
      expect(roc.falsePositiveRate[i]!).toBeGreaterThanOrEqual(roc.falsePositiveRate[i - 1]!);
      expect(roc.truePositiveRate[i]!).toBeGreaterThanOrEqual(roc.truePositiveRate[i - 1]!);
    }
    expect(roc.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
    expect(rocAuc(roc)).toBeCloseTo(pairwiseAuc([0.3, 0.7, 0.7, 0.1, 0.9], [0, 1, 0, 0, 1]), 12);
  });
});

describe('backgroundRejection', () => {
  // Signal 0.9, 0.8, 0.7, 0.6; background 0.85, 0.5, 0.4, 0.3: at eps_S = 0.5 one of the four
  // background jets passes (eps_B = 0.25), so the rejection is 4.
  const roc = rocCurve([0.9, 0.8, 0.7, 0.6, 0.85, 0.5, 0.4, 0.3], [1, 1, 1, 1, 0, 0, 0, 0]);

  test('reads 1/eps_B off the curve', () => {
    expect(backgroundRejection(roc, 0.5)).toBe(4);
    expect(backgroundRejection(roc, 0.3)).toBe(4);
    expect(backgroundRejection(roc, 1)).toBe(4);
  });

  test('interpolates linearly in eps_S between points', () => {
    const r = rocCurve([0.9, 0.1, 0.8, 0.2], [1, 1, 0, 0]);
    // Points (eps_B, eps_S): (0, 0), (0, 0.5), (1, 0.5), (1, 1): eps_B jumps at eps_S = 0.5.
    expect(backgroundRejection(r, 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(backgroundRejection(r, 0.75)).toBe(1);
  });

  test('BAD CALLs', () => {
    expect(() => backgroundRejection(roc, 0)).toThrow(
      /signalEfficiency: expected a number in \(0, 1\], got 0/,
    );
    expect(() => rocCurve([0.1, 0.2], [1, 1])).toThrow(
      /both classes, got 2 signal and 0 background/,
    );
    expect(() => rocCurve([0.1], [1, 0])).toThrow(/lengths differ \(1 vs 2\)/);
    expect(() => rocCurve([0.1, Number.NaN], [1, 0])).toThrow(
      /scores\[1\]: expected a finite number/,
    );
    expect(() => rocCurve([0.1, 0.2], [1, 2])).toThrow(
      /labels\[1\]: expected a class index in 0..1, got 2/,
    );
    expect(() => rocCurve(5 as unknown as number[], [1])).toThrow(TypeError);
  });
});
