import { describe, expect, it } from 'vitest';
import {
  decodeFloat16,
  encodeFloat16,
  fromFloat16Bits,
  toFloat16Bits,
} from '../../src/store/float16.js';

describe('float16', () => {
  it('encodes the values IEEE 754 names exactly', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(0.5)).toBe(0x3800);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(0)).toBe(0);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
  });

  it('round-trips attention values to within half a unit in the last place', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000 / 3);
    const back = decodeFloat16(encodeFloat16(values));
    expect(back).toHaveLength(values.length);
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(
        Math.max(values[i]! * 2 ** -11, 2 ** -25),
      );
    }
  });

  it('BAD CALL: an odd number of bytes', () => {
    expect(() => decodeFloat16(new Uint8Array(3))).toThrow(
      new RangeError('float16 data must have an even number of bytes, got 3'),
    );
  });
});
