import { describe, expect, it } from 'vitest';
import { selectKth } from '../../src/stats/select.js';
import { testRandom } from '../fixtures.js';

function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

describe('selectKth', () => {
  it('gives the value sorting puts at every position, on random values', () => {
    const random = testRandom(4);
    const values = Float64Array.from({ length: 301 }, () => random() - 0.5);
    const sorted = sortedCopy(values);
    for (let k = 0; k < values.length; k++) {
      expect(selectKth(Float64Array.from(values), values.length, k), `k = ${k}`).toBe(sorted[k]);
    }
  });

  it('handles heavy ties, sorted, reversed and constant input', () => {
    const random = testRandom(9);
    const cases = [
      Float64Array.from({ length: 500 }, () => Math.floor(random() * 4)),
      Float64Array.from({ length: 200 }, (_, i) => i),
      Float64Array.from({ length: 200 }, (_, i) => 200 - i),
      new Float64Array(100).fill(0.25),
      Float64Array.from([3]),
    ];
    for (const values of cases) {
      const sorted = sortedCopy(values);
      for (const k of [0, 1, values.length >> 1, values.length - 2, values.length - 1]) {
        if (k < 0 || k >= values.length) continue;
        expect(selectKth(Float64Array.from(values), values.length, k)).toBe(sorted[k]);
      }
    }
  });

  it('looks only at the first length values', () => {
    const values = Float64Array.from([5, 1, 4, -100, -200]);
    expect(selectKth(values, 3, 0)).toBe(1);
    expect(selectKth(values, 3, 2)).toBe(5);
  });
});
