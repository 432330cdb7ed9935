import { describe, expect, test } from 'vitest';
import { calibration } from '../../src/metrics/calibration.js';

describe('calibration', () => {
  test('reliability bins and ECE of a small example', () => {
    // Confidences 0.95 (right), 0.95 (wrong), 0.65 (right), 0.55 (right) in 2 bins of width 0.5.
    const probabilities = [0.95, 0.05, 0.05, 0.95, 0.35, 0.65, 0.55, 0.45];
    const labels = [0, 0, 1, 0];
    const { bins, ece } = calibration(probabilities, labels, 2, 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]!.count).toBe(0);
    expect(Number.isNaN(bins[0]!.accuracy)).toBe(true);
    expect(bins[1]!.count).toBe(4);
    expect(bins[1]!.accuracy).toBe(0.75);
    expect(bins[1]!.confidence).toBeCloseTo(0.775, 12);
    expect(ece).toBeCloseTo(0.025, 12);
  });

  test('a confidence of exactly 1 lands in the last bin', () => {
    const { bins } = calibration([1, 0, 0, 1], [0, 1], 2, 10);
    expect(bins[9]!.count).toBe(2);
    expect(bins[9]!.accuracy).toBe(1);
  });

  test('BAD CALLs', () => {
    expect(() => calibration([0.5, 0.5], [0], 2, 0)).toThrow(
      /bins: expected a positive integer, got 0/,
    );
    expect(() => calibration([1.5, -0.5], [0], 2)).toThrow(/row 0: top-class probability 1.5/);
    expect(() => calibration([0.5, 0.5], [0, 1], 2)).toThrow(/lengths differ/);
  });
});
