import { describe, expect, it } from 'vitest';
import { type BranchMapping, JETCLASS_LABELS, readAllJets, readJets } from '../../src/io/index.js';
import { wrapPhi } from '../../src/kinematics/index.js';
import { fixtures, rootTestData } from './test-files.js';

const HZZ_JETS: BranchMapping = {
  tree: 'events',
  particles: { px: 'Jet_Px', py: 'Jet_Py', pz: 'Jet_Pz', energy: 'Jet_E' },
};

describe('readJets on JetClass files', () => {
  it('reads jets with constituents, features, label, truth and origin', async () => {
    const path = fixtures('jetclass/HToBB_120.root');
    const { jets, report } = await readAllJets(path);
    expect(jets).toHaveLength(6);
    expect(report).toEqual({
      file: path,
      entriesRead: 6,
      jets: 6,
      emptyJets: { count: 0, entries: [] },
      invalidConstituents: { count: 0, jets: 0, entries: [] },
    });

    for (const [entry, jet] of jets.entries()) {
      expect(jet.origin).toEqual({ file: path, entry });
      expect(jet.label).toBe('Hbb');
      const c = jet.constituents;
      expect(c.pt.length).toBe(jet.features.nparticles);
      expect(c.charge).not.toBeNull();
      expect(c.pid).not.toBeNull();
      expect(c.displacement).not.toBeNull();
      expect(jet.resonance?.pid).toBe(25);
      expect(jet.resonance?.truthMatch).toBe(41);

      // the constituents add up to the jet, and deta/dphi follow the JetClass convention
      let px = 0;
      let py = 0;
      for (let j = 0; j < c.pt.length; j++) {
        px += c.px[j]!;
        py += c.py[j]!;
        const eta = Math.asinh(c.pz[j]! / c.pt[j]!);
        const phi = Math.atan2(c.py[j]!, c.px[j]!);
        const sign = jet.features.eta > 0 ? 1 : -1;
        expect(c.deta[j]).toBeCloseTo((eta - jet.features.eta) * sign, 4);
        expect(c.dphi[j]).toBeCloseTo(wrapPhi(phi - jet.features.phi), 4);
        const flags = c.pid!;
        const n = flags.chargedHadron[j]! + flags.neutralHadron[j]! + flags.photon[j]!;
        expect(n + flags.electron[j]! + flags.muon[j]!).toBe(1);
      }
      expect(Math.hypot(px, py)).toBeCloseTo(jet.features.pt, 1);
      // a two-prong jet has a large soft-drop mass and tau2/tau1 well below one
      expect(jet.features.tau2 / jet.features.tau1).toBeLessThan(0.8);
    }
  });

  it('streams in chunks without changing the jets', async () => {
    const path = fixtures('jetclass/HToBB_120.root');
    const whole = (await readAllJets(path)).jets;
    const stream = readJets(path, { chunkSize: 4 });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => [c.firstEntry, c.entries])).toEqual([
      [0, 4],
      [4, 2],
    ]);
    const jets = chunks.flatMap((c) => c.jets);
    expect(jets.map((j) => [...j.constituents.deta])).toEqual(
      whole.map((j) => [...j.constituents.deta]),
    );
    expect(stream.report.jets).toBe(6);
  });

  it('reads entry ranges', async () => {
    const { jets } = await readAllJets(fixtures('jetclass/HToBB_120.root'), {
      firstEntry: 2,
      maxEntries: 3,
    });
    expect(jets.map((j) => j.origin.entry)).toEqual([2, 3, 4]);
  });

  for (const compression of ['zlib', 'lz4', 'zstd', 'lzma']) {
    it(`reads the ${compression} file as the others`, async () => {
      const { jets } = await readAllJets(fixtures(`compression/${compression}/TTBar_000.root`));
      const reference = (await readAllJets(fixtures('compression/zlib/TTBar_000.root'))).jets;
      expect(jets.map((j) => j.label)).toEqual(['Tbqq', 'Tbqq', 'Tbqq', 'Tbqq', 'Tbqq']);
      expect(jets.map((j) => j.features)).toEqual(reference.map((j) => j.features));
      expect(jets.map((j) => [...j.constituents.pt])).toEqual(
        reference.map((j) => [...j.constituents.pt]),
      );
    });
  }

  it('reads files whose names are not JetClass ones without a process check', async () => {
    const { jets } = await readAllJets(fixtures('golden-jets.root'));
    expect(jets.map((j) => j.label)).toEqual([
      ...['QCD', 'QCD', 'QCD', 'Hbb', 'Hbb', 'Hbb', 'Tbqq', 'Tbqq', 'Tbqq'],
    ]);
    expect(JETCLASS_LABELS).toContain(jets[0]!.label);
  });
});

