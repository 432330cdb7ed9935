import { describe, expect, it } from 'vitest';
import { RootFile, RootReadError } from '../../src/io/index.js';
import { fixtures, rootTestData } from './test-files.js';

describe('RootFile.open', () => {
  it('lists the trees of a ROOT-written file', async () => {
    const file = await RootFile.open(rootTestData('uproot-HZZ.root'));
    expect(file.treeNames()).toEqual(['events']);
    const tree = await file.tree('events');
    expect(tree.fEntries).toBe(2421);
    await file.close();
  });

  it('BAD CALL: a file that is not ROOT', async () => {
    const path = fixtures('bad/not-root.root');
    await expect(RootFile.open(path)).rejects.toThrow(
      new RootReadError({ file: path }, 'not a ROOT file (starts with "jet_", not "root")'),
    );
  });

  it('BAD CALL: a truncated file', async () => {
    const path = fixtures('bad/truncated.root');
    await expect(RootFile.open(path)).rejects.toThrow(
      `${path}: truncated: the header says the file ends at byte 47866, but it has 31910 bytes`,
    );
  });

  it('BAD CALL: a file that does not exist', async () => {
    const path = fixtures('bad/no-such-file.root');
    await expect(RootFile.open(path)).rejects.toThrow(`${path}: cannot open: ENOENT`);
  });

  it('BAD CALL: a path that is not a string', async () => {
    await expect(RootFile.open(42 as unknown as string)).rejects.toThrow(
      new TypeError('ROOT file path must be a string, got number'),
    );
  });

  it('BAD CALL: a tree that is not in the file', async () => {
    const path = fixtures('bad/no-tree.root');
    const file = await RootFile.open(path);
    await expect(file.tree('tree')).rejects.toThrow(
      `${path}: no TTree 'tree' (trees in the file: 'events')`,
    );
    await file.close();
  });

  it('BAD CALL: reading past the end of the file', async () => {
    const path = fixtures('jetclass/HToBB_120.root');
    const file = await RootFile.open(path);
    await expect(file.readBytes(file.size - 10, 20)).rejects.toThrow(
      `${path}: file ends at byte ${file.size}, needed bytes ${file.size - 10}..${file.size + 10}`,
    );
    await file.close();
  });
});
