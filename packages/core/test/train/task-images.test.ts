import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lastLayersFreezeSpec } from '../../src/train/protocol.js';
import { loadTaskImages } from '../../src/train/task-images.js';

const sample = new URL('../../../../data/jetclass-sample/', import.meta.url).pathname;
const filesOf = (c: string) =>
  readdirSync(sample)
    .filter((f) => f.startsWith(`${c}_`) && f.endsWith('.root'))
    .map((f) => join(sample, f));

const options = {
  files: [filesOf('ZJetsToNuNu'), filesOf('TTBar')],
  classes: ['ZJetsToNuNu', 'TTBar'],
  trainPerClass: 30,
  validationPerClass: 10,
  heldOutPerClass: 20,
  seeds: { sampling: 1, head: 2, shuffle: 3 },
  freeze: lastLayersFreezeSpec(12, 2),
  imageConfig: { height: 32, width: 32 },
  maxJetsPerClass: 100,
};

describe('loadTaskImages on the bundled sample', () => {
  test('draws the protocol per class and builds 32 x 32 jet images of each split', async () => {
    const task = await loadTaskImages(options);
    expect(task.train.images.dims).toEqual([60, 1, 32, 32]);
    expect(task.validation.images.dims).toEqual([20, 1, 32, 32]);
    expect(task.heldOut.images.dims).toEqual([40, 1, 32, 32]);
    expect(task.train.labels.filter((l) => l === 1)).toHaveLength(30);
    const ids = [...task.train.ids, ...task.validation.ids, ...task.heldOut.ids];
    expect(new Set(ids).size).toBe(120);
    expect(task.protocol.train.map((e) => e.id)).toEqual(task.train.ids);
    expect(task.train.ids[0]).toMatch(/^(TTBar|ZJetsToNuNu)_\d{3}\.root:\d+$/);
    for (let i = 0; i < 60; i++) {
      const image = task.train.images.data.subarray(i * 1024, (i + 1) * 1024);
      expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  test('the same seeds give the same jets; another sampling seed others', async () => {
    const a = await loadTaskImages(options);
    const b = await loadTaskImages(options);
    const c = await loadTaskImages({ ...options, seeds: { ...options.seeds, sampling: 7 } });
    expect(b.train.ids).toEqual(a.train.ids);
    expect(b.train.images.data).toEqual(a.train.images.data);
    expect(c.train.ids).not.toEqual(a.train.ids);
  });

  test('BAD CALLs', async () => {
    await expect(loadTaskImages({ ...options, files: [filesOf('TTBar')] })).rejects.toThrow(
      /files: 1 lists of files for 2 classes/,
    );
    await expect(loadTaskImages({ ...options, trainPerClass: 95 })).rejects.toThrow(
      /class 'ZJetsToNuNu': 105 events needed \(95 train \+ 10 validation\), 100 available/,
    );
  });
});
