import { describe, expect, test } from 'vitest';
import { initialTopState, TrainStepSession } from '../../src/train/top-session.js';
import { config, goldenBatch, goldenParams } from './golden-top.js';

describe('TrainStepSession', () => {
  test('repeated steps on one batch drive the loss down', async () => {
    const session = await TrainStepSession.create(config);
    const state = initialTopState(config, goldenParams());
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) losses.push((await session.step(state, goldenBatch(), 1e-2)).loss);
    expect(losses[29]!).toBeLessThan(0.5 * losses[0]!);
  });

  test('BAD CALLs: batch arrays of the wrong size or kind, a bad learning rate', async () => {
    const session = await TrainStepSession.create(config);
    const state = initialTopState(config, goldenParams());
    const good = goldenBatch();
    await expect(
      session.step(state, { ...good, weight: new Float32Array(2) }, 1e-3),
    ).rejects.toThrow(/batch.weight: expected 3 values for 3 events, got 2/);
    await expect(
      session.step(state, { ...good, target: [1, 0] as unknown as Float32Array }, 1e-3),
    ).rejects.toThrow(TypeError);
    await expect(session.step(state, good, Number.NaN)).rejects.toThrow(
      /lr must be a finite number/,
    );
    expect(() => initialTopState(config, new Map())).toThrow(/missing 'vit.encoder.layer.10/);
  });
});
