import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import {
  bfloat16ToFloat32,
  FLOAT_DTYPES,
  halfToFloat32,
  isSafetensorsDtype,
  SAFETENSORS_DTYPE_BYTES,
  type SafetensorsDtype,
} from './dtype.js';

/** Where one tensor lies in a safetensors file, as its header describes it. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Offset of the first byte from the start of the file. */
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** A float32 tensor in row-major order. */
export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * An open safetensors file. Only the header is read on opening; each tensor is read from disk
 * when asked for, so a checkpoint is never held twice in memory. Call {@link close} when done.
 */
export interface SafetensorsFile {
  readonly path: string;
  /** The optional `__metadata__` map of the header (e.g. `{ format: 'pt' }`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor of the file by name, in header order. */
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** Reads one tensor and converts it to float32 (from F32, F16, BF16 or F64). */
  readFloat32(name: string): Float32Tensor;
  close(): void;
}

const HEADER_SIZE_BYTES = 8;
/** safetensors itself refuses headers above 100 MB; a larger size means a corrupt file. */
const MAX_HEADER_BYTES = 100_000_000;

function fail(path: string, message: string): never {
  throw new RangeError(`${path}: ${message}`);
}

function readExactly(fd: number, path: string, target: Uint8Array, position: number): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) {
      fail(path, `unexpected end of file at byte ${position + done} (truncated file?)`);
    }
    done += n;
  }
}

function parseEntry(
  path: string,
  name: string,
  raw: unknown,
  dataStart: number,
  fileSize: number,
): SafetensorsEntry {
  if (typeof raw !== 'object' || raw === null) {
    fail(path, `header entry '${name}' is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) {
    fail(path, `tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(path, `tensor '${name}': shape must be a list of integers >= 0`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(path, `tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end`);
  }

  const [begin, end] = offsets as [number, number];
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expectedBytes = elements * SAFETENSORS_DTYPE_BYTES[dtype];
  if (end - begin !== expectedBytes) {
    fail(
      path,
      `tensor '${name}': ${dtype} [${shape.join(', ')}] needs ${expectedBytes} bytes, ` +
        `data_offsets span ${end - begin}`,
    );
  }
  if (dataStart + end > fileSize) {
    fail(
      path,
      `tensor '${name}' ends at byte ${dataStart + end} but the file has ${fileSize} bytes ` +
        '(truncated file?)',
    );
  }
  return { name, dtype, shape, byteOffset: dataStart + begin, byteLength: end - begin };
}

function parseHeader(path: string, text: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(path, `header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail(path, 'header is not a JSON object');
  }
  return header as Record<string, unknown>;
}

function parseMetadata(path: string, raw: unknown): Record<string, string> {
  if (raw === undefined) {
    return {};
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    !Object.values(raw).every((v) => typeof v === 'string')
  ) {
    fail(path, '__metadata__ must map strings to strings');
  }
  return { ...(raw as Record<string, string>) };
}

/**
 * Opens a safetensors file and checks its header: the JSON parses, every tensor has a known
 * dtype, a shape that matches its byte span, and lies inside the file (a truncated download
 * fails here, naming the first tensor cut off).
 */
export function openSafetensors(path: string): SafetensorsFile {
  if (typeof path !== 'string') {
    throw new TypeError(`safetensors path: expected a string, got ${typeof path}`);
  }
  if (endianness() !== 'LE') {
    throw new RangeError('safetensors data is little-endian; this host is not');
  }

  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize < HEADER_SIZE_BYTES) {
      fail(path, `file has ${fileSize} bytes, fewer than the 8-byte header size (truncated?)`);
    }

    const sizeBytes = new Uint8Array(HEADER_SIZE_BYTES);
    readExactly(fd, path, sizeBytes, 0);
    const headerSize = Number(Buffer.from(sizeBytes).readBigUInt64LE(0));
    if (headerSize > MAX_HEADER_BYTES || HEADER_SIZE_BYTES + headerSize > fileSize) {
      fail(
        path,
        `header size ${headerSize} does not fit in a file of ${fileSize} bytes ` +
          '(truncated or not a safetensors file)',
      );
    }

    const headerBytes = new Uint8Array(headerSize);
    readExactly(fd, path, headerBytes, HEADER_SIZE_BYTES);
    const header = parseHeader(path, new TextDecoder().decode(headerBytes));
    const dataStart = HEADER_SIZE_BYTES + headerSize;
    const metadata = parseMetadata(path, header.__metadata__);
    const entries = new Map<string, SafetensorsEntry>();
    for (const [name, raw] of Object.entries(header)) {
      if (name !== '__metadata__') {
        entries.set(name, parseEntry(path, name, raw, dataStart, fileSize));
      }
    }

    return new OpenSafetensorsFile(path, fd, metadata, entries);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

class OpenSafetensorsFile implements SafetensorsFile {
  readonly path: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  #fd: number | undefined;

  constructor(
    path: string,
    fd: number,
    metadata: Record<string, string>,
    entries: Map<string, SafetensorsEntry>,
  ) {
    this.path = path;
    this.#fd = fd;
    this.metadata = metadata;
    this.entries = entries;
  }

  readFloat32(name: string): Float32Tensor {
    const fd = this.#fd;
    if (fd === undefined) {
      throw new RangeError(`${this.path}: file is closed, cannot read '${name}'`);
    }
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new RangeError(`${this.path}: no tensor named '${name}'`);
    }
    if (!FLOAT_DTYPES.includes(entry.dtype)) {
      throw new TypeError(
        `${this.path}: tensor '${name}' is ${entry.dtype}; ` +
          `expected one of ${FLOAT_DTYPES.join(', ')}`,
      );
    }

    const elements = entry.byteLength / SAFETENSORS_DTYPE_BYTES[entry.dtype];
    const data = new Float32Array(elements);
    if (entry.dtype === 'F32') {
      // read straight into the result: no intermediate buffer for the common case
      readExactly(fd, this.path, new Uint8Array(data.buffer), entry.byteOffset);
      return { shape: entry.shape, data };
    }

    const raw = new Uint8Array(entry.byteLength);
    readExactly(fd, this.path, raw, entry.byteOffset);
    if (entry.dtype === 'F64') {
      data.set(new Float64Array(raw.buffer));
    } else if (entry.dtype === 'F16') {
      halfToFloat32(new Uint16Array(raw.buffer), data);
    } else {
      bfloat16ToFloat32(new Uint16Array(raw.buffer), data);
    }
    return { shape: entry.shape, data };
  }

  close(): void {
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}
