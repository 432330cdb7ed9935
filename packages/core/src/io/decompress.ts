import { inflateSync, zstdDecompressSync } from 'node:zlib';
import { R__unzip } from 'jsroot/io';
import { lz4DecodeBlock } from './lz4.js';

// Every compressed ROOT block starts with a 9-byte header: a two-letter algorithm tag, a
// method byte, then the compressed and uncompressed sizes as 3-byte little-endian integers.
const HEADER = 9;

function blockSizes(bytes: Uint8Array, at: number): { compressed: number; raw: number } {
  const u24 = (o: number) => bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16);
  return { compressed: u24(at + 3), raw: u24(at + 6) };
}

/** The two-letter algorithm tag of the first block: ZL (zlib), ZS (zstd), L4 (lz4), XZ (lzma). */
export function compressionTag(bytes: Uint8Array): string {
  return String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
}

// An L4 block carries an 8-byte xxhash64 checksum of its compressed data before the data.
const LZ4_CHECKSUM = 8;

/**
 * Decompresses a ROOT record of `rawSize` bytes. zlib and zstd blocks go through Node's native
 * codecs, lz4 through JetLens' decoder, lzma and the old CS format through jsroot's. Returns
 * null when the data do not decompress to the announced size, so the caller can say which
 * basket is broken. (The lz4 checksum is not verified: a damaged block fails to decode to the
 * announced size instead.)
 */
export async function decompressRecord(
  bytes: Uint8Array,
  rawSize: number,
): Promise<Uint8Array | null> {
  const tag = compressionTag(bytes);
  if (tag !== 'ZL' && tag !== 'ZS' && tag !== 'L4') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: DataView | null = await R__unzip(view, rawSize, true);
    return out ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : null;
  }

  const out = new Uint8Array(rawSize);
  let src = 0;
  let dst = 0;
  while (dst < rawSize) {
    if (src + HEADER > bytes.length) return null;
    const { compressed, raw } = blockSizes(bytes, src);
    const block = bytes.subarray(src + HEADER, src + HEADER + compressed);
    const blockTag = compressionTag(bytes.subarray(src));
    if (dst + raw > rawSize) return null;
    if (blockTag === 'L4') {
      const n = lz4DecodeBlock(block.subarray(LZ4_CHECKSUM), out.subarray(0, dst + raw), dst);
      if (n !== raw) return null;
    } else {
      let chunk: Buffer;
      try {
        chunk = blockTag === 'ZS' ? zstdDecompressSync(block) : inflateSync(block);
      } catch {
        return null;
      }
      if (chunk.length !== raw) return null;
      out.set(chunk, dst);
    }
    dst += raw;
    src += HEADER + compressed;
  }
  return out;
}
