import { describe, expect, it } from 'vitest';
import { BranchReader, branchLayout, RootFile } from '../../src/io/index.js';
import { fixtures, rootTestData } from './test-files.js';

async function column(path: string, tree: string, branch: string, start: number, end: number) {
  const file = await RootFile.open(path);
  const t = await file.tree(tree);
  const reader = new BranchReader(file, tree, branchLayout(path, t, branch));
  const out = await reader.read(start, end);
  await file.close();
  return out;
}

describe('BranchReader', () => {
  for (const name of ['uproot-HZZ.root', 'uproot-HZZ-zstd.root']) {
    it(`sums Jet_Px over all 2421 events of ${name} (leaf-count arrays)`, async () => {
      const path = rootTestData(name);
      const file = await RootFile.open(path);
      const tree = await file.tree('events');
      const reader = new BranchReader(file, 'events', branchLayout(path, tree, 'Jet_Px'));
      let sum = 0;
      let jets = 0;
      // uneven chunks that straddle nothing in particular
      for (let start = 0; start < 2421; start += 337) {
        const c = await reader.read(start, Math.min(2421, start + 337));
        for (const v of c.values) sum += v;
        jets += c.values.length;
      }
      await file.close();
      expect(sum).toBeCloseTo(3434.92, 2);
      expect(jets).toBe(2773);
    });
  }

  it('reads a range that spans two baskets (Muon_Px has a basket boundary at entry 2231)', async () => {
    const path = rootTestData('uproot-HZZ.root');
    const whole = await column(path, 'events', 'Muon_Px', 2200, 2300);
    const before = await column(path, 'events', 'Muon_Px', 2200, 2231);
    const after = await column(path, 'events', 'Muon_Px', 2231, 2300);
    expect(whole.count).toBe(100);
    expect([...whole.values]).toEqual([...before.values, ...after.values]);
    expect(whole.offsets![31]).toBe(before.offsets![31]);
  });

  it('reads std::vector<int> TBranchElements', async () => {
    const c = await column(
      rootTestData('uproot-stl_containers.root'),
      'tree',
      'vector_int32',
      0,
      5,
    );
    expect([...c.offsets!]).toEqual([0, 1, 3, 6, 10, 15]);
    expect([...c.values]).toEqual([1, 1, 2, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 5]);
  });

  it('reads scalar bool, int32 and float branches', async () => {
    const path = fixtures('jetclass/HToBB_120.root');
    expect([...(await column(path, 'tree', 'label_Hbb', 0, 6)).values]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...(await column(path, 'tree', 'label_Tbqq', 0, 6)).values]).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    const npart = await column(path, 'tree', 'npart', 0, 6);
    const px = await column(path, 'tree', 'part_px', 0, 6);
    for (let i = 0; i < 6; i++) {
      expect(px.offsets![i + 1]! - px.offsets![i]!).toBe(npart.values[i]);
    }
  });

  it('reads the same values in all four compressions', async () => {
    const read = (c: string) =>
      column(fixtures(`compression/${c}/TTBar_000.root`), 'tree', 'part_deta', 0, 5);
    const zlib = await read('zlib');
    expect(zlib.values.length).toBeGreaterThan(100);
    for (const c of ['lz4', 'zstd', 'lzma']) {
      const other = await read(c);
      expect(other.values).toEqual(zlib.values);
      expect(other.offsets).toEqual(zlib.offsets);
    }
  });

  it('BAD CALL: a branch type JetLens does not read', async () => {
    const path = rootTestData('uproot-stl_containers.root');
    const file = await RootFile.open(path);
    const tree = await file.tree('tree');
    expect(() => branchLayout(path, tree, 'vector_string')).toThrow(
      `${path}, tree 'tree', branch 'vector_string': type vector<string> is not supported ` +
        '(supported: std::vector of float, double, char, unsigned char, short, unsigned short, ' +
        'int, unsigned int, long, Long64_t, unsigned long, ULong64_t, bool)',
    );
    await file.close();
  });
});
