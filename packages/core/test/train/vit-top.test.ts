import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { Tape } from '../../src/train/autodiff/tape.js';
import { TopForwardSession } from '../../src/train/top-session.js';
import { emitVitTop, vitTopParameters } from '../../src/train/vit-top.js';
import { type GoldenTensor, worstExcess } from './golden.js';
import { batch, config, goldenBatch, goldenParams, top, topInputs, topLoss } from './golden-top.js';
import { finiteDifferenceCheck, gradSession } from './gradcheck.js';

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
