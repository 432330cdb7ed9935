import { describe, expect, test } from 'vitest';
import { makeJetImages } from '../../src/images/jet-images.js';
import { openSafetensors } from '../../src/safetensors/reader.js';

// Written by tools/pretrain/image_golden.py from pretraining jets (HToGG, jetsim): the
// constituents and the images the numpy builder that made the backbone's training images
// computed from them.
const golden = new URL('../golden/train/pretrain_images.safetensors', import.meta.url).pathname;

describe("the backbone's pretraining images", () => {
  test("are JetLens's jet images (32 x 32, 2R x 2R, pT-weighted, sum 1), pixel for pixel", () => {
    const file = openSafetensors(golden);
    const read = (name: string) => file.readFloat32(name).data;
    const expected = file.readFloat32('images');
    const n = expected.shape[0]!;
    const jets = Array.from({ length: n }, (_, i) => ({
      constituents: {
        px: read(`jet${i}.px`),
        py: read(`jet${i}.py`),
        pz: read(`jet${i}.pz`),
        energy: read(`jet${i}.energy`),
        pt: read(`jet${i}.pt`),
        deta: read(`jet${i}.deta`),
        dphi: read(`jet${i}.dphi`),
        charge: null,
      },
    }));
    file.close();

    const set = makeJetImages(jets, { height: 32, width: 32 });
    expect(set.shape).toEqual([16, 1, 32, 32]);
    let worst = 0;
    for (let i = 0; i < expected.data.length; i++) {
      worst = Math.max(worst, Math.abs(set.tensor[i]! - expected.data[i]!));
    }
    expect(worst).toBeLessThan(1e-6);
    // Same pixels lit, not merely close values.
    const lit = (a: ArrayLike<number>) => Array.from(a, (v) => v > 0);
    expect(lit(set.tensor)).toEqual(lit(expected.data));
  });
});
