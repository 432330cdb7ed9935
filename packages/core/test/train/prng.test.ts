import { describe, expect, test } from 'vitest';
import { Prng } from '../../src/train/prng.js';

describe('Prng', () => {
  test('repeats from a seed and resumes from its state', () => {
    const a = new Prng(42);
    const first = [a.next(), a.next()];
    const resumed = Prng.fromState(a.state);
    expect([new Prng(42).next(), new Prng(42).next()][0]).toBe(first[0]);
    expect(resumed.next()).toBe(a.next());
  });

  test('uniform in [0, 1), normals with unit spread', () => {
    const rng = new Prng(1);
    const u = Array.from({ length: 20000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const z = Array.from({ length: 20000 }, () => rng.normal());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  test('sample draws distinct indices', () => {
    const s = new Prng(3).sample(10, 10);
    expect([...s].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('BAD CALLs', () => {
    expect(() => new Prng(-1)).toThrow(/seed must be an integer in \[0, 2\^32\), got -1/);
    expect(() => new Prng(1).int(0)).toThrow(/n must be a positive integer, got 0/);
    expect(() => new Prng(1).sample(3, 4)).toThrow(/cannot draw 4 distinct items from 3/);
  });
});
