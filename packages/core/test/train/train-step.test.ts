import { describe, expect, test } from 'vitest';
import {
  initialTopState,
  TopForwardSession,
  TrainStepSession,
} from '../../src/train/top-session.js';
import { vitTopParameters } from '../../src/train/vit-top.js';
import { type GoldenTensor, goldenCase, worstExcess } from './golden.js';
import { batch, config, f32, goldenBatch, goldenParams, top } from './golden-top.js';

describe('train-step graph', () => {
  test('one step equals torch.optim.AdamW from warm moments (step 3)', async () => {
    const golden = goldenCase('adamw_step');
    const adam = golden.adam as { lr: number; betas: number[]; eps: number; weight_decay: number };
    const moments = (key: 'exp_avg' | 'exp_avg_sq') =>
      new Map(
        Object.entries(golden[key] as Record<string, GoldenTensor>).map(([k, t]) => [k, f32(t)]),
      );
    const state = {
      params: goldenParams(),
      expAvg: moments('exp_avg'),
      expAvgSq: moments('exp_avg_sq'),
      step: 2,
    };
    const session = await TrainStepSession.create(config, {
      beta1: adam.betas[0]!,
      beta2: adam.betas[1]!,
      epsilon: adam.eps,
      weightDecay: adam.weight_decay,
    });

    const { loss, logits } = await session.step(state, goldenBatch(), adam.lr);

    expect(Math.abs(loss - golden.loss)).toBeLessThanOrEqual(1e-5);
    expect(worstExcess(logits, (top.logits as GoldenTensor).data, 1e-5)).toBeLessThanOrEqual(0);
    expect(state.step).toBe(3);
    const expected = (key: string) => golden[key] as Record<string, GoldenTensor>;
    for (const spec of vitTopParameters(config)) {
      const name = spec.name;
      expect(
        worstExcess(state.params.get(name)!, expected('next')[name]!.data, 1e-6),
        name,
      ).toBeLessThanOrEqual(0);
      expect(
        worstExcess(state.expAvg.get(name)!, expected('next_exp_avg')[name]!.data, 1e-6),
      ).toBeLessThanOrEqual(0);
      expect(
        worstExcess(state.expAvgSq.get(name)!, expected('next_exp_avg_sq')[name]!.data, 1e-6),
      ).toBeLessThanOrEqual(0);
    }
  });

  test('its logits equal the forward graph on the same weights (parity)', async () => {
    const forward = await TopForwardSession.create(config);
    const session = await TrainStepSession.create(config);
    const params = goldenParams();
    const expected = await forward.logits(params, goldenBatch().hidden, batch);
    const { logits } = await session.step(
      initialTopState(config, goldenParams()),
      goldenBatch(),
      1e-3,
    );
    expect(Array.from(logits)).toEqual(Array.from(expected));
  });
});
