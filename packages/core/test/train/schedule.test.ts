import { describe, expect, test } from 'vitest';
import { checkSchedule, learningRateAt } from '../../src/train/schedule.js';

describe('learningRateAt (warmup + cosine)', () => {
  const schedule = { peak: 1e-3, warmupSteps: 4, totalSteps: 20 };

  test('warms up linearly, peaks, then follows the cosine', () => {
    expect(learningRateAt(schedule, 0)).toBeCloseTo(2.5e-4, 15);
    expect(learningRateAt(schedule, 3)).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(schedule, 4)).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(schedule, 12)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(schedule, 19)).toBeCloseTo(
      1e-3 * 0.5 * (1 + Math.cos((Math.PI * 15) / 16)),
      15,
    );
    expect(learningRateAt({ ...schedule, floor: 1e-4 }, 20)).toBeCloseTo(1e-4, 15);
  });

  test('BAD CALLs', () => {
    expect(() => checkSchedule({ ...schedule, peak: 0 })).toThrow(
      /peak: expected a number > 0, got 0/,
    );
    expect(() => checkSchedule({ ...schedule, warmupSteps: 21 })).toThrow(
      /warmupSteps: expected an integer in 0..20, got 21/,
    );
    expect(() => checkSchedule({ ...schedule, totalSteps: 0 })).toThrow(/totalSteps/);
    expect(() => checkSchedule({ ...schedule, floor: 1 })).toThrow(
      /floor: expected a number in \[0, 0.001\], got 1/,
    );
  });
});
