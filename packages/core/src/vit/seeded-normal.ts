/**
 * A seeded source of standard normal numbers (mulberry32 uniforms, Box-Muller pairs), so that
 * new weights (a fresh classifier head, random test models) are the same on every machine.
 */
export class SeededNormal {
  #state: number;
  #spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed: expected an integer, got ${seed}`);
    }
    this.#state = seed >>> 0;
  }

  /** A uniform number in (0, 1). */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  }

  /** A standard normal number. */
  next(): number {
    if (this.#spare !== undefined) {
      const spare = this.#spare;
      this.#spare = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.#spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** `length` normal numbers with standard deviation `std` (mean 0). */
  fill(length: number, std: number): Float32Array {
    const out = new Float32Array(length);
    let i = 0;
    if (this.#spare !== undefined && length > 0) {
      out[i++] = std * this.#spare;
      this.#spare = undefined;
    }
    // Marsaglia's polar form of Box-Muller: a pair per accepted point, no trigonometry
    while (i + 1 < length) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) {
        continue;
      }
      const factor = std * Math.sqrt((-2 * Math.log(s)) / s);
      out[i] = u * factor;
      out[i + 1] = v * factor;
      i += 2;
    }
    if (i < length) {
      out[i] = std * this.next();
    }
    return out;
  }
}
