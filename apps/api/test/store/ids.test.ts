import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/store/ids.js';

describe('uuidv7', () => {
  it('writes version 7 and the RFC variant, time first, so ids sort by creation', () => {
    const early = uuidv7(1_700_000_000_000);
    const late = uuidv7(1_700_000_000_001);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early.slice(0, 13).replace('-', '')).toBe(
      (1_700_000_000_000).toString(16).padStart(12, '0'),
    );
    expect(early < late).toBe(true);
    expect(uuidv7()).not.toBe(uuidv7());
  });
});
