import { describe, expect, it } from 'vitest';
import {
  compareMaps,
  mapHogDistance,
  mapRankCorrelation,
  mapSsim,
  orientedGradients,
} from '../src/map-similarity.js';
import { seededRandom } from '../src/stats/random.js';

function gaussianMap(size: number, row: number, col: number, width: number) {
  const values = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      values[r * size + c] = Math.exp(-((r - row) ** 2 + (c - col) ** 2) / (2 * width ** 2));
    }
  }
  return { values, rows: size, cols: size };
}

describe('map comparisons', () => {
  const blob = gaussianMap(16, 5, 6, 2);

  it('find a map identical to itself, whatever its scale', () => {
    const scaled = { ...blob, values: blob.values.map((v) => 3 * v) };
    const same = compareMaps(blob, scaled);
    expect(same.rankCorrelation).toBe(1);
    expect(same.ssim).toBeCloseTo(1, 6);
    expect(same.hogDistance).toBeCloseTo(0, 6);
  });

  it('rank a reversed map at -1', () => {
    const reversed = { ...blob, values: blob.values.map((v) => 2 - v) };
    // Float32 rounding ties a few of the smallest values, hence not exactly -1.
    expect(mapRankCorrelation(blob, reversed)).toBeCloseTo(-1, 4);
  });

  it('score a moved blob and noise far below the same blob', () => {
    const moved = gaussianMap(16, 10, 10, 2);
    const random = seededRandom(3);
    const noise = { ...blob, values: Float32Array.from(blob.values, () => random()) };
    expect(mapSsim(blob, moved)).toBeLessThan(0.6);
    expect(mapSsim(blob, noise)).toBeLessThan(0.3);
    expect(mapRankCorrelation(blob, noise)).toBeLessThan(0.3);
    expect(mapHogDistance(blob, moved)).toBeGreaterThan(0.5);
    expect(mapHogDistance(blob, moved)).toBeLessThanOrEqual(2);
  });

  it('HOG of a horizontal ramp puts its gradient in the first orientation bin', () => {
    const ramp = { values: Float32Array.from({ length: 16 }, (_, i) => i % 4), rows: 4, cols: 4 };
    const descriptor = orientedGradients(ramp, 4, 9);
    expect(descriptor[0]).toBeCloseTo(1, 12);
    expect(descriptor.slice(1).every((v) => v === 0)).toBe(true);
  });

  it('BAD CALLS: maps on different grids', () => {
    expect(() => compareMaps(blob, gaussianMap(8, 1, 1, 1))).toThrow(
      /b: expected a 16 x 16 map like a, got 8 x 8/,
    );
    expect(() => mapSsim(blob, blob, 0)).toThrow(/window: expected a positive integer/);
  });
});
