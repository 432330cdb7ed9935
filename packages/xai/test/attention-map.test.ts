import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attentionMap, attentionMaps, clsRow, perLayerMaps } from '../src/attention-map.js';
import { viewAttention } from '../src/attention-tensor.js';
import { resolveMapOptions } from '../src/map-options.js';
import { attentionFromRows, randomAttention } from './fixtures.js';

interface Golden {
  samples: number;
  layers: number;
  heads: number;
  tokens: number;
  grid: { rows: number; cols: number };
  attention: number[];
  rollout: {
    name: string;
    headFusion: 'mean' | 'max' | 'min';
    discardRatio: number;
    sample: number;
    map: number[];
  }[];
  cumulative: number[][];
  published: { map: number[]; fixedMap: number[]; layerRowSums: number[][] };
  batchLeak: { map: number[] };
  clsKept: { map: number[] };
}

const golden = JSON.parse(
  readFileSync(new URL('./golden/rollout-reference.json', import.meta.url), 'utf8'),
) as Golden;
const goldenAttention = {
  data: Float32Array.from(golden.attention),
  layers: golden.layers,
  heads: golden.heads,
  tokens: golden.tokens,
  samples: golden.samples,
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!), `entry ${i}`).toBeLessThan(tolerance);
  }
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// Two layers, one head, CLS + 2 patches on a 1 x 2 grid. With the identity added and rows
// renormalised, layer 1 becomes [[.75,.125,.125],[.25,.75,0],[0,.25,.75]] and layer 2's CLS row
// becomes [.6,.4,0]. Rollout: [.6,.4,0] x layer 1 = [.55,.375,.075], patches [5/6, 1/6].
// Cumulative: mean of CLS rows [.675,.2625,.0625], patches [.2625,.0625]/.325.
const twoLayers = attentionFromRows([
  [
    [
      [0.5, 0.25, 0.25],
      [0.5, 0.5, 0],
      [0, 0.5, 0.5],
    ],
  ],
  [
    [
      [0.2, 0.8, 0],
      [1 / 3, 1 / 3, 1 / 3],
      [1 / 3, 1 / 3, 1 / 3],
    ],
  ],
]);
const lineGrid = { rows: 1, cols: 2 };

describe('attentionMap on a hand-computed two-layer example', () => {
  it('gives the expected rollout (product in forward order)', () => {
    const map = attentionMap(twoLayers, lineGrid, { method: 'rollout' });
    expectClose(map.values, [5 / 6, 1 / 6], 1e-6);
    expect(map.clsSelfShare).toBeCloseTo(0.55, 6);
  });

  it('gives the expected cumulative map (mean over layers)', () => {
    const map = attentionMap(twoLayers, lineGrid);
    expectClose(map.values, [0.2625 / 0.325, 0.0625 / 0.325], 1e-6);
  });

  it('gives one layer alone with method layer, and per-layer maps in forward order', () => {
    const [first, second] = perLayerMaps(twoLayers, lineGrid);
    expectClose(first!.values, [0.5, 0.5], 1e-6);
    expectClose(second!.values, [1, 0], 1e-6);
    expect(first!.options.layers).toEqual([0]);
    expect(second!.options.method).toBe('layer');
  });

  it('without the residual reads the fused attention itself', () => {
    const map = attentionMap(twoLayers, lineGrid, {
      residual: false,
      layers: [1],
      method: 'layer',
    });
    expectClose(map.values, [1, 0], 1e-6);
    expect(map.clsSelfShare).toBeCloseTo(0.2, 6);
  });
});

describe('attentionMap against the NumPy reference of vit-explain', () => {
  for (const reference of golden.rollout) {
    it(`matches ${reference.name}`, () => {
      const map = attentionMap(
        goldenAttention,
        golden.grid,
        {
          method: 'rollout',
          headFusion: reference.headFusion,
          discardRatio: reference.discardRatio,
          normalisation: 'max',
        },
        reference.sample,
      );
      expectClose(map.values, reference.map, 1e-6);
    });
  }

  it('matches the study cumulative map for every sample of the batch', () => {
    const maps = attentionMaps(goldenAttention, golden.grid);
    maps.forEach((map, sample) => {
      expectClose(map.values, golden.cumulative[sample]!, 1e-6);
    });
  });
});

