import { describe, expect, it } from 'vitest';
import { viewAttention } from '../src/attention-tensor.js';
import { discardLowest, fuseHeads, normaliseRows } from '../src/layer-attention.js';
import { attentionFromRows } from './fixtures.js';

describe('fuseHeads', () => {
  const view = viewAttention(
    attentionFromRows([
      [
        [
          [0.2, 0.8],
          [0.6, 0.4],
        ],
        [
          [0.4, 0.6],
          [0.1, 0.9],
        ],
      ],
    ]),
  );

  it('fuses element by element with mean, max and min', () => {
    const out = new Float64Array(4);
    fuseHeads(view, 0, 0, 'mean', 2, out);
    expect(Array.from(out, (v) => Number(v.toFixed(6)))).toEqual([0.3, 0.7, 0.35, 0.65]);
    fuseHeads(view, 0, 0, 'max', 2, out);
    expect(Array.from(out, (v) => Number(v.toFixed(6)))).toEqual([0.4, 0.8, 0.6, 0.9]);
    fuseHeads(view, 0, 0, 'min', 2, out);
    expect(Array.from(out, (v) => Number(v.toFixed(6)))).toEqual([0.2, 0.6, 0.1, 0.4]);
  });

  it('computes only the rows asked for', () => {
    const out = new Float64Array(4).fill(-1);
    fuseHeads(view, 0, 0, 'mean', 1, out);
    expect(out[2]).toBe(-1);
  });
});

describe('discardLowest', () => {
  it('zeroes floor(ratio * tokens^2) lowest entries, sparing CLS-to-CLS', () => {
    const matrix = Float64Array.from([0.01, 0.5, 0.2, 0.3, 0.05, 0.9, 0.4, 0.6, 0.02]);
    discardLowest(matrix, 3, 0.4);
    // floor(3.6) = 3 lowest: 0.01 (CLS-to-CLS, kept), 0.02 and 0.05.
    expect(Array.from(matrix)).toEqual([0.01, 0.5, 0.2, 0.3, 0, 0.9, 0.4, 0.6, 0]);
  });

  it('breaks ties at the threshold by position', () => {
    const matrix = Float64Array.from([1, 0.1, 0.1, 0.1]);
    discardLowest(matrix, 2, 0.5);
    expect(Array.from(matrix)).toEqual([1, 0, 0, 0.1]);
  });

  it('does nothing when the count rounds to zero', () => {
    const matrix = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    discardLowest(matrix, 2, 0.2);
    expect(Array.from(matrix)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });
});

describe('normaliseRows', () => {
  it('adds the identity and makes every row sum to one', () => {
    const matrix = Float64Array.from([0.5, 0.5, 0, 0.2]);
    normaliseRows(matrix, 2, 2, true);
    expect(Array.from(matrix)).toEqual([0.75, 0.25, 0, 1]);
  });

  it('leaves a row with no attention at zero instead of NaN', () => {
    const matrix = Float64Array.from([0, 0, 0.25, 0.75]);
    normaliseRows(matrix, 2, 2, false);
    expect(Array.from(matrix)).toEqual([0, 0, 0.25, 0.75]);
  });
});
