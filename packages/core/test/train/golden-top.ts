import type { Tape, Value } from '../../src/train/autodiff/tape.js';
import { emitVitTop, type VitTopConfig, vitTopParameters } from '../../src/train/vit-top.js';
import { type GoldenTensor, goldenCase } from './golden.js';
import type { CaseInput } from './gradcheck.js';

// The vit_top case of grad_golden.json: two transformers ViTLayers (10 and 11 of 12), the
// final layer norm and the head, with their float32 weights and a batch of hidden states.
export const top = goldenCase('vit_top');
const raw = top.config as Record<string, number & number[]>;
export const config: VitTopConfig = {
  hiddenSize: raw.hidden!,
  numAttentionHeads: raw.heads!,
  intermediateSize: raw.intermediate!,
  layerNormEps: 1e-12,
  numTokens: raw.tokens!,
  numLabels: raw.labels!,
  layers: raw.layers!,
};
export const batch = raw.batch!;
export const f32 = (t: GoldenTensor) => Float32Array.from(t.data);
export const goldenParams = () =>
  new Map(vitTopParameters(config).map((s) => [s.name, f32(top.inputs[s.name]!)]));
export const goldenBatch = () => ({
  size: batch,
  hidden: f32(top.inputs.hidden!),
  target: f32(top.inputs.target!),
  weight: f32(top.inputs.weight!),
});

export function topInputs(paramHidden: boolean): CaseInput[] {
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

export function topLoss(t: Tape, values: Value[]): Value {
  const [hidden, target, weight, ...params] = values;
  const byName = new Map(params.map((p) => [p.name, p]));
  return t.softmaxCrossEntropy(emitVitTop(t, config, hidden!, byName), target!, weight!);
}
