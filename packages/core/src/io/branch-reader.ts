import { type BranchLayout, ELEMENT_SIZE, type RootElementType } from './branch-layout.js';
import { decompressRecord } from './decompress.js';
import { RootReadError } from './errors.js';
import type { RootFile } from './root-file.js';

/** Values as JavaScript reads them: float32 stays float32, wide integers become float64. */
export type NumericArray = Float32Array | Float64Array | Int32Array;

/**
 * Entries `[first, first + count)` of one branch. For jagged branches `offsets[i]..offsets[i+1]`
 * is entry `first + i` in `values` (`offsets.length === count + 1`); for scalars it is null.
 */
export interface Column {
  first: number;
  count: number;
  values: NumericArray;
  offsets: Int32Array | null;
}

export function allocate(type: RootElementType, length: number): NumericArray {
  if (type === 'float32') return new Float32Array(length);
  if (type === 'float64' || type === 'int64' || type === 'uint64' || type === 'uint32') {
    return new Float64Array(length);
  }
  return new Int32Array(length);
}

/** Decodes `n` big-endian values of `type` at `at` into `out[outAt..]`. */
function decodeValues(
  view: DataView,
  at: number,
  n: number,
  type: RootElementType,
  out: NumericArray,
  outAt: number,
): void {
  switch (type) {
    // DataView per value measured faster here than copying and byte-swapping words
    case 'float32':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getFloat32(at + 4 * i);
      return;
    case 'int32':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getInt32(at + 4 * i);
      return;
    case 'float64':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getFloat64(at + 8 * i);
      return;
    case 'uint32':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getUint32(at + 4 * i);
      return;
    case 'int16':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getInt16(at + 2 * i);
      return;
    case 'uint16':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getUint16(at + 2 * i);
      return;
    case 'int8':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getInt8(at + i);
      return;
    case 'uint8':
    case 'bool':
      for (let i = 0; i < n; i++) out[outAt + i] = view.getUint8(at + i);
      return;
    case 'int64':
      for (let i = 0; i < n; i++) out[outAt + i] = Number(view.getBigInt64(at + 8 * i));
      return;
    case 'uint64':
      for (let i = 0; i < n; i++) out[outAt + i] = Number(view.getBigUint64(at + 8 * i));
      return;
  }
}

/**
 * `n` consecutive values at `payload[at..]`. float32, int32 and float64 are byte-swapped in
 * place by Node's native Buffer.swap32/swap64 and returned as a view on the payload (the
 * payload is this reader's own decompressed copy); other types are decoded value by value.
 */
function contiguousValues(
  payload: Uint8Array,
  at: number,
  n: number,
  type: RootElementType,
): NumericArray {
  const size = ELEMENT_SIZE[type];
  const native = type === 'float32' || type === 'int32' || type === 'float64';
  if (!native) {
    const out = allocate(type, n);
    decodeValues(
      new DataView(payload.buffer, payload.byteOffset, payload.byteLength),
      at,
      n,
      type,
      out,
      0,
    );
    return out;
  }

  let bytes = payload.subarray(at, at + n * size);
  // typed-array views need aligned offsets; an uncompressed basket may not give one
  // (a copy: payloads of uncompressed baskets are Buffers, whose slice() is a view)
  if (bytes.byteOffset % size !== 0) bytes = new Uint8Array(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4) buffer.swap32();
  else buffer.swap64();
  if (type === 'float32') return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  if (type === 'int32') return new Int32Array(bytes.buffer, bytes.byteOffset, n);
  return new Float64Array(bytes.buffer, bytes.byteOffset, n);
}

// A std::vector entry starts with a byte count (4 bytes), a class version (2) and a length (4).
const VECTOR_HEADER = 10;

/**
 * Reads one branch in entry ranges, basket by basket, keeping only the basket that the last
 * range ended in. Ranges must come in increasing order, as a streaming reader asks for them.
 */
export class BranchReader {
  readonly layout: BranchLayout;
  readonly #file: RootFile;
  readonly #tree: string;
  #held: Column | null = null;

  constructor(file: RootFile, tree: string, layout: BranchLayout) {
    this.#file = file;
    this.#tree = tree;
    this.layout = layout;
  }

  #where(entry?: number) {
    const where = { file: this.#file.path, tree: this.#tree, branch: this.layout.name };
    return entry === undefined ? where : { ...where, entry };
  }