describe('traps of common rollout tools', () => {
  it('rows sum to one after adding the identity, unlike the division without keepdim', () => {
    const view = viewAttention(goldenAttention);
    const options = resolveMapOptions({ method: 'rollout', discardRatio: 0.6 }, golden.layers);
    expect(clsRow(view, 0, options).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);

    // The reference's matrices with vit-explain's row normalisation miss 1 by up to a few %.
    const worst = Math.max(...golden.published.layerRowSums.flat().map((s) => Math.abs(s - 1)));
    expect(worst).toBeGreaterThan(0.01);
    const map = attentionMap(
      goldenAttention,
      golden.grid,
      { method: 'rollout', discardRatio: 0.6, normalisation: 'max' },
      0,
    );
    expectClose(map.values, golden.published.fixedMap, 1e-6);
    expect(maxDifference(map.values, golden.published.map)).toBeGreaterThan(0.01);
  });

  it('drops the CLS column when reading the CLS row', () => {
    // CLS keeps most of its own attention; the map must be patches only, token k + 1 at k.
    const tensor = attentionFromRows([
      [
        [
          [0.9, 0.02, 0.08],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ],
    ]);
    const map = attentionMap(tensor, lineGrid, { residual: false, method: 'layer', layers: [0] });
    expect(map.values.length).toBe(2);
    expectClose(map.values, [0.2, 0.8], 1e-6);
    expect(map.clsSelfShare).toBeCloseTo(0.9, 6);

    // Keeping the CLS column would make CLS the maximum and squash the patch map.
    expect(golden.clsKept.map.length).toBe(golden.tokens);
    expect(Math.max(...golden.clsKept.map)).toBe(golden.clsKept.map[0]);
  });

  it('handles each sample of a batch alone (no cross-sample leakage)', () => {
    const options = { method: 'rollout', discardRatio: 0.5, normalisation: 'max' } as const;
    const inBatch = attentionMaps(goldenAttention, golden.grid, options);
    const reference = golden.rollout.find((c) => c.discardRatio === 0.5 && c.sample === 0)!;
    expectClose(inBatch[0]!.values, reference.map, 1e-6);
    // vit-explain zeroes the lowest entries of both samples in sample 0.
    expect(maxDifference(reference.map, golden.batchLeak.map)).toBeGreaterThan(0.05);

    const alone = attentionMap(
      {
        ...goldenAttention,
        data: goldenAttention.data.slice(goldenAttention.data.length / 2),
        samples: 1,
      },
      golden.grid,
      options,
    );
    expectClose(inBatch[1]!.values, alone.values, 1e-7);
  });
});

describe('attentionMap layouts and options', () => {
  it('reads one array per layer the same as one array for all', () => {
    const single = randomAttention(7, 2, 3, 2, 5);
    const square = 25;
    const perLayer = Array.from({ length: 3 }, (_, layer) => {
      const out = new Float32Array(2 * 2 * square);
      for (let sample = 0; sample < 2; sample++) {
        const from = (sample * 3 + layer) * 2 * square;
        out.set(
          (single.data as Float32Array).subarray(from, from + 2 * square),
          sample * 2 * square,
        );
      }
      return out;
    });
    const grid = { rows: 2, cols: 2 };
    for (const method of ['cumulative', 'rollout'] as const) {
      const a = attentionMaps(single, grid, { method });
      const b = attentionMaps({ ...single, data: perLayer }, grid, { method });
      expect(b[1]!.values).toEqual(a[1]!.values);
    }
  });

  it('stores resolved options and a stable hash with every map', () => {
    const a = attentionMap(twoLayers, lineGrid);
    const b = attentionMap(twoLayers, lineGrid, { layers: [0, 1], headFusion: 'mean' });
    const c = attentionMap(twoLayers, lineGrid, { headFusion: 'max' });
    expect(a.options).toEqual({
      method: 'cumulative',
      headFusion: 'mean',
      residual: true,
      layers: [0, 1],
      discardRatio: 0,
      normalisation: 'sum',
    });
    expect(a.optionsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.optionsHash).toBe(a.optionsHash);
    expect(c.optionsHash).not.toBe(a.optionsHash);
    expect(JSON.parse(JSON.stringify(a.options))).toEqual(a.options);
  });

  it('rolls out row by row the same as through whole fused matrices', () => {
    // A discard ratio that zeroes nothing (floor(25 * 0.01) = 0) still takes the whole-matrix
    // path, so the two paths can be compared on the same numbers.
    const attention = randomAttention(11, 1, 3, 4, 5);
    const grid = { rows: 2, cols: 2 };
    for (const headFusion of ['mean', 'max', 'min'] as const) {
      for (const residual of [true, false]) {
        const options = { method: 'rollout', headFusion, residual, normalisation: 'none' } as const;
        const byRow = attentionMap(attention, grid, options);
        const whole = attentionMap(attention, grid, { ...options, discardRatio: 0.01 });
        expectClose(byRow.values, whole.values, 1e-7);
        expect(byRow.clsSelfShare).toBeCloseTo(whole.clsSelfShare, 7);
      }
    }
  });

  it('gives the same maps row by row as through whole matrices with more than six heads', () => {
    // 13 heads: a pass of twelve and one of a single head in the row path.
    const attention = randomAttention(5, 2, 3, 13, 5);
    const grid = { rows: 2, cols: 2 };
    for (const method of ['cumulative', 'rollout'] as const) {
      for (const headFusion of ['mean', 'max', 'min'] as const) {
        for (const residual of [true, false]) {
          const options = { method, headFusion, residual, normalisation: 'none' } as const;
          const byRow = attentionMap(attention, grid, options, 1);
          const whole = attentionMap(attention, grid, { ...options, discardRatio: 0.01 }, 1);
          expectClose(byRow.values, whole.values, 1e-7);
          expect(byRow.clsSelfShare).toBeCloseTo(whole.clsSelfShare, 7);
        }
      }
    }
  });

  it('uses only the chosen layers', () => {
    const last = attentionMap(twoLayers, lineGrid, { layers: [1] });
    expectClose(last.values, [1, 0], 1e-6);
  });
});

describe('attentionMap BAD CALLS', () => {
  it('rejects a grid that does not match the patches', () => {
    expect(() => attentionMap(twoLayers, { rows: 2, cols: 2 })).toThrow(
      /grid: expected rows \* cols = 2 patches .* got 2 x 2 = 4/,
    );
    expect(() => attentionMap(twoLayers, { rows: 0, cols: 2 })).toThrow(RangeError);
    expect(() => attentionMap(twoLayers, { rows: '1', cols: 2 } as never)).toThrow(TypeError);
  });

  it('rejects data of the wrong kind or length', () => {
    expect(() => attentionMap({ ...twoLayers, data: [1, 2] as never }, lineGrid)).toThrow(
      /attention.data\[0\]: expected a Float32Array, got 1/,
    );
    expect(() =>
      attentionMap({ ...twoLayers, data: new Float64Array(18) as never }, lineGrid),
    ).toThrow(TypeError);
    expect(() => attentionMap({ ...twoLayers, data: new Float32Array(17) }, lineGrid)).toThrow(
      /attention.data: expected 18 values, got 17/,
    );
    expect(() => attentionMap({ ...twoLayers, data: [new Float32Array(9)] }, lineGrid)).toThrow(
      /expected 2 per-layer arrays, got 1/,
    );
    expect(() =>
      attentionMap({ ...twoLayers, tokens: 1, data: new Float32Array(2) }, { rows: 1, cols: 1 }),
    ).toThrow(/expected CLS and at least one patch/);
  });

  it('rejects bad options, naming the field', () => {
    expect(() => attentionMap(twoLayers, lineGrid, { method: 'flow' as never })).toThrow(
      /options.method: expected one of cumulative, rollout, layer, got "flow"/,
    );
    expect(() => attentionMap(twoLayers, lineGrid, { headFusion: 3 as never })).toThrow(TypeError);
    expect(() => attentionMap(twoLayers, lineGrid, { discardRatio: 1 })).toThrow(
      /options.discardRatio: expected a number in \[0, 1\), got 1/,
    );
    expect(() => attentionMap(twoLayers, lineGrid, { residual: 'yes' as never })).toThrow(
      TypeError,
    );
    expect(() => attentionMap(twoLayers, lineGrid, { layers: [2] })).toThrow(
      /options.layers\[0\]: expected a layer index in \[0, 1\], got 2/,
    );
    expect(() => attentionMap(twoLayers, lineGrid, { layers: [1, 0] })).toThrow(/increasing/);
    expect(() => attentionMap(twoLayers, lineGrid, { layers: [] })).toThrow(/at least one layer/);
    expect(() => attentionMap(twoLayers, lineGrid, { layers: [0.5] })).toThrow(TypeError);
    expect(() => attentionMap(twoLayers, lineGrid, { layers: 'last' as never })).toThrow(TypeError);
    expect(() => attentionMap(twoLayers, lineGrid, { method: 'layer' })).toThrow(
      /method 'layer' takes exactly one layer, got 2/,
    );
    expect(() => attentionMap(twoLayers, lineGrid, undefined, 1)).toThrow(
      /sample: expected an index in \[0, 0\], got 1/,
    );
  });

  it('refuses to normalise a CLS row with no patch attention', () => {
    const selfOnly = attentionFromRows([
      [
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ],
    ]);
    expect(() => attentionMap(selfOnly, lineGrid)).toThrow(
      /attention sample 0: the CLS row has no attention on any patch/,
    );
    expect(attentionMap(selfOnly, lineGrid, { normalisation: 'none' }).values).toEqual(
      new Float32Array([0, 0]),
    );
  });
});
