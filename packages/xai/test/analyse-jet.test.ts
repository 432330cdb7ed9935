import { describe, expect, it } from 'vitest';
import { analyseBatch, analyseJet } from '../src/analyse-jet.js';
import { attentionFromRows, linearTransform, randomAttention } from './fixtures.js';

// 4 x 4 patches over a 32 x 32 jet image spanning ±0.8: each patch is 8 x 8 pixels, 0.4 wide.
const transform = linearTransform(32, 0.8);
const grid = { rows: 4, cols: 4 };

function oneHotAttention(patch: number) {
  const tokens = 17;
  const rows = Array.from({ length: tokens }, (_, q) =>
    Array.from({ length: tokens }, (_, k) => (q === 0 ? (k === patch + 1 ? 1 : 0) : 1 / tokens)),
  );
  return attentionFromRows([[rows]]);
}

describe('analyseJet', () => {
  it('attention on one patch inside a ROI gives fraction 1', () => {
    // Patch (1, 2) spans Δη in [0, 0.4], Δφ in [0, 0.4]; a disk of 0.3 around its centre holds it.
    const result = analyseJet({
      attention: oneHotAttention(1 * 4 + 2),
      grid,
      transform,
      prongs: [{ deta: 0.2, dphi: 0.2, pt: 80 }],
      options: { map: { residual: false }, resampling: 'nearest', roi: { radius: 0.3 } },
    });
    expect(result.rois[0]!.attentionFraction).toBe(1);
    expect(result.union.attentionFraction).toBe(1);
    expect(result.rois[0]!.enrichment).toBeCloseTo(1 / result.rois[0]!.areaFraction, 6);
    expect(result.betweenProngs!.queryPatches).toBe(1);
  });

  it('uniform attention gives enrichment 1 for every ROI and the union', () => {
    const tokens = 17;
    const uniform = Array.from({ length: tokens }, () => new Array(tokens).fill(1 / tokens));
    const result = analyseJet({
      attention: attentionFromRows([[uniform], [uniform]]),
      grid,
      transform,
      prongs: [
        { deta: 0.1, dphi: 0.1, pt: 3 },
        { deta: -0.3, dphi: 0.2, pt: 2 },
        { deta: 0.2, dphi: -0.4, pt: 1 },
      ],
    });
    expect(result.rois).toHaveLength(3);
    for (const roi of [...result.rois, result.union]) expect(roi.enrichment).toBeCloseTo(1, 6);
  });

  it('returns its resolved options with a stable hash', () => {
    const input = {
      attention: randomAttention(3, 1, 2, 2, 17),
      grid,
      transform,
      prongs: [{ deta: 0, dphi: 0, pt: 1 }],
    };
    const a = analyseJet(input);
    const b = analyseJet({ ...input, options: { resampling: 'bilinear', roi: { radius: 0.2 } } });
    const c = analyseJet({ ...input, options: { resampling: 'nearest' } });
    expect(a.options.resampling).toBe('bilinear');
    expect(a.options.roi.radius).toBe(0.2);
    expect(a.optionsHash).toBe(b.optionsHash);
    expect(c.optionsHash).not.toBe(a.optionsHash);
    expect([a.imageMap.rows, a.imageMap.cols]).toEqual([32, 32]);
  });

  it('BAD CALLS: names the bad option', () => {
    const input = {
      attention: randomAttention(3, 1, 1, 1, 17),
      grid,
      transform,
      prongs: [{ deta: 0, dphi: 0, pt: 1 }],
    };
    expect(() => analyseJet({ ...input, options: { resampling: 'area' as never } })).toThrow(
      /options.resampling: expected one of nearest, bilinear/,
    );
    expect(() => analyseJet({ ...input, options: { betweenProngs: 1 as never } })).toThrow(
      /options.betweenProngs: expected a boolean, got 1/,
    );
  });
});

describe('analyseBatch', () => {
  it('analyses each sample with its own prongs, as analyseJet does alone', () => {
    const attention = randomAttention(5, 2, 2, 2, 17);
    const prongs = [[{ deta: 0.2, dphi: 0.2, pt: 1 }], [{ deta: -0.4, dphi: 0.1, pt: 1 }]];
    const batch = analyseBatch({ attention, grid, transform, prongs });
    const second = analyseJet({ attention, grid, transform, prongs: prongs[1]!, sample: 1 });
    expect(batch).toHaveLength(2);
    expect(batch[1]!.union).toEqual(second.union);
    expect(batch[0]!.union).not.toEqual(second.union);
  });

  it('BAD CALL: a prong list per sample is required', () => {
    const attention = randomAttention(5, 2, 1, 1, 17);
    expect(() => analyseBatch({ attention, grid, transform, prongs: [[]] })).toThrow(
      /prongs: expected one list of prongs per sample \(2\), got an array of length 1/,
    );
  });
});
