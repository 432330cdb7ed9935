import { describe, expect, it } from 'vitest';
import { readAllJets } from '../../src/io/index.js';
import { fixtures } from './test-files.js';

describe('readJets on bad input', () => {
  const bad = (name: string) => fixtures(`bad/${name}`);

  it('BAD CALL: not a ROOT file', async () => {
    await expect(readAllJets(bad('not-root.root'))).rejects.toThrow(
      `${bad('not-root.root')}: not a ROOT file (starts with "jet_", not "root")`,
    );
  });

  it('BAD CALL: a truncated file', async () => {
    await expect(readAllJets(bad('truncated.root'))).rejects.toThrow(
      `${bad('truncated.root')}: truncated: the header says the file ends at byte 47866, but it ` +
        'has 31910 bytes',
    );
  });

  it('BAD CALL: no tree of that name', async () => {
    await expect(readAllJets(bad('no-tree.root'))).rejects.toThrow(
      `${bad('no-tree.root')}: no TTree 'tree' (trees in the file: 'events')`,
    );
  });

  it('BAD CALL: a needed branch is missing', async () => {
    await expect(readAllJets(bad('missing-branch.root'))).rejects.toThrow(
      `${bad('missing-branch.root')}, tree 'tree', branch 'part_deta': branch not found (the tree ` +
        'has 41: npart, part_px, part_py, part_pz, part_energy, part_dphi, part_d0val, ' +
        'part_d0err, part_dzval, part_dzerr, part_charge, part_isChargedHadron, ...)',
    );
  });

  it('BAD CALL: particle arrays of unequal lengths', async () => {
    await expect(readAllJets(bad('unequal-lengths.root'))).rejects.toThrow(
      `${bad('unequal-lengths.root')}, tree 'tree', branch 'part_deta', entry 1: has 7 values but ` +
        `'part_px' has 8 (particle arrays must have equal lengths)`,
    );
  });

  it('BAD CALL: NaN and infinite constituent values', async () => {
    await expect(readAllJets(bad('nan-values.root'))).rejects.toThrow(
      `${bad('nan-values.root')}, tree 'tree', branch 'part_px', entry 1: constituent 2 is NaN ` +
        '(pass dropInvalidConstituents to drop such constituents)',
    );
  });

  it('drops NaN and infinite constituents when asked, and counts them', async () => {
    const strict = await readAllJets(fixtures('bad/nan-values.root'), {
      dropInvalidConstituents: true,
    });
    expect(strict.report.invalidConstituents).toEqual({ count: 2, jets: 2, entries: [1, 2] });
    const [j0, j1, j2] = strict.jets;
    expect(j1!.constituents.pt.length).toBe(j1!.features.nparticles - 1);
    expect(j2!.constituents.pt.length).toBe(j2!.features.nparticles - 1);
    expect(j0!.constituents.pt.length).toBe(j0!.features.nparticles);
    for (const jet of strict.jets) {
      for (const v of [...jet.constituents.px, ...jet.constituents.energy]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('BAD CALL: a jet without constituents', async () => {
    await expect(readAllJets(bad('empty-jet.root'))).rejects.toThrow(
      `${bad('empty-jet.root')}, tree 'tree', branch 'part_px', entry 1: the jet has no ` +
        'constituents (pass dropEmptyJets to skip such jets)',
    );
  });

  it('skips empty jets when asked, and counts them', async () => {
    const { jets, report } = await readAllJets(bad('empty-jet.root'), { dropEmptyJets: true });
    expect(jets.map((j) => j.origin.entry)).toEqual([0, 2]);
    expect(report.emptyJets).toEqual({ count: 1, entries: [1] });
  });

  it('BAD CALL: labels that are not one-hot', async () => {
    await expect(readAllJets(bad('not-one-hot.root'))).rejects.toThrow(
      `${bad('not-one-hot.root')}, tree 'tree', branch 'label_Tbqq', entry 2: labels are not ` +
        'one-hot: 2 of 10 label branches are set (label_Hbb=1, label_Tbqq=1); exactly one must ' +
        'be non-zero',
    );
  });

  it("BAD CALL: labels that contradict the file's process name", async () => {
    const path = bad('process-mismatch/HToBB_000.root');
    await expect(readAllJets(path)).rejects.toThrow(
      `${path}, tree 'tree', branch 'label_Hbb', entry 0: the jet is labelled Tbqq ` +
        '(label_Tbqq), but the file name HToBB_000.root says Hbb',
    );
  });
});
