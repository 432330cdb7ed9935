import { describe, expect, test } from 'vitest';
import { accuracy, confusionMatrix, predictedLabels } from '../../src/metrics/classification.js';

describe('classification metrics', () => {
  test('predicted labels, accuracy and the confusion matrix', () => {
    const probabilities = [0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8];
    const predicted = predictedLabels(probabilities, 2);
    expect(Array.from(predicted)).toEqual([0, 1, 0, 1]);
    expect(accuracy([0, 1, 1, 1], predicted)).toBe(0.75);
    expect(confusionMatrix([0, 1, 1, 1], predicted, 2)).toEqual([
      [1, 0],
      [1, 2],
    ]);
  });

  test('BAD CALLs', () => {
    expect(() => predictedLabels([0.1, 0.9, 0.3], 2)).toThrow(/3 values are not rows of 2 classes/);
    expect(() => predictedLabels([1], 1)).toThrow(/numClasses: expected an integer >= 2, got 1/);
    expect(() => accuracy([], [])).toThrow(/no events/);
    expect(() => confusionMatrix([0, 3], [0, 1], 2)).toThrow(
      /labels\[1\]: expected a class index in 0..1, got 3/,
    );
    expect(() => confusionMatrix([0, 1], [0, -1], 2)).toThrow(/predicted\[1\]/);
  });
});
