import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bfloat16ToFloat32, halfToFloat32 } from '../../src/safetensors/dtype.js';
import { openSafetensors } from '../../src/safetensors/reader.js';
import { writeSafetensors } from '../../src/safetensors/writer.js';

const golden = new URL('../golden/vit/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'jetlens-safetensors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A file with a hand-written header, to break one thing at a time. */
function rawFile(name: string, header: unknown, dataBytes: number): string {
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  const path = join(scratch, name);
  writeFileSync(path, Buffer.concat([size, json, Buffer.alloc(dataBytes)]));
  return path;
}

describe('writeSafetensors + openSafetensors', () => {
  it('round-trips float32 tensors with the Hugging Face metadata', () => {
    const path = join(scratch, 'round-trip.safetensors');
    const a = { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, 6e-8]) };
    const b = { shape: [], data: Float32Array.from([42]) };
    writeSafetensors(path, [
      ['a', a],
      ['scalar', b],
    ]);

    const file = openSafetensors(path);
    try {
      expect(file.metadata).toEqual({ format: 'pt' });
      expect([...file.entries.keys()]).toEqual(['a', 'scalar']);
      expect(file.entries.get('a')).toMatchObject({ dtype: 'F32', shape: [2, 3], byteLength: 24 });
      expect(file.readFloat32('a')).toEqual(a);
      expect(file.readFloat32('scalar')).toEqual(b);
    } finally {
      file.close();
    }

    // the data starts 8-byte aligned, as the safetensors format recommends
    const headerSize = Number(readFileSync(path).readBigUInt64LE(0));
    expect(headerSize % 8).toBe(0);
  });

  it('reads the files that Hugging Face save_pretrained writes', () => {
    const file = openSafetensors(join(golden, 'tiny', 'model.safetensors'));
    try {
      expect(file.metadata).toEqual({ format: 'pt' });
      const projection = file.readFloat32('vit.embeddings.patch_embeddings.projection.weight');
      expect(projection.shape).toEqual([48, 3, 8, 8]);
      expect(projection.data.length).toBe(48 * 3 * 64);
    } finally {
      file.close();
    }
  });

  it('converts F16, BF16 and F64 to float32 like torch does', () => {
    const file = openSafetensors(join(golden, 'dtypes.safetensors'));
    try {
      const f32 = file.readFloat32('f32').data;
      expect(file.entries.get('f16')?.dtype).toBe('F16');
      expect(file.entries.get('bf16')?.dtype).toBe('BF16');
      expect(Array.from(file.readFloat32('f64').data)).toEqual(Array.from(f32));
      // every golden value but the last is exact in half precision
      const f16 = file.readFloat32('f16').data;
      expect(Array.from(f16.subarray(0, 6))).toEqual(Array.from(f32.subarray(0, 6)));
      expect(f16[6]).toBeCloseTo(-1e-3, 6);
      const bf16 = file.readFloat32('bf16').data;
      for (const [i, v] of f32.entries()) {
        expect(Math.abs(bf16[i]! - v)).toBeLessThanOrEqual(Math.abs(v) / 128);
      }
    } finally {
      file.close();
    }
  });
});

describe('halfToFloat32 / bfloat16ToFloat32', () => {
  it('decodes zero, normals, the largest half, subnormals, infinity and NaN', () => {
    const out = new Float32Array(7);
    halfToFloat32(Uint16Array.from([0x0000, 0x3c00, 0xc000, 0x7bff, 0x0001, 0xfc00, 0x7e00]), out);
    expect(Array.from(out)).toEqual([
      0,
      1,
      -2,
      65504,
      2 ** -24,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('decodes bfloat16 as the upper half of float32', () => {
    const out = new Float32Array(3);
    bfloat16ToFloat32(Uint16Array.from([0x3f80, 0xc040, 0x0000]), out);
    expect(Array.from(out)).toEqual([1, -3, 0]);
  });
});

describe('BAD CALL', () => {
  it('reports a truncated file, naming the first tensor cut off', () => {
    const path = join(scratch, 'truncated.safetensors');
    writeSafetensors(path, [
      ['first', { shape: [4], data: new Float32Array(4) }],
      ['second', { shape: [1000], data: new Float32Array(1000) }],
    ]);
    truncateSync(path, 2000);
    expect(() => openSafetensors(path)).toThrow(
      /truncated\.safetensors: tensor 'second' ends at byte \d+ but the file has 2000 bytes/,
    );
  });

  it('reports a file cut inside its header or shorter than the size field', () => {
    const path = join(scratch, 'short.safetensors');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    expect(() => openSafetensors(path)).toThrow(/file has 3 bytes, fewer than the 8-byte header/);

    const cut = rawFile('cut-header.safetensors', { a: 1 }, 0);
    truncateSync(cut, 10);
    expect(() => openSafetensors(cut)).toThrow(
      /header size \d+ does not fit in a file of 10 bytes/,
    );
  });

  it('reports a header that is not JSON', () => {
    const path = join(scratch, 'garbage.safetensors');
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(4n);
    writeFileSync(path, Buffer.concat([size, Buffer.from('{no}')]));
    expect(() => openSafetensors(path)).toThrow(/garbage\.safetensors: header is not valid JSON/);
  });

  it('reports a shape that does not match the byte span, and unknown dtypes', () => {
    const wrongSpan = rawFile(
      'span.safetensors',
      { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } },
      12,
    );
    expect(() => openSafetensors(wrongSpan)).toThrow(
      /tensor 'w': F32 \[2, 2\] needs 16 bytes, data_offsets span 12/,
    );
    const unknown = rawFile(
      'dtype.safetensors',
      { w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } },
      1,
    );
    expect(() => openSafetensors(unknown)).toThrow(/tensor 'w': unknown dtype "F8_E4M3"/);
    const badOffsets = rawFile(
      'offsets.safetensors',
      { w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } },
      4,
    );
    expect(() => openSafetensors(badOffsets)).toThrow(/data_offsets must be \[begin, end\]/);
  });

  it('refuses to read integer tensors as float32, unknown names, and closed files', () => {
    const path = rawFile(
      'ints.safetensors',
      { n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } },
      8,
    );
    const file = openSafetensors(path);
    expect(() => file.readFloat32('n')).toThrow(TypeError);
    expect(() => file.readFloat32('n')).toThrow(
      /tensor 'n' is I64; expected one of F64, F32, F16, BF16/,
    );
    expect(() => file.readFloat32('m')).toThrow(/no tensor named 'm'/);
    file.close();
    expect(() => file.readFloat32('n')).toThrow(/file is closed/);
  });

  it('refuses to write tensors whose data does not fit the shape, or twice-given names', () => {
    const path = join(scratch, 'bad-write.safetensors');
    expect(() =>
      writeSafetensors(path, [['w', { shape: [3], data: new Float32Array(2) }]]),
    ).toThrow(/tensor 'w' shape \[3\] holds 3 values, data has 2/);
    const t = { shape: [1], data: new Float32Array(1) };
    expect(() =>
      writeSafetensors(path, [
        ['w', t],
        ['w', t],
      ]),
    ).toThrow(/tensor 'w' given twice/);
    const notFloat = { shape: [1], data: [1] as unknown as Float32Array };
    expect(() => writeSafetensors(path, [['w', notFloat]])).toThrow(TypeError);
    expect(() => openSafetensors(42 as unknown as string)).toThrow(TypeError);
  });
});
