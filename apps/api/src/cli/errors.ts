/**
 * Exit codes of the `jetlens` command: 0 ok, 1 the work failed, 2 the command line was wrong
 * (unknown command or option, a bad value): fix the call, not the data.
 */
import { InvalidArgumentError } from 'commander';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called, found after commander parsed it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses an integer option in [min, max], for commander's `argParser`. */
export function integerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) {
      throw new InvalidArgumentError(`${name} must be an integer, got "${value}".`);
    }
    if (parsed < min || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
      throw new InvalidArgumentError(`${name} must be ${range}, got ${parsed}.`);
    }
    return parsed;
  };
}

/** Parses a positive number option (a radius, a fraction), for commander's `argParser`. */
export function positiveNumberOption(name: string, max = Number.POSITIVE_INFINITY) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed)) {
      throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
    }
    if (parsed <= 0 || parsed > max) {
      throw new InvalidArgumentError(`${name} must be in (0, ${max}], got ${parsed}.`);
    }
    return parsed;
  };
}

/** Parses a comma-separated list of layer numbers counted from 1 ("11,12" or "11-12"). */
export function layerListOption(name: string) {
  return (value: string): number[] => {
    const range = /^(\d+)-(\d+)$/.exec(value.trim());
    const layers = range
      ? Array.from(
          { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
          (_, i) => Number(range[1]) + i,
        )
      : value.split(',').map((part) => Number(part.trim()));
    if (layers.length === 0 || layers.some((layer) => !Number.isInteger(layer) || layer < 1)) {
      throw new InvalidArgumentError(
        `${name} must list layer numbers counted from 1, like "11,12" or "11-12", got "${value}".`,
      );
    }
    return layers;
  };
}