describe('readJets through a branch mapping', () => {
  for (const name of ['uproot-HZZ.root', 'uproot-HZZ-zstd.root']) {
    it(`reads the jets of each event of ${name} as the "particles" of one jet`, async () => {
      const stream = readJets(rootTestData(name), {
        mapping: HZZ_JETS,
        dropEmptyJets: true,
        chunkSize: 500,
      });
      let sumPx = 0;
      let jets = 0;
      for await (const chunk of stream) {
        for (const jet of chunk.jets) {
          jets += 1;
          const c = jet.constituents;
          let x = 0;
          let y = 0;
          for (let j = 0; j < c.px.length; j++) {
            sumPx += c.px[j]!;
            x += c.px[j]!;
            y += c.py[j]!;
          }
          // the axis is the summed four-vector: pT-weighted dphi is small, never far off
          expect(jet.features.pt).toBeCloseTo(Math.hypot(x, y), 3);
          expect(jet.label).toBeNull();
          for (const d of c.dphi) expect(Math.abs(d)).toBeLessThanOrEqual(Math.PI);
        }
      }
      expect(sumPx).toBeCloseTo(3434.92, 2);
      expect(stream.report.entriesRead).toBe(2421);
      expect(jets + stream.report.emptyJets.count).toBe(2421);
      expect(stream.report.emptyJets.count).toBe(716);
      expect(stream.report.emptyJets.entries).toHaveLength(20);
    });
  }

  it('maps another collection: the muons, with their charge', async () => {
    const path = rootTestData('uproot-HZZ.root');
    const { jets, report } = await readAllJets(path, {
      mapping: {
        tree: 'events',
        particles: {
          px: 'Muon_Px',
          py: 'Muon_Py',
          pz: 'Muon_Pz',
          energy: 'Muon_E',
          charge: 'Muon_Charge',
        },
      },
      dropEmptyJets: true,
    });
    const muons = jets.reduce((n, j) => n + j.constituents.pt.length, 0);
    expect(jets.length + report.emptyJets.count).toBe(2421);
    expect(muons).toBe(3825);
    for (const jet of jets) {
      for (const q of jet.constituents.charge!) expect(Math.abs(q)).toBe(1);
      expect(jet.features.sdmass).toBeNaN();
    }
  });

  it('reads NanoAOD-style (pt, eta, phi, mass) candidates around a FatJet axis', async () => {
    // the same jets as jetclass/HToBB_120.root, stored as PFCands_* with FatJet_eta/phi
    const { jets } = await readAllJets(fixtures('nanoaod-style.root'), {
      mapping: {
        tree: 'Events',
        particles: {
          pt: 'PFCands_pt',
          eta: 'PFCands_eta',
          phi: 'PFCands_phi',
          mass: 'PFCands_mass',
        },
        jet: { pt: 'jet_pt', eta: 'FatJet_eta', phi: 'FatJet_phi' },
      },
    });
    const reference = (await readAllJets(fixtures('jetclass/HToBB_120.root'))).jets;
    expect(jets).toHaveLength(reference.length);
    for (const [i, jet] of jets.entries()) {
      const a = jet.constituents;
      const b = reference[i]!.constituents;
      expect(jet.features.eta).toBe(reference[i]!.features.eta);
      for (let j = 0; j < b.pt.length; j++) {
        expect(a.pt[j]).toBeCloseTo(b.pt[j]!, 3);
        expect(a.px[j]).toBeCloseTo(b.px[j]!, 2);
        expect(a.energy[j]! / b.energy[j]!).toBeCloseTo(1, 5);
        expect(a.deta[j]).toBeCloseTo(b.deta[j]!, 5);
        expect(a.dphi[j]).toBeCloseTo(b.dphi[j]!, 5);
      }
    }
  });

  it('BAD CALL: a mapping without momenta', () => {
    expect(() =>
      readJets(fixtures('golden-jets.root'), {
        mapping: { tree: 'tree', particles: { px: 'part_px' } },
      }),
    ).toThrow(
      new RangeError(
        'mapping.particles needs px, py, pz and energy, or pt, eta, phi and energy or mass',
      ),
    );
  });

  it('BAD CALL: a mapping field that does not exist', () => {
    const particles = { ...HZZ_JETS.particles, rapidity: 'Jet_Y' } as BranchMapping['particles'];
    expect(() => readJets('x.root', { mapping: { tree: 'events', particles } })).toThrow(
      RangeError,
    );
  });

  it('BAD CALL: a mapped particle branch that is a scalar', async () => {
    const path = rootTestData('uproot-HZZ.root');
    const mapping = { tree: 'events', particles: { ...HZZ_JETS.particles, px: 'MET_px' } };
    await expect(readAllJets(path, { mapping })).rejects.toThrow(
      `${path}, tree 'events', branch 'MET_px': expected one array per entry, but the branch ` +
        'is scalar (MET_px/F)',
    );
  });

  it('BAD CALL: options of the wrong kind or value', () => {
    const path = fixtures('golden-jets.root');
    expect(() => readJets(path, { chunkSize: 0 })).toThrow(
      new RangeError('chunkSize must be an integer >= 1, got 0'),
    );
    expect(() => readJets(path, { chunkSize: '10' as unknown as number })).toThrow(
      new TypeError('chunkSize must be a number, got string'),
    );
    expect(() => readJets(7 as unknown as string)).toThrow(
      new TypeError('path must be a string, got number'),
    );
  });
});
