import { describe, expect, it } from 'vitest';
import { makeJetImages } from '../../src/images/index.js';
import { readAllJets } from '../../src/io/index.js';
import { fixtures } from '../io/test-files.js';
import { goldenJets } from '../jets/golden.js';

const { jets, golden } = await goldenJets();

describe('makeJetImages against EnergyFlow pixelate', () => {
  for (const [k, { npix, width, norm }] of [
    { npix: 33, width: 1.6, norm: true },
    { npix: 15, width: 1.0, norm: false },
  ].entries()) {
    it(`matches pixelate(npix=${npix}, img_width=${width}, norm=${norm}) pixel for pixel`, () => {
      const half = width / 2;
      const set = makeJetImages(jets, {
        height: npix,
        width: npix,
        detaRange: [-half, half],
        dphiRange: [-half, half],
        centre: 'pt-centroid',
        snapCentre: true,
        normalisation: norm ? 'sum' : 'none',
      });
      expect(set.shape).toEqual([jets.length, 1, npix, npix]);
      for (const [i, g] of golden.entries()) {
        const expected = new Float32Array(npix * npix);
        for (const [row, col, value] of g.images[k]!.pixels) expected[row * npix + col] = value;
        const ours = set.tensor.subarray(i * npix * npix, (i + 1) * npix * npix);
        for (let q = 0; q < expected.length; q++) {
          expect(Math.abs(ours[q]! - expected[q]!)).toBeLessThanOrEqual(1e-6 * (norm ? 1 : 1000));
        }
      }
    });
  }
});

