/**
 * The study's sanity checks end to end with the real default backbone: on a small seeded
 * subset of the test events, the maps of an untrained model and of shuffled images must differ
 * from the fine-tuned model's, the numbers reach the table, the JSON and the HTML report, and a
 * rerun finds the stored sanity run by its config.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@jetlens/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetlens, SAMPLE } from './helpers.js';

const BACKBONE = join(repoRoot, 'models', 'jetlens-vit-tiny-jets');
const EVENTS = 24;

let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'jetlens-sanity-'));
  chmodSync(scratch, 0o755);
  env = { DATABASE_URL: '', JETLENS_HOME: join(scratch, 'home'), JETLENS_THREADS: '1' };
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function studyArgs(name: string): string[] {
  return [
    'study',
    '--data',
    join(SAMPLE, 'TTBar_000.root'),
    join(SAMPLE, 'ZJetsToNuNu_000.root'),
    '--tasks',
    'ttbar-vs-qcd',
    '--model',
    BACKBONE,
    '--train-per-class',
    '20',
    '--validation-per-class',
    '10',
    '--epochs',
    '2',
    '--shard-size',
    '2000',
    '--sanity-events',
    String(EVENTS),
    '--json',
    join(scratch, `${name}.json`),
    '--report',
    join(scratch, `${name}.html`),
  ];
}

interface Estimate {
  estimate: number;
  interval: { low: number; high: number } | null;
}

describe('jetlens study: sanity checks of the attention maps', () => {
  it('reports maps of randomised models and shuffled images that differ from the trained ones', async () => {
    const result = await jetlens(studyArgs('first'), env);
    expect(result.stdout).toContain(`sanity checks on ${EVENTS} of `);
    expect(result.stdout).toMatch(/randomInit\s+TTBar\s+all\s+\d+\s+0\.\d{3} ± 0\.\d{3}/);
    expect(result.stdout).toMatch(/shuffledPixels\s+[01]\.\d{3}\s+-?0\.\d{3} ± 0\.\d{3}/);
    const html = readFileSync(join(scratch, 'first.html'), 'utf8');
    expect(html).toContain('<h3>Sanity checks');

    const [task] = JSON.parse(readFileSync(join(scratch, 'first.json'), 'utf8')).tasks;
    const sanity = task.sanity;
    expect(sanity.events).toBe(EVENTS);
    expect(task.runs.sanity).toEqual(expect.any(String));
    expect(Object.keys(sanity.variants).sort()).toEqual([
      'randomInit',
      'shuffledPixels',
      'topLayersReinit',
    ]);
    for (const result of [
      sanity.trained,
      ...Object.values<typeof sanity.trained>(sanity.variants),
    ]) {
      const jets = result.attention.TTBar.all.n + result.attention.ZJetsToNuNu.all.n;
      expect(jets).toBe(EVENTS);
      for (const cls of ['TTBar', 'ZJetsToNuNu']) {
        const all = result.attention[cls].all;
        expect(all.fraction.value).toBeGreaterThan(0);
        expect(all.fraction.value).toBeLessThan(1);
        expect(all.enrichment.value).toBeGreaterThan(0);
      }
    }
    expect(sanity.trained.similarity).toBeNull();

    // A map that survives re-drawing every weight, or shuffling the jet, explains nothing.
    const random: Estimate = sanity.variants.randomInit.similarity.rankCorrelation;
    expect(random.estimate).toBeLessThan(0.8);
    expect(random.interval!.high).toBeLessThan(0.9);
    const shuffled: Estimate = sanity.variants.shuffledPixels.similarity.rankCorrelation;
    expect(shuffled.estimate).toBeLessThan(0.8);
    expect(sanity.variants.randomInit.similarity.ssim.estimate).toBeLessThan(0.9);
    const reinit: Estimate = sanity.variants.topLayersReinit.similarity.rankCorrelation;
    expect(reinit.estimate).toBeGreaterThanOrEqual(-1);
    expect(reinit.estimate).toBeLessThanOrEqual(1);
  });

  it('finds the stored sanity run when rerun with the same settings', async () => {
    const result = await jetlens(studyArgs('again'), env);
    expect(result.stderr).toMatch(/sanity run \S+ already complete/);
    const first = JSON.parse(readFileSync(join(scratch, 'first.json'), 'utf8'));
    const again = JSON.parse(readFileSync(join(scratch, 'again.json'), 'utf8'));
    expect(again).toEqual(first);
  });
});
