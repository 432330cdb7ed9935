import { describe, expect, it } from 'vitest';
import { canonicalJson, stableHash } from '../src/hash.js';

describe('canonicalJson and stableHash', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it('gives equal hashes for equal content in any key order, others for other content', () => {
    const a = stableHash({ method: 'rollout', layers: [10, 11] });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(stableHash({ layers: [10, 11], method: 'rollout' })).toBe(a);
    expect(stableHash({ layers: [11, 10], method: 'rollout' })).not.toBe(a);
  });
});
