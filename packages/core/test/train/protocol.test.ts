import { describe, expect, test } from 'vitest';
import { Prng } from '../../src/train/prng.js';
import {
  classBalancedBatches,
  lastLayersFreezeSpec,
  sampleFewShot,
} from '../../src/train/protocol.js';

const events = Array.from({ length: 90 }, (_, i) => ({
  id: `jet-${i}`,
  label: i % 3 === 0 ? 1 : 0,
}));
const options = {
  classes: ['QCD', 'top'],
  trainPerClass: 20,
  validationPerClass: 5,
  seeds: { sampling: 1, head: 2, shuffle: 3 },
  freeze: lastLayersFreezeSpec(12, 2),
};

describe('few-shot protocol', () => {
  test('the freeze specification of the study: layers 11-12 of 12', () => {
    const spec = lastLayersFreezeSpec(12, 2);
    expect(spec.trainableLayers).toEqual([10, 11]);
    expect(spec.description).toBe(
      'last 2 encoder layers (11-12 of 12), final layer norm and a new classification head',
    );
  });

  test('samples per class without overlap, and repeats from its seed', () => {
    const p = sampleFewShot(events, options);
    expect(p.train).toHaveLength(40);
    expect(p.validation).toHaveLength(10);
    expect(p.train.filter((e) => e.label === 1)).toHaveLength(20);
    const ids = new Set([...p.train, ...p.validation].map((e) => e.id));
    expect(ids.size).toBe(50);
    expect(sampleFewShot(events, options)).toEqual(p);
    const other = sampleFewShot(events, { ...options, seeds: { ...options.seeds, sampling: 9 } });
    expect(other.train).not.toEqual(p.train);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  test('class-balanced batches deal the classes in turn', () => {
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const batches = classBalancedBatches(labels, 2, 4, new Prng(1));
    expect(batches).toHaveLength(2);
    for (const b of batches) expect(b.filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(batches.flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('BAD CALLs', () => {
    expect(() => sampleFewShot(events, { ...options, trainPerClass: 40 })).toThrow(
      /class 'top': 45 events needed \(40 train \+ 5 validation\), 30 available/,
    );
    expect(() => sampleFewShot([...events, { id: 'jet-0', label: 0 }], options)).toThrow(
      /'jet-0' appears twice/,
    );
    expect(() => sampleFewShot([{ id: 'x', label: 2 }], options)).toThrow(
      /label: expected a class index in 0..1, got 2/,
    );
    expect(() => sampleFewShot(events, { ...options, trainPerClass: 0 })).toThrow(
      /at least 1 event/,
    );
    expect(() => lastLayersFreezeSpec(12, 0)).toThrow(/expected an integer in 1..12, got 0/);
    expect(() => classBalancedBatches([0], 1, 0, new Prng(1))).toThrow(/batchSize/);
  });
});
