import { describe, expect, it } from 'vitest';
import { colormap, colormapTable } from '../../src/render/colormap.js';

const hex = (code: string) => [1, 3, 5].map((i) => Number.parseInt(code.slice(i, i + 2), 16));

// Entries 0, 128 and 255 of matplotlib's 256-entry tables.
const anchors = {
  viridis: ['#440154', '#21918c', '#fde725'],
  magma: ['#000004', '#b73779', '#fcfdbf'],
} as const;

describe('colormap', () => {
  for (const [name, [low, mid, high]] of Object.entries(anchors)) {
    it(`${name} matches matplotlib's table at both ends and the middle within 6/255`, () => {
      const checks: [number, string][] = [
        [0, low],
        [128 / 255, mid],
        [1, high],
      ];
      for (const [t, code] of checks) {
        const rgb = colormap(name as 'viridis' | 'magma', t);
        hex(code).forEach((expected, channel) => {
          expect(
            Math.abs(rgb[channel]! - expected),
            `${name}(${t}) channel ${channel}`,
          ).toBeLessThanOrEqual(6);
        });
      }
    });
  }

  it('grows in lightness from 0 to 1 (a sequential map)', () => {
    for (const name of ['viridis', 'magma'] as const) {
      const table = colormapTable(name);
      const luma = (i: number) =>
        0.2126 * table[3 * i]! + 0.7152 * table[3 * i + 1]! + 0.0722 * table[3 * i + 2]!;
      for (let i = 8; i < 256; i += 8) expect(luma(i)).toBeGreaterThan(luma(i - 8));
    }
  });

  it('clamps outside [0, 1] and treats NaN as 0', () => {
    expect(colormap('viridis', -1)).toEqual(colormap('viridis', 0));
    expect(colormap('viridis', 2)).toEqual(colormap('viridis', 1));
    expect(colormap('magma', Number.NaN)).toEqual(colormap('magma', 0));
  });

  it('BAD CALL: an unknown colormap', () => {
    expect(() => colormap('jet' as never, 0.5)).toThrow(
      /colormap: expected one of viridis, magma, got "jet"/,
    );
  });
});
