import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { Tape, type Value } from '../../src/train/autodiff/tape.js';
import {
  initialTopState,
  TopForwardSession,
  TrainStepSession,
} from '../../src/train/top-session.js';
import { emitVitTop, type VitTopConfig, vitTopParameters } from '../../src/train/vit-top.js';
import { type GoldenTensor, goldenCase, worstExcess } from './golden.js';
import { type CaseInput, finiteDifferenceCheck, gradSession } from './gradcheck.js';

const top = goldenCase('vit_top');
const raw = top.config as Record<string, number & number[]>;
const config: VitTopConfig = {
  hiddenSize: raw.hidden!,
  numAttentionHeads: raw.heads!,
  intermediateSize: raw.intermediate!,
  layerNormEps: 1e-12,
  numTokens: raw.tokens!,
  numLabels: raw.labels!,
  layers: raw.layers!,
};
const batch = raw.batch!;
const f32 = (t: GoldenTensor) => Float32Array.from(t.data);
const goldenParams = () =>
  new Map(vitTopParameters(config).map((s) => [s.name, f32(top.inputs[s.name]!)]));
const goldenBatch = () => ({
  size: batch,
  hidden: f32(top.inputs.hidden!),
  target: f32(top.inputs.target!),
  weight: f32(top.inputs.weight!),
});

function topInputs(paramHidden: boolean): CaseInput[] {
  return [
    {
      name: 'hidden',
      shape: top.inputs.hidden!.shape,
      data: f32(top.inputs.hidden!),
      param: paramHidden,
    },
    {
      name: 'target',
      shape: top.inputs.target!.shape,
      data: f32(top.inputs.target!),
      param: false,
    },
    {
      name: 'weight',
      shape: top.inputs.weight!.shape,
      data: f32(top.inputs.weight!),
      param: false,
    },
    ...vitTopParameters(config).map((s) => ({
      name: s.name,
      shape: s.shape,
      data: f32(top.inputs[s.name]!),
      param: true,
    })),
  ];
}

function topLoss(t: Tape, values: Value[]): Value {
  const [hidden, target, weight, ...params] = values;
  const byName = new Map(params.map((p) => [p.name, p]));
  return t.softmaxCrossEntropy(emitVitTop(t, config, hidden!, byName), target!, weight!);
}

describe('ViT top (two Hugging Face ViTLayers + norm + head)', () => {
  test('loss and every gradient match PyTorch autograd through transformers (1e-5)', async () => {
    const inputs = topInputs(true);
    const session = await gradSession(inputs, topLoss);
    const { loss, grads } = await session.run();

    expect(Math.abs(loss - top.loss)).toBeLessThanOrEqual(1e-5);
    const params = inputs.filter((i) => i.param);
    expect(params).toHaveLength(Object.keys(top.grads).length);
    params.forEach((p, i) => {
      expect(worstExcess(grads[i]!, top.grads[p.name]!.data, 1e-5), p.name).toBeLessThanOrEqual(0);
    });
  });

  test('gradients match central finite differences', async () => {
    const { worst, checked } = await finiteDifferenceCheck(topInputs(true), topLoss, {
      samples: 3,
    });
    expect(checked).toBeGreaterThan(100);
    expect(worst).toBeLessThanOrEqual(0);
  });

  test('the forward graph gives the logits of transformers', async () => {
    const forward = await TopForwardSession.create(config);
    const logits = await forward.logits(goldenParams(), goldenBatch().hidden, batch);
    expect(worstExcess(logits, (top.logits as GoldenTensor).data, 1e-5)).toBeLessThanOrEqual(0);
  });
});

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

test('the tape builds the top without a trainable hidden state (no wasted gradient)', () => {
  const tape = new Tape(new GraphBuilder());
  const hidden = tape.input('hidden', ['batch', config.numTokens, config.hiddenSize]);
  const params = new Map(
    vitTopParameters(config).map((s) => [s.name, tape.input(s.name, s.shape, true)]),
  );
  const logits = emitVitTop(tape, config, hidden, params);
  expect(logits.shape).toEqual(['batch', config.numLabels]);
  expect(logits.requiresGrad).toBe(true);
});
