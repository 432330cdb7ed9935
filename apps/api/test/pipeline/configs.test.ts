import { describe, expect, it } from 'vitest';
import { shardCount, shardEvents } from '../../src/pipeline/configs.js';

describe('shards', () => {
  it('split the events into consecutive shards, the last one shorter', () => {
    const protocol = {
      events: Array.from({ length: 450 }, (_, i) => i * 2),
      split: 'TEST' as const,
    };
    expect(shardCount(450, 200)).toBe(3);
    expect(shardEvents(protocol, 200, 0)).toHaveLength(200);
    expect(shardEvents(protocol, 200, 2)).toEqual(protocol.events.slice(400));
    const all = [0, 1, 2].flatMap((index) => shardEvents(protocol, 200, index));
    expect(all).toEqual(protocol.events);
    expect(shardCount(0, 200)).toBe(1);
  });

  it('BAD CALL: a shard past the end', () => {
    const protocol = { events: [1, 2, 3], split: 'TEST' as const };
    expect(() => shardEvents(protocol, 2, 2)).toThrow(
      new RangeError('shard 2 is past the end: 3 events in shards of 2'),
    );
  });
});
