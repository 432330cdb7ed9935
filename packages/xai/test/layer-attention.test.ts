import { describe, expect, it } from 'vitest';
import { viewAttention } from '../src/attention-tensor.js';
import { discardLowest, fuseHeadRow, fuseHeads, normaliseRows } from '../src/layer-attention.js';
import { attentionFromRows, randomAttention } from './fixtures.js';

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

describe('fuseHeadRow', () => {
  // Twelve or six heads go in one pass and the rest one by one: these counts take every mix.
  for (const heads of [1, 5, 6, 7, 12, 13, 19, 25]) {
    it(`gives each row of fuseHeads with ${heads} heads, and its total`, () => {
      const tokens = 5;
      const view = viewAttention(randomAttention(heads, 2, 2, heads, tokens));
      const whole = new Float64Array(tokens * tokens);
      const row = new Float64Array(tokens);
      for (const fusion of ['mean', 'max', 'min'] as const) {
        fuseHeads(view, 1, 1, fusion, tokens, whole);
        for (let query = 0; query < tokens; query++) {
          const total = fuseHeadRow(view.layer(1, 1), query, fusion, row);
          // The mean's row is the sum over heads; the caller divides.
          const scale = fusion === 'mean' ? 1 / heads : 1;
          let expectedTotal = 0;
          for (let k = 0; k < tokens; k++) {
            const expected = whole[query * tokens + k]!;
            expect(row[k]! * scale, `${fusion} row ${query} key ${k}`).toBeCloseTo(expected, 14);
            expectedTotal += expected;
          }
          expect(total * scale).toBeCloseTo(expectedTotal, 14);
        }
      }
    });
  }

  it('reads one array per layer the same as one array for all', () => {
    const single = randomAttention(3, 2, 2, 7, 4);
    const data = single.data as Float32Array;
    const perLayer = [0, 1].map((layer) => {
      const out = new Float32Array(2 * 7 * 16);
      for (let sample = 0; sample < 2; sample++) {
        const from = (sample * 2 + layer) * 7 * 16;
        out.set(data.subarray(from, from + 7 * 16), sample * 7 * 16);
      }
      return out;
    });
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    const totalA = fuseHeadRow(viewAttention(single).layer(1, 1), 2, 'mean', a);
    const totalB = fuseHeadRow(
      viewAttention({ ...single, data: perLayer }).layer(1, 1),
      2,
      'mean',
      b,
    );
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(totalB).toBe(totalA);
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
