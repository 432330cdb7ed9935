import { describe, expect, it } from 'vitest';
import { prongRois, roiStatistics } from '../src/roi.js';
import type { ImageGridTransform } from '../src/types.js';
import { linearTransform } from './fixtures.js';

// 32 x 32 pixels over [-0.8, 0.8]^2: 0.05 per pixel, a prong at (0, 0) sits on a pixel corner.
const transform = linearTransform(32, 0.8);
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('prongRois', () => {
  it('centre coverage counts the 52 pixels whose centres lie within R = 0.2 (4 pixels)', () => {
    // Per quadrant, offsets (i + 0.5, j + 0.5) pixels with squares summing to <= 16: 4+4+3+2.
    const { rois, union } = prongRois([{ deta: 0, dphi: 0, pt: 100 }], transform);
    expect(sum(rois[0]!.coverage)).toBe(52);
    expect(sum(union)).toBe(52);
    expect(rois[0]!.centre).toEqual({ row: 16, col: 16 });
  });

  it('supersampled coverage converges to the disk area, π R^2', () => {
    const { rois } = prongRois([{ deta: 0.013, dphi: -0.021, pt: 1 }], transform, {
      coverage: 'supersample',
      supersample: 16,
    });
    expect(Math.abs(sum(rois[0]!.coverage) / (16 * Math.PI) - 1)).toBeLessThan(0.01);
    expect(rois[0]!.coverage.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('merges overlapping disks in the union', () => {
    const prongs = [
      { deta: 0, dphi: 0, pt: 3 },
      { deta: 0.1, dphi: 0, pt: 2 },
      { deta: -0.6, dphi: 0.6, pt: 1 },
    ];
    const { rois, union } = prongRois(prongs, transform, { radius: 0.15 });
    const each = rois.map((roi) => sum(roi.coverage));
    const unionArea = sum(union);
    expect(unionArea).toBeLessThan(each[0]! + each[1]! + each[2]!);
    expect(unionArea).toBeGreaterThan(each[0]! + each[2]!);
    expect(union.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('keeps up to maxProngs hardest prongs', () => {
    const prongs = [1, 5, 3, 4].map((pt, i) => ({ deta: -0.6 + 0.4 * i, dphi: 0, pt }));
    const { rois } = prongRois(prongs, transform);
    expect(rois.map((r) => r.prong.pt)).toEqual([5, 4, 3]);
  });

  it('follows the transform: a flipped image moves the ROI with it', () => {
    const flipped: ImageGridTransform = {
      width: 32,
      height: 32,
      toPixel: (deta, dphi) => transform.toPixel(-deta, dphi),
      toDetaDphi: (row, col) => {
        const p = transform.toDetaDphi(row, col);
        return { deta: -p.deta, dphi: p.dphi };
      },
    };
    const prong = [{ deta: 0.5, dphi: 0, pt: 1 }];
    const normal = prongRois(prong, transform).rois[0]!;
    const mirrored = prongRois(prong, flipped).rois[0]!;
    // Row 16, col 26 (Δη = +0.525) is inside normally; its mirror col 5 when flipped.
    expect(normal.coverage[16 * 32 + 26]).toBe(1);
    expect(normal.coverage[16 * 32 + 5]).toBe(0);
    expect(mirrored.coverage[16 * 32 + 5]).toBe(1);
    expect(mirrored.centre.col).toBeCloseTo(6, 12);
  });

  it('BAD CALLS: names the option or transform field', () => {
    const prong = [{ deta: 0, dphi: 0, pt: 1 }];
    expect(() => prongRois(prong, transform, { radius: 0 })).toThrow(
      /roi.radius: expected a radius > 0/,
    );
    expect(() => prongRois(prong, transform, { radius: -1 })).toThrow(RangeError);
    expect(() => prongRois(prong, transform, { coverage: 'area' as never })).toThrow(
      /roi.coverage: expected one of centre, supersample, got "area"/,
    );
    expect(() => prongRois(prong, transform, { supersample: 2.5 })).toThrow(/roi.supersample/);
    expect(() => prongRois(prong, { ...transform, toPixel: undefined } as never)).toThrow(
      /transform.toPixel: expected a function/,
    );
    expect(() => prongRois(prong, { ...transform, width: 0 })).toThrow(/transform.width/);
  });
});

describe('roiStatistics', () => {
  const image = (values: number[]) => ({ values: Float32Array.from(values), rows: 2, cols: 2 });

  it('gives fraction, mean inside, area fraction and enrichment', () => {
    const stats = roiStatistics(image([0.4, 0.1, 0.2, 0.3]), Float32Array.from([1, 0, 0, 0.5]));
    expect(stats.attentionFraction).toBeCloseTo(0.55, 6);
    expect(stats.meanAttention).toBeCloseTo(0.55 / 1.5, 6);
    expect(stats.areaFraction).toBeCloseTo(0.375, 6);
    expect(stats.enrichment).toBeCloseTo(0.55 / 0.375, 6);
    expect(stats.pixels).toBe(1.5);
  });

  it('uniform attention gives enrichment 1', () => {
    const { rois, union } = prongRois([{ deta: 0.2, dphi: -0.1, pt: 1 }], transform, {
      coverage: 'supersample',
    });
    const uniform = { values: new Float32Array(1024).fill(1 / 1024), rows: 32, cols: 32 };
    expect(roiStatistics(uniform, rois[0]!.coverage).enrichment).toBeCloseTo(1, 6);
    expect(roiStatistics(uniform, union).enrichment).toBeCloseTo(1, 6);
  });

  it('gives null mean and enrichment for a region off the image', () => {
    const stats = roiStatistics(image([1, 1, 1, 1]), new Float32Array(4));
    expect(stats).toEqual({
      attentionFraction: 0,
      meanAttention: null,
      areaFraction: 0,
      enrichment: null,
      pixels: 0,
    });
  });

  it('BAD CALLS: rejects negative, NaN or empty maps and a coverage of the wrong size', () => {
    expect(() => roiStatistics(image([1, -1, 0, 0]), new Float32Array(4))).toThrow(
      /map.values\[1\]: expected a finite attention >= 0, got -1/,
    );
    expect(() => roiStatistics(image([1, Number.NaN, 0, 0]), new Float32Array(4))).toThrow(/NaN/);
    expect(() => roiStatistics(image([0, 0, 0, 0]), new Float32Array(4))).toThrow(/map of zeros/);
    expect(() => roiStatistics(image([1, 0, 0, 0]), new Float32Array(3))).toThrow(
      /coverage: expected 4 values, got 3/,
    );
  });
});
