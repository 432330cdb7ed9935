/** Learning rate by optimiser step: linear warmup to `peak`, then cosine decay to `floor`. */
export interface LearningRateSchedule {
  readonly peak: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Rate the cosine decays towards, reached one step after the last (default 0). */
  readonly floor?: number;
}

export function checkSchedule(schedule: LearningRateSchedule): void {
  const { peak, warmupSteps, totalSteps, floor = 0 } = schedule;
  if (!(Number.isFinite(peak) && peak > 0)) {
    throw new RangeError(`learning rate peak: expected a number > 0, got ${peak}`);
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new RangeError(`totalSteps: expected an integer >= 1, got ${totalSteps}`);
  }
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps > totalSteps) {
    throw new RangeError(
      `warmupSteps: expected an integer in 0..${totalSteps}, got ${warmupSteps}`,
    );
  }
  if (!(floor >= 0 && floor <= peak)) {
    throw new RangeError(`learning rate floor: expected a number in [0, ${peak}], got ${floor}`);
  }
}

/**
 * The rate for 0-based optimiser step `step`: `peak * (step + 1) / warmupSteps` while warming
 * up, then `floor + (peak - floor) * (1 + cos(pi * progress)) / 2` with progress going from 0
 * at the first step after warmup towards 1 at `totalSteps`.
 */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  const { peak, warmupSteps, totalSteps, floor = 0 } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