  /** Number of the basket holding `entry`. */
  #basketOf(entry: number): number {
    const b = this.layout.branch;
    let lo = 0;
    let hi = b.fWriteBasket - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b.fBasketEntry[mid]! <= entry) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async #decodeBasket(k: number): Promise<Column> {
    const b = this.layout.branch;
    const first = b.fBasketEntry[k]!;
    const next = k + 1 < b.fWriteBasket ? b.fBasketEntry[k + 1]! : b.fEntries;
    const count = next - first;
    const seek = b.fBasketSeek[k]!;
    if (k >= b.fWriteBasket || !seek) {
      throw new RootReadError(
        this.#where(first),
        `basket ${k} is not written to disk (the file was not closed properly)`,
      );
    }

    const raw = await this.#file.readBytes(seek, b.fBasketBytes[k]!);
    const head = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const nbytes = head.getInt32(0);
    const objlen = head.getInt32(6);
    const keylen = head.getInt16(14);
    if (nbytes !== raw.length || keylen < 19 || keylen >= raw.length) {
      throw new RootReadError(this.#where(first), `basket ${k} has a damaged header`);
    }
    const nevbuf = head.getInt32(keylen - 9);
    const last = head.getInt32(keylen - 5);
    if (nevbuf !== count) {
      throw new RootReadError(
        this.#where(first),
        `basket ${k} holds ${nevbuf} entries, the branch index says ${count}`,
      );
    }

    let payload: Uint8Array | null = raw.subarray(keylen);
    if (objlen + keylen !== nbytes) payload = await decompressRecord(payload, objlen);
    if (!payload) {
      throw new RootReadError(this.#where(first), `basket ${k} does not decompress`);
    }
    return this.#decodePayload(payload, first, count, keylen, last);
  }

  #decodePayload(payload: Uint8Array, first: number, count: number, keylen: number, last: number) {
    const { kind, type } = this.layout;
    const size = ELEMENT_SIZE[type];
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const dataEnd = last - keylen;

    if (kind === 'scalar') {
      return { first, count, values: contiguousValues(payload, 0, count, type), offsets: null };
    }

    // entry offsets follow the data: a count, then one offset per entry from the key start
    const starts = new Int32Array(count + 1);
    const stored = view.getInt32(dataEnd);
    if (stored < count) {
      throw new RootReadError(
        this.#where(first),
        `basket has ${stored} entry offsets, not ${count}`,
      );
    }
    for (let i = 0; i < count; i++) starts[i] = view.getInt32(dataEnd + 4 + 4 * i) - keylen;
    starts[count] = dataEnd;

    const offsets = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) {
      const bytes = starts[i + 1]! - starts[i]!;
      let n: number;
      if (kind === 'counted') {
        n = bytes / size;
      } else {
        n = bytes >= VECTOR_HEADER ? view.getInt32(starts[i]! + 6) : -1;
        if (VECTOR_HEADER + n * size !== bytes) {
          throw new RootReadError(
            this.#where(first + i),
            `std::vector header announces ${n} values in ${bytes} bytes`,
          );
        }
      }
      if (!Number.isInteger(n) || n < 0) {
        throw new RootReadError(
          this.#where(first + i),
          `${bytes} bytes is not a whole number of values`,
        );
      }
      offsets[i + 1] = offsets[i]! + n;
    }

    if (kind === 'counted') {
      const values = contiguousValues(payload, starts[0]!, offsets[count]!, type);
      return { first, count, values, offsets };
    }

    const values = allocate(type, offsets[count]!);
    const skip = VECTOR_HEADER;
    for (let i = 0; i < count; i++) {
      decodeValues(
        view,
        starts[i]! + skip,
        offsets[i + 1]! - offsets[i]!,
        type,
        values,
        offsets[i]!,
      );
    }
    return { first, count, values, offsets };
  }

  /** Entries `[start, end)`, concatenated over the baskets they span. */
  async read(start: number, end: number): Promise<Column> {
    const pieces: Column[] = [];
    let entry = start;
    while (entry < end) {
      let basket = this.#held;
      if (!basket || entry < basket.first || entry >= basket.first + basket.count) {
        basket = await this.#decodeBasket(this.#basketOf(entry));
        this.#held = basket;
      }
      pieces.push(basket);
      entry = basket.first + basket.count;
    }
    return slice(this.layout.type, pieces, start, end);
  }
}

/** Copies entries `[start, end)` out of consecutive basket columns. */
function slice(type: RootElementType, pieces: Column[], start: number, end: number): Column {
  const count = end - start;

  // inside one basket: views on its values, no copy
  const only = pieces.length === 1 ? pieces[0]! : null;
  if (only) {
    const from = start - only.first;
    if (!only.offsets) {
      return {
        first: start,
        count,
        values: only.values.subarray(from, from + count),
        offsets: null,
      };
    }
    const o = only.offsets.subarray(from, from + count + 1);
    const base = o[0]!;
    const offsets = new Int32Array(count + 1);
    for (let i = 0; i <= count; i++) offsets[i] = o[i]! - base;
    return { first: start, count, values: only.values.subarray(base, o[count]!), offsets };
  }

  const jagged = pieces[0]?.offsets != null;
  if (!jagged) {
    const values = allocate(type, count);
    let at = 0;
    for (const p of pieces) {
      const from = Math.max(start, p.first) - p.first;
      const to = Math.min(end, p.first + p.count) - p.first;
      values.set(p.values.subarray(from, to), at);
      at += to - from;
    }
    return { first: start, count, values, offsets: null };
  }

  let total = 0;
  for (const p of pieces) {
    const from = Math.max(start, p.first) - p.first;
    const to = Math.min(end, p.first + p.count) - p.first;
    total += p.offsets![to]! - p.offsets![from]!;
  }
  const values = allocate(type, total);
  const offsets = new Int32Array(count + 1);
  let row = 0;
  let at = 0;
  for (const p of pieces) {
    const po = p.offsets!;
    const from = Math.max(start, p.first) - p.first;
    const to = Math.min(end, p.first + p.count) - p.first;
    values.set(p.values.subarray(po[from]!, po[to]!), at);
    for (let i = from; i < to; i++) offsets[++row] = at + po[i + 1]! - po[from]!;
    at += po[to]! - po[from]!;
  }
  return { first: start, count, values, offsets };
}
