import { describe, expect, it } from 'vitest';
import { viewAttention } from '../src/attention-tensor.js';
import { discardLowest, fuseHeadRow, fuseHeads, normaliseRows } from '../src/layer-attention.js';
import { attentionFromRows, randomAttention, testRandom } from './fixtures.js';

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
  /** Row `query` of layer 1, sample 1, fused head by head straight from the data. */
  function expectedRow(data: Float32Array, heads: number, tokens: number, query: number) {
    const square = tokens * tokens;
    const layerStart = (1 * 2 + 1) * heads * square;
    return ['mean', 'max', 'min'].map((fusion) =>
      Array.from({ length: tokens }, (_, key) => {
        const values = Array.from(
          { length: heads },
          (_, head) => data[layerStart + head * square + query * tokens + key]!,
        );
        if (fusion === 'max') return Math.max(...values);
        if (fusion === 'min') return Math.min(...values);
        return values.reduce((a, b) => a + b, 0);
      }),
    );
  }

  // Twelve or six heads go in one pass and the rest one by one: these counts take every mix.
  for (const heads of [1, 5, 6, 7, 12, 13, 19, 25]) {
    it(`fuses each row of ${heads} heads (the sum for mean) and returns its total`, () => {
      const tokens = 5;
      const attention = randomAttention(heads, 2, 2, heads, tokens);
      const view = viewAttention(attention);
      const row = new Float64Array(tokens);
      for (let query = 0; query < tokens; query++) {
        const expected = expectedRow(attention.data as Float32Array, heads, tokens, query);
        (['mean', 'max', 'min'] as const).forEach((fusion, f) => {
          const total = fuseHeadRow(view.layer(1, 1), query, fusion, row);
          let expectedTotal = 0;
          for (let k = 0; k < tokens; k++) {
            const value = expected[f]![k]!;
            expect(row[k]!, `${fusion} row ${query} key ${k}`).toBeCloseTo(value, 14);
            expectedTotal += value;
          }
          expect(total).toBeCloseTo(expectedTotal, 13);
        });
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

  it('zeroes what the sort-based rule zeroes, with ties and NaN, reusing a scratch buffer', () => {
    // The rule as first written: sort a copy, take the value at count - 1 as the threshold.
    function bySorting(matrix: Float64Array, tokens: number, ratio: number) {
      const count = Math.floor(tokens * tokens * ratio);
      const sorted = Float64Array.from(matrix).sort();
      const threshold = sorted[count - 1]!;
      let tiesLeft = count - sorted.subarray(0, count).filter((v) => v < threshold).length;
      return matrix.map((value, i) => {
        let drop = value < threshold;
        if (value === threshold && tiesLeft > 0) {
          drop = true;
          tiesLeft--;
        }
        return drop && i !== 0 ? 0 : value;
      });
    }

    const random = testRandom(21);
    const tokens = 9;
    const scratch = new Float64Array(tokens * tokens);
    for (const kind of ['random', 'ties', 'nan', 'mostly nan']) {
      for (const ratio of [0.1, 0.5, 0.9, 0.99]) {
        const matrix = Float64Array.from({ length: tokens * tokens }, () => {
          if (kind === 'ties') return Math.floor(random() * 3) / 4;
          if (kind === 'nan' && random() < 0.1) return Number.NaN;
          if (kind === 'mostly nan' && random() < 0.8) return Number.NaN;
          return random();
        });
        const expected = bySorting(matrix, tokens, ratio);
        discardLowest(matrix, tokens, ratio, scratch);
        expect(Array.from(matrix), `${kind}, ratio ${ratio}`).toEqual(Array.from(expected));
      }
    }
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
