import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_CONFIG, ImageTransform } from '../../src/images/index.js';

const frame = {
  centre: { deta: 0.1, dphi: -0.05 },
  rotation: 0.7,
  flipDeta: true,
  flipDphi: false,
};

describe('ImageTransform', () => {
  const t = new ImageTransform({ ...DEFAULT_IMAGE_CONFIG }, [frame], [[0]]);

  it('maps the window corners to the image corners (identity frame)', () => {
    const id = new ImageTransform(
      { ...DEFAULT_IMAGE_CONFIG },
      [{ centre: { deta: 0, dphi: 0 }, rotation: 0, flipDeta: false, flipDphi: false }],
      [[0]],
    );
    expect(id.toPixel(0, -0.8, 0.8)).toEqual({ row: 0, col: 0 });
    const far = id.toPixel(0, 0.8, -0.8);
    expect(far.row).toBeCloseTo(33, 12);
    expect(far.col).toBeCloseTo(33, 12);
  });

  it('inverts itself', () => {
    for (const [deta, dphi] of [
      [0.3, 0.2],
      [-0.5, 0.1],
      [0, -0.7],
    ] as const) {
      const p = t.toPixel(0, deta, dphi);
      const back = t.fromPixel(0, p.row, p.col);
      expect(back.deta).toBeCloseTo(deta, 12);
      expect(back.dphi).toBeCloseTo(dphi, 12);
    }
  });

  it('puts the frame centre in the middle of the image', () => {
    const p = t.toPixel(0, 0.1, -0.05);
    expect(p.row).toBeCloseTo(16.5, 12);
    expect(p.col).toBeCloseTo(16.5, 12);
  });

  it('BAD CALL: a jet index it does not know, or JSON that is not a transform', () => {
    expect(() => t.toPixel(3, 0, 0)).toThrow(
      new RangeError('jet must be an index in [0, 1), got 3'),
    );
    expect(() => ImageTransform.fromJSON({ kind: 'other' })).toThrow(
      new TypeError("not an image transform (expected kind 'jetlens.image-transform')"),
    );
    expect(() => ImageTransform.fromJSON({ ...t.toJSON(), version: 2 })).toThrow(
      new RangeError('image transform version must be 1, got 2'),
    );
  });
});
