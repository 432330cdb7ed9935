import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import type { Float32Tensor } from './reader.js';

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /**
   * The header's `__metadata__`. Defaults to `{ format: 'pt' }`, which Hugging Face's
   * `from_pretrained` expects of PyTorch checkpoints.
   */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The header is padded with spaces so that tensor data starts 8-byte aligned. */
const HEADER_ALIGNMENT = 8;

function shapeElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkTensor(path: string, name: string, tensor: Float32Tensor): void {
  if (name === '' || name === '__metadata__') {
    throw new RangeError(`${path}: tensor name ${JSON.stringify(name)} is not allowed`);
  }
  if (!(tensor.data instanceof Float32Array)) {
    throw new TypeError(`${path}: tensor '${name}' data must be a Float32Array`);
  }
  if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(
      `${path}: tensor '${name}' shape [${tensor.shape.join(', ')}] must hold integers >= 0`,
    );
  }
  if (shapeElements(tensor.shape) !== tensor.data.length) {
    throw new RangeError(
      `${path}: tensor '${name}' shape [${tensor.shape.join(', ')}] holds ` +
        `${shapeElements(tensor.shape)} values, data has ${tensor.data.length}`,
    );
  }
}

/**
 * Writes float32 tensors as a safetensors file (dtype `F32`), in the order given, which is the
 * layout Hugging Face's `save_pretrained` produces and `from_pretrained` reads. Each tensor is
 * written straight from its array, so the file is never assembled in memory.
 */
export function writeSafetensors(
  path: string,
  tensors: Iterable<readonly [string, Float32Tensor]>,
  options: WriteSafetensorsOptions = {},
): void {
  if (endianness() !== 'LE') {
    throw new RangeError('safetensors data is little-endian; this host is not');
  }

  const list = [...tensors];
  const header: Record<string, unknown> = { __metadata__: options.metadata ?? { format: 'pt' } };
  let offset = 0;
  for (const [name, tensor] of list) {
    checkTensor(path, name, tensor);
    if (Object.hasOwn(header, name)) {
      throw new RangeError(`${path}: tensor '${name}' given twice`);
    }
    const end = offset + tensor.data.byteLength;
    header[name] = { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, end] };
    offset = end;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const paddedLength = Math.ceil(json.length / HEADER_ALIGNMENT) * HEADER_ALIGNMENT;
  const headerBytes = new Uint8Array(8 + paddedLength).fill(0x20, 8);
  Buffer.from(headerBytes.buffer).writeBigUInt64LE(BigInt(paddedLength), 0);
  headerBytes.set(json, 8);

  const fd = openSync(path, 'w');
  try {
    writeAll(fd, headerBytes);
    for (const [, tensor] of list) {
      const { buffer, byteOffset, byteLength } = tensor.data;
      writeAll(fd, new Uint8Array(buffer, byteOffset, byteLength));
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done);
  }
}