describe('makeJetImages', () => {
  it('sums each normalised image to one and follows the orientation convention', () => {
    const set = makeJetImages(jets);
    const [n, , h, w] = set.shape;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (const v of set.tensor.subarray(i * h * w, (i + 1) * h * w)) sum += v;
      expect(sum).toBeCloseTo(1, 5);
    }
    // the hardest constituent of jet 0 lands where the transform says: top = +dphi
    const c = jets[0]!.constituents;
    const p = set.transform.toPixel(0, c.deta[0]!, c.dphi[0]!);
    expect(set.tensor[Math.floor(p.row) * w + Math.floor(p.col)]).toBeGreaterThan(0);
    expect(p.row < h / 2).toBe(c.dphi[0]! > 0);
    expect(p.col < w / 2).toBe(c.deta[0]! < 0);
  });

  it('keeps prong centroids and the image in agreement under every preprocessing', async () => {
    const { findProngs } = await import('../../src/jets/index.js');
    for (const centre of ['pt-centroid', 'leading-subjet'] as const) {
      for (const rotate of ['principal-axis', 'second-subjet'] as const) {
        const set = makeJetImages(jets, {
          centre,
          rotate,
          flip: 'deta-dphi',
          height: 64,
          width: 64,
        });
        for (const [i, jet] of jets.entries()) {
          const prongs = findProngs(jet.constituents, { count: 2 });
          // the centroid of prong 0, recomputed from its constituents' pixels, matches toPixel
          let w = 0;
          let row = 0;
          let col = 0;
          for (const j of prongs[0]!.members) {
            const p = set.transform.toPixel(
              i,
              jet.constituents.deta[j]!,
              jet.constituents.dphi[j]!,
            );
            w += jet.constituents.pt[j]!;
            row += jet.constituents.pt[j]! * p.row;
            col += jet.constituents.pt[j]! * p.col;
          }
          const c = set.transform.toPixel(i, prongs[0]!.centroid.deta, prongs[0]!.centroid.dphi);
          expect(c.row).toBeCloseTo(row / w, 6);
          expect(c.col).toBeCloseTo(col / w, 6);
          // and back
          const back = set.transform.fromPixel(i, c.row, c.col);
          expect(back.deta).toBeCloseTo(prongs[0]!.centroid.deta, 10);
          expect(back.dphi).toBeCloseTo(prongs[0]!.centroid.dphi, 10);
        }
      }
    }
  });

  it('centres, rotates and flips as configured', async () => {
    const { findProngs } = await import('../../src/jets/index.js');
    const set = makeJetImages(jets, {
      centre: 'leading-subjet',
      rotate: 'second-subjet',
      flip: 'deta',
    });
    for (const [i, jet] of jets.entries()) {
      const [lead, second] = findProngs(jet.constituents, { count: 2 });
      const a = set.transform.toFrame(i, lead!.centroid.deta, lead!.centroid.dphi);
      const b = set.transform.toFrame(i, second!.centroid.deta, second!.centroid.dphi);
      expect(a.deta).toBeCloseTo(0, 12);
      expect(a.dphi).toBeCloseTo(0, 12);
      // the second subjet points straight down
      expect(b.deta).toBeCloseTo(0, 9);
      expect(b.dphi).toBeLessThan(0);
      // the heavier half is on the right
      let right = 0;
      let left = 0;
      const c = jet.constituents;
      for (let j = 0; j < c.pt.length; j++) {
        const p = set.transform.toFrame(i, c.deta[j]!, c.dphi[j]!);
        if (p.deta > 0) right += c.pt[j]!;
        else left += c.pt[j]!;
      }
      expect(right).toBeGreaterThanOrEqual(left);
    }
  });

  it('stacks consecutive jets of one class and reports those left over', () => {
    const single = makeJetImages(jets, { normalisation: 'none' });
    const input = [...jets.slice(3, 5), ...jets.slice(6, 9)];
    const stacked = makeJetImages(input, { normalisation: 'none', jetsPerImage: 2 });
    expect(stacked.shape[0]).toBe(2);
    expect(stacked.transform.groups).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(stacked.labels).toEqual(['Hbb', 'Tbqq']);
    expect(stacked.leftOver).toBe(1);
    // the left-over jet is in no image and has no frame
    expect(stacked.transform.frames).toHaveLength(4);
    expect(stacked.transform.imageOf(3)).toBe(1);
    expect(() => stacked.transform.imageOf(4)).toThrow(RangeError);
    const plane = 33 * 33;
    for (let q = 0; q < plane; q++) {
      const sum = single.tensor[3 * plane + q]! + single.tensor[4 * plane + q]!;
      expect(stacked.tensor[q]).toBeCloseTo(sum, 3);
    }
  });

  it('splits pT into charged and neutral channels and counts multiplicity', async () => {
    const { jets: sample } = await readAllJets(fixtures('jetclass/HToBB_120.root'));
    const set = makeJetImages(sample, {
      channels: ['weight', 'charged', 'neutral', 'multiplicity'],
      normalisation: 'none',
      detaRange: [-2, 2],
      dphiRange: [-2, 2],
    });
    const plane = 33 * 33;
    for (const [i, jet] of sample.entries()) {
      const base = i * 4 * plane;
      let counted = 0;
      for (let q = 0; q < plane; q++) {
        const all = set.tensor[base + q]!;
        const split = set.tensor[base + plane + q]! + set.tensor[base + 2 * plane + q]!;
        expect(split).toBeCloseTo(all, 3);
        counted += set.tensor[base + 3 * plane + q]!;
      }
      expect(counted).toBe(jet.constituents.pt.length);
    }
  });

  it('weights by energy and takes log(1 + GeV) when asked', () => {
    const raw = makeJetImages(jets, { weight: 'energy', normalisation: 'none' });
    const log = makeJetImages(jets, { weight: 'energy', normalisation: 'log' });
    let energy = 0;
    for (const e of jets[0]!.constituents.energy) energy += e;
    let sum = 0;
    for (let q = 0; q < 33 * 33; q++) {
      sum += raw.tensor[q]!;
      expect(log.tensor[q]).toBeCloseTo(Math.log1p(raw.tensor[q]!), 5);
    }
    // all of jet 0 fits in the 2R x 2R window
    expect(sum).toBeCloseTo(energy, 0);
  });

  it('counts charged constituents in the charged-multiplicity channel', async () => {
    const { jets: sample } = await readAllJets(fixtures('jetclass/HToBB_120.root'));
    const set = makeJetImages(sample, {
      channels: ['charged-multiplicity'],
      detaRange: [-2, 2],
      dphiRange: [-2, 2],
    });
    const plane = 33 * 33;
    for (const [i, jet] of sample.entries()) {
      let counted = 0;
      for (let q = 0; q < plane; q++) counted += set.tensor[i * plane + q]!;
      const charged = jet.constituents.charge!.filter((q) => q !== 0).length;
      expect(counted).toBe(charged);
    }
  });

  it('serialises its transform to JSON and back', () => {
    const set = makeJetImages(jets, {
      centre: 'pt-centroid',
      rotate: 'principal-axis',
      flip: 'deta',
    });
    const copy = (
      set.transform.constructor as typeof import('../../src/images/index.js').ImageTransform
    ).fromJSON(JSON.parse(JSON.stringify(set.transform)));
    const c = jets[5]!.constituents;
    expect(copy.toPixel(5, c.deta[3]!, c.dphi[3]!)).toEqual(
      set.transform.toPixel(5, c.deta[3]!, c.dphi[3]!),
    );
    expect(copy.config).toEqual(set.transform.config);
  });

  it('BAD CALL: options of the wrong kind or value', () => {
    expect(() => makeJetImages(jets, { height: 0 })).toThrow(
      new RangeError('height must be an integer >= 1, got 0'),
    );
    expect(() => makeJetImages(jets, { centre: 'middle' as 'none' })).toThrow(
      new RangeError('centre must be one of none, pt-centroid, leading-subjet, got middle'),
    );
    expect(() => makeJetImages(jets, { detaRange: [1, -1] })).toThrow(
      new RangeError('detaRange must have low < high, got [1, -1]'),
    );
    expect(() => makeJetImages(jets, { channels: ['colour' as 'weight'] })).toThrow(RangeError);
    expect(() => makeJetImages(jets, { snapCentre: true })).toThrow(
      new RangeError('snapCentre needs a centre other than none'),
    );
    expect(() => makeJetImages(jets, { jetsPerImage: 10 })).toThrow(
      new RangeError('need at least 10 jets for one image, got 9'),
    );
  });

  it('BAD CALL: jets of two classes in one stacked image', () => {
    expect(() => makeJetImages(jets, { jetsPerImage: 3 * 2 })).toThrow(
      /jet 3 \(.*golden-jets.root, entry 3\) is labelled Hbb, but image 0 holds QCD jets/,
    );
  });

  it('BAD CALL: an image with nothing inside the window', () => {
    expect(() => makeJetImages(jets, { detaRange: [5, 6] })).toThrow(
      new RangeError('image 0 has no pt inside the window (jets 0..0)'),
    );
  });
});
