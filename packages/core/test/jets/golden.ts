import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Jet, readAllJets } from '../../src/io/index.js';
import { fixtures } from '../io/test-files.js';

export interface GoldenSubjet {
  pt: number;
  rapidity: number;
  phi: number;
  members: number[];
}

export interface GoldenJet {
  entry: number;
  tau_kt_axes: number[];
  tau_onepass_kt_axes: number[];
  sdmass: number;
  subjets: Record<'kt' | 'cambridge', Record<string, GoldenSubjet[]>>;
  images: { npix: number; img_width: number; norm: boolean; pixels: [number, number, number][] }[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** FastJet and EnergyFlow numbers from tools/reference/golden_jets.py, and their jets. */
export async function goldenJets(): Promise<{ jets: Jet[]; golden: GoldenJet[] }> {
  const path = join(here, '..', 'golden', 'jets', 'golden-jets.json');
  const golden = JSON.parse(readFileSync(path, 'utf8')).jets as GoldenJet[];
  const { jets } = await readAllJets(fixtures('golden-jets.root'));
  return { jets, golden };
}
