/**
 * A small seeded pseudo-random generator (mulberry32). Its whole state is one 32-bit integer,
 * so a run can store it in a checkpoint and resume the exact same sequence.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Prng: seed must be an integer in [0, 2^32), got ${seed}`);
    }
    this.#state = seed >>> 0;
  }

  /** The generator's state, to be passed to `Prng.fromState` to continue the sequence. */
  get state(): number {
    return this.#state;
  }

  static fromState(state: number): Prng {
    return new Prng(state);
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`Prng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** `count` distinct indices drawn from [0, n), in drawing order. */
  sample(n: number, count: number): number[] {
    if (!Number.isInteger(count) || count < 0 || count > n) {
      throw new RangeError(`Prng.sample: cannot draw ${count} distinct items from ${n}`);
    }
    return this.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, count);
  }
}
