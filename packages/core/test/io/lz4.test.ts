import { describe, expect, it } from 'vitest';
import { lz4DecodeBlock } from '../../src/io/lz4.js';

const decode = (block: number[], size: number) => {
  const out = new Uint8Array(size);
  const n = lz4DecodeBlock(Uint8Array.from(block), out, 0);
  return { n, out: [...out.subarray(0, Math.max(n, 0))] };
};

describe('lz4DecodeBlock', () => {
  it('decodes a block of literals only', () => {
    expect(decode([0x30, 1, 2, 3], 3)).toEqual({ n: 3, out: [1, 2, 3] });
  });

  it('decodes an overlapping match (a run) and a non-overlapping one', () => {
    // literal 7, then a match of 4 + 2 = 6 at offset 1: seven 7s; then literal 9
    expect(decode([0x12, 7, 1, 0, 0x10, 9], 8)).toEqual({ n: 8, out: [7, 7, 7, 7, 7, 7, 7, 9] });
    // literals 1 2 3 4 5, match of 4 at offset 5 (copyWithin), final literal 6
    expect(decode([0x50, 1, 2, 3, 4, 5, 5, 0, 0x10, 6], 10)).toEqual({
      n: 10,
      out: [1, 2, 3, 4, 5, 1, 2, 3, 4, 6],
    });
  });

  it('decodes length extension bytes for long literal runs', () => {
    const literals = Array.from({ length: 300 }, (_, k) => k % 251);
    // 15 + 255 + 30 = 300 literals
    const { n, out } = decode([0xf0, 255, 30, ...literals], 300);
    expect(n).toBe(300);
    expect(out).toEqual(literals);
  });

  it('writes at an offset into the output', () => {
    const out = new Uint8Array(5);
    expect(lz4DecodeBlock(Uint8Array.from([0x20, 8, 9]), out, 3)).toBe(2);
    expect([...out]).toEqual([0, 0, 0, 8, 9]);
  });

  it('BAD CALL: an offset before the start, a zero offset, or too little room', () => {
    expect(decode([0x10, 7, 5, 0], 10).n).toBe(-1);
    expect(decode([0x10, 7, 0, 0], 10).n).toBe(-1);
    expect(decode([0x30, 1, 2, 3], 2).n).toBe(-1);
    expect(decode([0x30, 1], 5).n).toBe(-1);
  });
});
