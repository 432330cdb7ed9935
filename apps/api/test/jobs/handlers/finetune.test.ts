import { describe, expect, it } from 'vitest';
import { lastLayerCount } from '../../../src/jobs/handlers/finetune.js';
import { PermanentJobError } from '../../../src/jobs/queue.js';

describe('lastLayerCount', () => {
  it('counts the last layers of the backbone', () => {
    expect(lastLayerCount([11, 12], 12)).toBe(2);
    expect(lastLayerCount([12, 10, 11], 12)).toBe(3);
    expect(lastLayerCount([3], 3)).toBe(1);
  });

  it('BAD CALL: layers that are not the last ones (fine-tuning trains a top block)', () => {
    expect(() => lastLayerCount([10, 12], 12)).toThrow(PermanentJobError);
    expect(() => lastLayerCount([10, 11], 12)).toThrow(
      /trainable layers must be the last ones of the 12-layer backbone \(e\.g\. 11-12\), got 10,11/,
    );
    expect(() => lastLayerCount([], 12)).toThrow(PermanentJobError);
  });
});
