/**
 * Element types of the safetensors format that JetLens reads, with their sizes in bytes.
 * Integer and boolean tensors can be listed but not read as float32.
 */
export const SAFETENSORS_DTYPE_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

/** A safetensors element type name, e.g. `F32`. */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** The element types that convert to float32 on reading. */
export const FLOAT_DTYPES: readonly SafetensorsDtype[] = ['F64', 'F32', 'F16', 'BF16'];

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPE_BYTES, value);
}

/** IEEE 754 binary16 bit patterns to float32 values, into `out`. */
export function halfToFloat32(bits: Uint16Array, out: Float32Array): void {
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) {
      // subnormal (and zero): no implicit leading one
      out[i] = sign * fraction * 2 ** -24;
    } else if (exponent === 0x1f) {
      out[i] = fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
    } else {
      out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
    }
  }
}

/** bfloat16 bit patterns to float32 values, into `out`: bfloat16 is float32's upper half. */
export function bfloat16ToFloat32(bits: Uint16Array, out: Float32Array): void {
  const wide = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) {
    wide[i] = bits[i]! << 16;
  }
}
