import { describe, expect, it } from 'vitest';
import { mapToImage } from '../src/resample.js';

const grid = (values: number[], rows: number, cols: number) => ({
  values: Float32Array.from(values),
  rows,
  cols,
});

describe('mapToImage', () => {
  it('nearest repeats each patch over the pixels it covers', () => {
    const image = mapToImage(grid([1, 2, 3, 4], 2, 2), { width: 4, height: 4 }, 'nearest');
    expect(Array.from(image.values)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect([image.rows, image.cols]).toEqual([4, 4]);
  });

  it('nearest also shrinks (model input finer than the jet image)', () => {
    const image = mapToImage(grid([1, 2, 3, 4], 1, 4), { width: 2, height: 1 }, 'nearest');
    expect(Array.from(image.values)).toEqual([2, 4]);
  });

  it('bilinear interpolates between patch centres and clamps at the edges', () => {
    const image = mapToImage(grid([0, 1], 1, 2), { width: 4, height: 2 }, 'bilinear');
    expect(Array.from(image.values)).toEqual([0, 0.25, 0.75, 1, 0, 0.25, 0.75, 1]);
  });

  it('bilinear keeps a constant map constant on a non-square grid', () => {
    const image = mapToImage(
      grid(new Array(6).fill(0.5), 2, 3),
      { width: 7, height: 5 },
      'bilinear',
    );
    expect(image.values.every((v) => v === 0.5)).toBe(true);
  });

  it('BAD CALLS: names the argument', () => {
    expect(() => mapToImage(grid([1, 2], 1, 3), { width: 2, height: 2 }, 'nearest')).toThrow(
      /map.values: expected 3 values, got 2/,
    );
    expect(() => mapToImage(grid([1], 1, 1), { width: 0, height: 2 }, 'nearest')).toThrow(
      /size.width: expected a positive integer, got 0/,
    );
    expect(() => mapToImage(grid([1], 1, 1), { width: 2, height: 2 }, 'cubic' as never)).toThrow(
      /resampling: expected one of nearest, bilinear, got "cubic"/,
    );
    expect(() =>
      mapToImage({ values: [1] as never, rows: 1, cols: 1 }, { width: 1, height: 1 }, 'nearest'),
    ).toThrow(TypeError);
  });
});
