import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash } from '../../src/store/hash.js';

describe('configHash', () => {
  it('is the same for the same config in any key order, and differs for another value', () => {
    const a = { task: { name: 'hbb-vs-hcc', classes: ['HToBB', 'HToCC'] }, epochs: 30, seed: 0 };
    const b = { seed: 0, epochs: 30, task: { classes: ['HToBB', 'HToCC'], name: 'hbb-vs-hcc' } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash({ ...a, seed: 1 })).not.toBe(configHash(a));
    // Class order matters: the first class is the signal.
    expect(
      configHash({ ...a, task: { name: 'hbb-vs-hcc', classes: ['HToCC', 'HToBB'] } }),
    ).not.toBe(configHash(a));
  });

  it('BAD CALL: values JSON cannot carry', () => {
    expect(() => configHash({ radius: Number.NaN })).toThrow(
      new RangeError('config values must be finite numbers, got NaN'),
    );
    expect(() => configHash([undefined])).toThrow(
      new TypeError('config values must not be undefined'),
    );
  });
});
