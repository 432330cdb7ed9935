import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAllJets } from '../../src/io/index.js';
import { findProngs, softDropMass } from '../../src/jets/index.js';

const sample = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'data',
  'jetclass-sample',
);

// the bundled sample from tools/jetsim: 1000 jets per class, with the resonance's decay
// partons as truth prongs (QCD jets have their hard parton, or none when it is unmatched)
const CLASSES = [
  { file: 'TTBar_000.root', label: 'Tbqq', prongs: 3 },
  { file: 'HToBB_000.root', label: 'Hbb', prongs: 2 },
  { file: 'HToCC_000.root', label: 'Hcc', prongs: 2 },
  { file: 'ZJetsToNuNu_000.root', label: 'QCD', prongs: 1 },
];

describe('the bundled JetClass sample', () => {
  for (const { file, label, prongs } of CLASSES) {
    it(`reads ${file}: labels, truth prongs and substructure as written`, async () => {
      const { jets, report } = await readAllJets(join(sample, file), { chunkSize: 256 });
      expect(jets).toHaveLength(1000);
      expect(report.emptyJets.count + report.invalidConstituents.count).toBe(0);
      expect(new Set(jets.map((j) => j.label))).toEqual(new Set([label]));

      let matched = 0;
      for (const jet of jets.slice(0, 100)) {
        expect(jet.constituents.pt.length).toBe(jet.features.nparticles);
        expect(jet.features.pt).toBeGreaterThan(500);
        // the generator's soft-drop mass, recomputed from the stored float32 constituents: m^2
        // agrees up to float32 rounding of E^2 - p^2
        const sd = softDropMass(jet.constituents);
        const m2 = jet.features.sdmass ** 2;
        expect(Math.abs(sd ** 2 - m2)).toBeLessThan(1e-3 * m2 + 1e-6 * jet.features.energy ** 2);

        if (label === 'QCD') {
          expect(jet.prongs!.length).toBeLessThanOrEqual(1);
          continue;
        }
        expect(jet.prongs?.length).toBe(prongs);
        // each truth parton lies near one of the exclusive-kT prong centroids
        const found = findProngs(jet.constituents, { count: prongs });
        const near = jet.prongs!.every((p) =>
          found.some((f) => Math.hypot(f.centroid.deta - p.deta, f.centroid.dphi - p.dphi) < 0.2),
        );
        if (near) matched++;
      }
      // measured: 85 (TTBar), 90 (HToBB), 90 (HToCC) of 100
      if (label !== 'QCD') expect(matched).toBeGreaterThan(75);
    });
  }
});
