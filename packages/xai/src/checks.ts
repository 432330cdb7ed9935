/**
 * Argument checks at the package boundary: TypeError for the wrong kind of value, RangeError for
 * a value of the right kind outside its domain. Messages name the argument and give expected vs
 * actual.
 */

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return `a value of type ${typeof value}`;
}

export function checkObject<T>(name: string, value: T): asserts value is T & object {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${name}: expected an object, got ${describe(value)}`);
  }
}

export function checkFinite(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name}: expected a finite number, got ${value}`);
  }
}

export function checkPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name}: expected a positive integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: expected a positive integer, got ${value}`);
  }
}

export function checkRange(
  name: string,
  value: unknown,
  min: number,
  max: number,
  maxInclusive = true,
): asserts value is number {
  checkFinite(name, value);
  if (value < min || (maxInclusive ? value > max : value >= max)) {
    const upper = maxInclusive ? `${max}]` : `${max})`;
    throw new RangeError(`${name}: expected a number in [${min}, ${upper}, got ${value}`);
  }
}

export function checkOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string') {
    throw new TypeError(`${name}: expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  if (!allowed.includes(value as T)) {
    throw new RangeError(`${name}: expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
}

export function checkFloat32Array(
  name: string,
  value: unknown,
  length?: number,
): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new TypeError(`${name}: expected a Float32Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name}: expected ${length} values, got ${value.length}`);
  }
}

export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`${name}: expected a function, got ${describe(value)}`);
  }
}
