import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jetImagePng, makeJetImages } from '../../src/images/index.js';
import { goldenJets } from '../jets/golden.js';

const { jets } = await goldenJets();

describe('jetImagePng', () => {
  it('renders an upscaled RGB PNG with empty pixels black and the brightest yellow', async () => {
    const set = makeJetImages(jets);
    const png = await jetImagePng(set, 0, { upscale: 4 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([132, 132, 3]);
    let black = 0;
    let yellow = 0;
    for (let q = 0; q < data.length; q += 3) {
      if (data[q] === 0 && data[q + 1] === 0 && data[q + 2] === 0) black++;
      if (data[q] === 253 && data[q + 1] === 231 && data[q + 2] === 37) yellow++;
    }
    expect(black).toBeGreaterThan(132 * 132 * 0.5);
    expect(yellow).toBeGreaterThanOrEqual(16);
  });

  it('BAD CALL: an image or channel that does not exist', async () => {
    const set = makeJetImages(jets.slice(0, 2));
    await expect(jetImagePng(set, 2)).rejects.toThrow(
      new RangeError('image must be an index in [0, 2), got 2'),
    );
    await expect(jetImagePng(set, 0, { channel: 1 })).rejects.toThrow(
      new RangeError('channel must be an index in [0, 1), got 1'),
    );
  });
});
