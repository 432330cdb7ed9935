import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderGallery, rowsByClassAndOutcome } from '../../src/render/gallery.js';

async function tile(colour: string) {
  return sharp({ create: { width: 60, height: 40, channels: 4, background: colour } })
    .png()
    .toBuffer();
}

describe('rowsByClassAndOutcome', () => {
  it('gives per class a row of correct and a row of wrong examples, perRow at most', async () => {
    const png = await tile('#ff0000');
    const examples = [
      { trueClass: 'HToBB', predictedClass: 'HToBB', title: 'a', png },
      { trueClass: 'HToBB', predictedClass: 'HToCC', title: 'b', png },
      { trueClass: 'HToBB', predictedClass: 'HToBB', title: 'c', png },
      { trueClass: 'HToCC', predictedClass: 'HToCC', title: 'd', png },
      { trueClass: 'HToBB', predictedClass: 'HToBB', title: 'e', png },
    ];
    const rows = rowsByClassAndOutcome(examples, 2);
    expect(rows.map((r) => r.label)).toEqual(['HToBB: correct', 'HToBB: wrong', 'HToCC: correct']);
    expect(rows[0]!.tiles.map((t) => t.title)).toEqual(['a', 'c']);
    expect(() => rowsByClassAndOutcome(examples, 0)).toThrow(/perRow: expected a positive integer/);
  });
});

describe('renderGallery', () => {
  it('lays tiles out in labelled rows under a title', async () => {
    const red = await tile('#ff0000');
    const blue = await tile('#0000ff');
    const png = await renderGallery({
      title: 'TTBar vs ZJetsToNuNu',
      rows: [
        {
          label: 'TTBar: correct',
          tiles: [
            { title: 'jet 1', png: red },
            { title: 'jet 2', png: red },
          ],
        },
        { label: 'TTBar: wrong', tiles: [{ title: 'jet 3', png: blue }] },
      ],
    });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    // Width: margin + 2 x (60 + margin); height: header + 2 rows of (label + title + 40 + margin).
    expect([info.width, info.height]).toEqual([150, 36 + 2 * 92]);
    const pixel = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 3));
    expect(pixel(10 + 70 + 5, 36 + 42 + 5)).toEqual([255, 0, 0]);
    expect(pixel(15, 36 + 92 + 42 + 5)).toEqual([0, 0, 255]);
    expect(pixel(85, 36 + 92 + 42 + 5)).toEqual([255, 255, 255]);
    let dark = 0;
    for (let y = 0; y < 30; y++) for (let x = 0; x < 150; x++) if (pixel(x, y)[0]! < 128) dark++;
    expect(dark).toBeGreaterThan(50);
  });

  it('BAD CALLS: no rows, or a tile that is not a PNG buffer', async () => {
    await expect(renderGallery({ title: 'x', rows: [] })).rejects.toThrow(
      /rows: expected at least one row/,
    );
    await expect(
      renderGallery({
        title: 'x',
        rows: [{ label: 'r', tiles: [{ title: 't', png: 'no' as never }] }],
      }),
    ).rejects.toThrow(/tile 0: expected a PNG Buffer/);
  });
});
