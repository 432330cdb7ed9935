import { describe, expect, it } from 'vitest';
import { pairedDifference } from '../src/paired.js';

describe('pairedDifference', () => {
  it('pairs events by id, b minus a, and counts the unpaired', () => {
    const a = [
      { event: 'e1', value: 0.5 },
      { event: 'e2', value: 0.2 },
      { event: 'e3', value: 0.9 },
    ];
    const b = [
      { event: 'e3', value: 1.0 },
      { event: 'e1', value: 0.7 },
      { event: 'e4', value: 0.1 },
    ];
    const result = pairedDifference(a, b, { seed: 1 });
    expect(result.differences.map((d) => d.event)).toEqual(['e1', 'e3']);
    expect(result.differences[0]!.difference).toBeCloseTo(0.2, 12);
    expect(result.mean!.estimate).toBeCloseTo(0.15, 12);
    expect(result.onlyInA).toBe(1);
    expect(result.onlyInB).toBe(1);
  });

  it('sees a small shift that the event-to-event spread would hide', () => {
    const a = Array.from({ length: 50 }, (_, i) => ({ event: `e${i}`, value: i / 10 }));
    const b = a.map((e) => ({ event: e.event, value: e.value + 0.01 }));
    const { interval } = pairedDifference(a, b).mean!;
    expect(interval!.low).toBeCloseTo(0.01, 9);
    expect(interval!.high).toBeCloseTo(0.01, 9);
  });

  it('gives no mean when no event is shared', () => {
    expect(
      pairedDifference([{ event: 'a', value: 1 }], [{ event: 'b', value: 1 }]).mean,
    ).toBeNull();
  });

  it('BAD CALLS: repeated events and bad values', () => {
    const twice = [
      { event: 'e1', value: 1 },
      { event: 'e1', value: 2 },
    ];
    expect(() => pairedDifference(twice, [])).toThrow(/a\[1\].event: event "e1" appears twice/);
    expect(() => pairedDifference([], [{ event: 'e', value: Number.POSITIVE_INFINITY }])).toThrow(
      /b\[0\].value: expected a finite number/,
    );
    expect(() => pairedDifference([{ event: 1, value: 1 } as never], [])).toThrow(TypeError);
  });
});
