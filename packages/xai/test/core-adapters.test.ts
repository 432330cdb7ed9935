import { DEFAULT_IMAGE_CONFIG, findProngs, ImageTransform } from '@jetlens/core';
import { describe, expect, it } from 'vitest';
import { analyseJet } from '../src/analyse-jet.js';
import { prongsFromCentroids, transformOfJet } from '../src/core-adapters.js';
import { prongRois } from '../src/roi.js';
import { attentionFromRows } from './fixtures.js';

/** A jet of two tight clusters of massless constituents at (Δη, Δφ) around the axis. */
function twoClusterJet() {
  const places = [
    { deta: 0.3, dphi: 0.1, pt: 200 },
    { deta: 0.32, dphi: 0.12, pt: 100 },
    { deta: -0.2, dphi: -0.25, pt: 80 },
    { deta: -0.22, dphi: -0.27, pt: 40 },
  ];
  return {
    pt: places.map((p) => p.pt),
    deta: places.map((p) => p.deta),
    dphi: places.map((p) => p.dphi),
    px: places.map((p) => p.pt * Math.cos(p.dphi)),
    py: places.map((p) => p.pt * Math.sin(p.dphi)),
    pz: places.map((p) => p.pt * Math.sinh(p.deta)),
    energy: places.map((p) => p.pt * Math.cosh(p.deta)),
  };
}

// Core's transform with a turned and mirrored frame for jet 1 (jet 0 is untouched).
const config = { ...DEFAULT_IMAGE_CONFIG, width: 32, height: 32 };
const frames = [
  { centre: { deta: 0, dphi: 0 }, rotation: 0, flipDeta: false, flipDphi: false },
  { centre: { deta: 0.05, dphi: -0.05 }, rotation: Math.PI / 3, flipDeta: true, flipDphi: false },
];
const imageSet = new ImageTransform(config, frames, [[0], [1]]);

describe('core adapters', () => {
  it('take core prongs and per-jet transform, placing ROIs where core places the prongs', () => {
    const prongs = prongsFromCentroids(findProngs(twoClusterJet(), { count: 2 }));
    expect(prongs).toHaveLength(2);
    expect(prongs[0]!.deta).toBeCloseTo((0.3 * 200 + 0.32 * 100) / 300, 6);

    const transform = transformOfJet(imageSet, 1);
    const { rois } = prongRois(prongs, transform, { radius: 0.1 });
    for (const [k, roi] of rois.entries()) {
      const expected = imageSet.toPixel(1, prongs[k]!.deta, prongs[k]!.dphi);
      expect(roi.centre).toEqual(expected);
      const pixel = Math.floor(expected.row) * 32 + Math.floor(expected.col);
      expect(roi.coverage[pixel]).toBe(1);
    }
    // The same prong lands on another pixel in jet 0's untouched frame.
    const plain = prongRois(prongs, transformOfJet(imageSet, 0), { radius: 0.1 }).rois[0]!;
    expect(plain.centre).not.toEqual(rois[0]!.centre);
  });

  it('run a whole analysis through them', () => {
    const tokens = 17;
    const uniform = Array.from({ length: tokens }, () => new Array(tokens).fill(1 / tokens));
    const result = analyseJet({
      attention: attentionFromRows([[uniform]]),
      grid: { rows: 4, cols: 4 },
      transform: transformOfJet(imageSet, 1),
      prongs: prongsFromCentroids(findProngs(twoClusterJet(), { count: 2 })),
    });
    expect(result.union.enrichment).toBeCloseTo(1, 6);
    expect(result.rois).toHaveLength(2);
  });

  it('BAD CALLS: a jet index or prong of the wrong kind', () => {
    expect(() => transformOfJet(imageSet, -1)).toThrow(/jet: expected a jet index >= 0, got -1/);
    expect(() => transformOfJet({} as never, 0)).toThrow(/transform.config: expected an object/);
    expect(() => prongsFromCentroids([{ pt: 1 } as never])).toThrow(
      /prongs\[0\].centroid: expected an object/,
    );
  });
});
