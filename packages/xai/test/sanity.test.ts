import { describe, expect, it } from 'vitest';
import { sanityReport, shufflePixels } from '../src/sanity.js';
import { seededRandom } from '../src/stats/random.js';

function blob(row: number, col: number) {
  const values = new Float32Array(256);
  for (let r = 0; r < 16; r++) {
    for (let c = 0; c < 16; c++)
      values[r * 16 + c] = Math.exp(-((r - row) ** 2 + (c - col) ** 2) / 8);
  }
  return { values, rows: 16, cols: 16 };
}

describe('shufflePixels', () => {
  it('moves whole pixels with one permutation across channels, seeded', () => {
    const image = Float32Array.from({ length: 2 * 9 }, (_, i) => (i < 9 ? i : 100 + i - 9));
    const shape = { channels: 2, height: 3, width: 3 };
    const { image: shuffled, permutation } = shufflePixels(image, shape, 17);
    for (let i = 0; i < 9; i++) expect(shuffled[9 + i]! - shuffled[i]!).toBe(100);
    expect(Array.from(shuffled.slice(0, 9)).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(Array.from(shuffled.slice(0, 9))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(shufflePixels(image, shape, 17).permutation).toEqual(permutation);
  });

  it('BAD CALLS: an image that does not fit its shape', () => {
    expect(() =>
      shufflePixels(new Float32Array(8), { channels: 1, height: 3, width: 3 }, 1),
    ).toThrow(/image: expected 9 values, got 8/);
    expect(() =>
      shufflePixels(new Float32Array(9), { channels: 0, height: 3, width: 3 }, 1),
    ).toThrow(/shape.channels/);
  });
});

describe('sanityReport', () => {
  const trained = [0, 1, 2, 3, 4].map((i) => ({
    event: `e${i}`,
    map: blob(4 + i, 6),
    attentionFraction: 0.6 + 0.02 * i,
  }));

  it('tells a barely changed variant from a randomised one', () => {
    const random = seededRandom(5);
    const nearlySame = trained.map((jet) => ({
      ...jet,
      map: { ...jet.map, values: jet.map.values.map((v) => v + 0.01 * random()) },
      attentionFraction: jet.attentionFraction - 0.01,
    }));
    const randomised = trained.map((jet) => ({
      event: jet.event,
      map: { ...jet.map, values: jet.map.values.map(() => random()) },
      attentionFraction: 0.2,
    }));
    const report = sanityReport(trained, { topLayersReinit: nearlySame, randomInit: randomised });
    expect(report.topLayersReinit!.rankCorrelation.estimate).toBeGreaterThan(0.8);
    expect(report.randomInit!.rankCorrelation.estimate).toBeLessThan(0.3);
    expect(report.randomInit!.ssim.estimate).toBeLessThan(report.topLayersReinit!.ssim.estimate);
    expect(report.randomInit!.hogDistance.estimate).toBeGreaterThan(
      report.topLayersReinit!.hogDistance.estimate,
    );
    expect(report.topLayersReinit!.attentionFractionChange!.mean!.estimate).toBeCloseTo(-0.01, 9);
    expect(report.randomInit!.attentionFractionChange!.mean!.estimate).toBeCloseTo(-0.44, 9);
    expect(report.randomInit!.perJet).toHaveLength(5);
  });

  it('BAD CALLS: a variant jet the trained run does not have', () => {
    expect(() =>
      sanityReport(trained, { shuffledPixels: [{ event: 'x', map: blob(1, 1) }] }),
    ).toThrow(/variants.shuffledPixels\[0\].event: "x" is not among the trained jets/);
    expect(() => sanityReport(trained, { randomInit: [] })).toThrow(/expected jets, got none/);
    expect(() => sanityReport([trained[0]!, trained[0]!], {})).toThrow(/repeated events/);
  });
});
