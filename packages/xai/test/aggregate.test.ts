import { describe, expect, it } from 'vitest';
import { aggregateByClass, correlateWithSubstructure } from '../src/aggregate.js';
import { seededRandom } from '../src/stats/random.js';

const jets = [
  { trueClass: 'TTBar', predictedClass: 'TTBar', value: 0.6 },
  { trueClass: 'TTBar', predictedClass: 'TTBar', value: 0.8 },
  { trueClass: 'TTBar', predictedClass: 'ZJetsToNuNu', value: 0.2 },
  { trueClass: 'ZJetsToNuNu', predictedClass: 'ZJetsToNuNu', value: 0.4 },
];

describe('aggregateByClass', () => {
  it('splits by class and by correct/wrong with means and histograms', () => {
    const summary = aggregateByClass(jets, { histogram: { bins: 5, min: 0, max: 1 } });
    const ttbar = summary.byClass.TTBar!;
    expect(Object.keys(summary.byClass)).toEqual(['TTBar', 'ZJetsToNuNu']);
    expect(ttbar.all.n).toBe(3);
    expect(ttbar.correct.mean!.estimate).toBeCloseTo(0.7, 12);
    expect(ttbar.wrong.n).toBe(1);
    expect(ttbar.wrong.mean!.interval).toBeNull();
    expect(ttbar.correct.histogram.counts).toEqual([0, 0, 0, 1, 1]);
    expect(summary.byClass.ZJetsToNuNu!.wrong).toMatchObject({ n: 0, mean: null });
    expect(summary.all.all.mean!.estimate).toBeCloseTo(0.5, 12);
    expect(summary.all.wrong.n).toBe(1);
  });

  it('BAD CALLS: names the jet and field', () => {
    expect(() => aggregateByClass([{ ...jets[0]!, value: Number.NaN }])).toThrow(
      /jets\[0\].value: expected a finite number, got NaN/,
    );
    expect(() => aggregateByClass([{ ...jets[0]!, trueClass: 1 as never }])).toThrow(TypeError);
    expect(() => aggregateByClass('x' as never)).toThrow(/jets: expected an array/);
  });
});

describe('correlateWithSubstructure', () => {
  it('correlates attention with each observable given, skipping undefined values', () => {
    const random = seededRandom(4);
    const fraction = Array.from({ length: 100 }, random);
    const softDropMass = fraction.map((f) => 170 * f + 20 * random());
    const tau32 = fraction.map((f, i) => (i % 10 === 0 ? Number.NaN : 1 - f + 0.3 * random()));
    const result = correlateWithSubstructure(fraction, { softDropMass, tau32 }, { resamples: 200 });
    expect(Object.keys(result)).toEqual(['softDropMass', 'tau32']);
    expect(result.softDropMass!.pearson.estimate).toBeGreaterThan(0.9);
    expect(result.tau32!.spearman.estimate).toBeLessThan(-0.6);
    expect(result.tau32!.spearman.n).toBe(90);
  });

  it('BAD CALL: an observable of the wrong length', () => {
    expect(() => correlateWithSubstructure([1, 2, 3], { tau21: [1, 2] })).toThrow(
      /substructure.tau21: expected 3 values, got 2/,
    );
  });
});
