/**
 * `jetlens study` end to end with the embedded database, as a user runs it: one task of the
 * bundled sample, a tiny backbone, few training images. The table is printed, the HTML report
 * is self-contained, the store holds every test event's prediction, map and ROIs, and a rerun
 * reuses everything.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseServer } from '@jetlens/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetlens, SAMPLE, spawnJetlens, tinyBackbone } from './helpers.js';

let scratch: string;
let env: NodeJS.ProcessEnv;
let model: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'jetlens-study-'));
  // Run as root, the embedded server drops to its own user, which must reach JETLENS_HOME.
  chmodSync(scratch, 0o755);
  // No DATABASE_URL: the embedded PostgreSQL under this JETLENS_HOME.
  env = { DATABASE_URL: '', JETLENS_HOME: join(scratch, 'home'), JETLENS_THREADS: '1' };
  model = tinyBackbone(join(scratch, 'tiny'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function studyArgs(name: string, extra: string[] = []): string[] {
  return [
    'study',
    '--data',
    join(SAMPLE, 'HToBB_000.root'),
    join(SAMPLE, 'HToCC_000.root'),
    '--tasks',
    'hbb-vs-hcc',
    '--model',
    model,
    '--train-per-class',
    '20',
    '--validation-per-class',
    '10',
    '--epochs',
    '2',
    '--shard-size',
    '500',
    // The sanity checks have their own test (sanity.test.ts).
    '--no-sanity',
    '--json',
    join(scratch, `${name}.json`),
    '--report',
    join(scratch, `${name}.html`),
    ...extra,
  ];
}

async function query<T extends pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const server = await openDatabaseServer({ home: env.JETLENS_HOME!, database: 'jetlens' });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
    await server.close();
  }
}

describe('jetlens study with the embedded database', () => {
  it('runs to the end, prints the table, writes the reports and stores every test event', async () => {
    const result = await jetlens(studyArgs('first'), env);
    expect(result.stderr).toMatch(/created local user \S+@localhost in collaboration "local"/);
    expect(result.stdout).toContain('hbb-vs-hcc: HToBB (signal) vs HToCC, 1940 test events');
    expect(result.stdout).toMatch(/AUC\s+0\.\d{3} ± 0\.\d{3}/);
    expect(result.stdout).toMatch(/HToBB\s+all\s+970\s+0\.\d{3} ± 0\.\d{3}/);
    expect(result.stdout).toContain(`report: ${join(scratch, 'first.html')}`);

    const html = readFileSync(join(scratch, 'first.html'), 'utf8');
    expect(html).toContain('data:image/png;base64,');
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).not.toMatch(/(src|href)="https?:/);

    const json = JSON.parse(readFileSync(join(scratch, 'first.json'), 'utf8'));
    const [task] = json.tasks;
    expect(task.task).toBe('hbb-vs-hcc');
    expect(task.events).toBe(1940);
    for (const key of ['accuracy', 'auc']) {
      expect(task[key].value).toBeGreaterThanOrEqual(0);
      expect(task[key].value).toBeLessThanOrEqual(1);
      expect(task[key].interval).toHaveLength(2);
    }
    expect(task.rejectionAt50.value).toBeGreaterThan(0);
    for (const cls of ['HToBB', 'HToCC']) {
      const groups = task.attention[cls];
      expect(groups.all.n).toBe(970);
      expect(groups.correct.n + groups.wrong.n).toBe(970);
      expect(groups.all.fraction.value).toBeGreaterThan(0);
      expect(groups.all.fraction.value).toBeLessThan(1);
      expect(groups.all.enrichment.value).toBeGreaterThan(0);
    }

    const runs = await query<{ kind: string; status: string; n: number }>(
      'SELECT kind, status, count(*)::int AS n FROM runs GROUP BY kind, status ORDER BY kind',
    );
    expect(runs).toEqual([
      { kind: 'FINETUNE', status: 'COMPLETED', n: 1 },
      { kind: 'EVALUATE', status: 'COMPLETED', n: 1 },
      { kind: 'EXPLAIN', status: 'COMPLETED', n: 1 },
    ]);
    const [stored] = await query<{
      datasets: number;
      predictions: number;
      maps: number;
      unions: number;
      prongs: number;
    }>(
      `SELECT (SELECT count(*)::int FROM datasets) AS datasets,
              (SELECT count(*)::int FROM predictions WHERE run_id = $1) AS predictions,
              (SELECT count(*)::int FROM attention_maps WHERE run_id = $2) AS maps,
              (SELECT count(*)::int FROM roi_annotations
                 WHERE run_id = $2 AND prong_index IS NULL) AS unions,
              (SELECT count(*)::int FROM roi_annotations
                 WHERE run_id = $2 AND prong_index IS NOT NULL) AS prongs`,
      [task.runs.evaluate, task.runs.explain],
    );
    expect(stored).toMatchObject({ datasets: 1, predictions: 1940, maps: 1940, unions: 1940 });
    // Up to three prongs per jet, one ROI each.
    expect(stored!.prongs).toBeGreaterThan(1940);
    expect(stored!.prongs).toBeLessThanOrEqual(3 * 1940);
  });

  it('reuses what is stored when rerun with the same settings', async () => {
    const result = await jetlens(studyArgs('again'), env);
    expect(result.stderr).toContain('not ingesting again');
    expect(result.stderr).toMatch(/fine-tuning run \S+ already complete/);
    expect(result.stderr).not.toContain('attempt 1 of');
    const first = JSON.parse(readFileSync(join(scratch, 'first.json'), 'utf8'));
    const again = JSON.parse(readFileSync(join(scratch, 'again.json'), 'utf8'));
    expect(again).toEqual(first);
    const [runs] = await query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
    expect(runs!.n).toBe(3);
  });

  it('evaluates stacked images of ten jets, and says why they are not explained', async () => {
    const result = await jetlens(studyArgs('stacked', ['--jets-per-image', '10']), env);
    expect(result.stdout).toContain('hbb-vs-hcc: HToBB (signal) vs HToCC, 140 test events');
    expect(result.stdout).toContain('(not explained: attention maps need one jet per image)');
    expect(existsSync(join(scratch, 'stacked.html'))).toBe(true);

    const json = JSON.parse(readFileSync(join(scratch, 'stacked.json'), 'utf8'));
    const explain = await spawnJetlens(['explain', '--run', json.tasks[0].runs.finetune], env).done;
    expect(explain.code).toBe(1);
    expect(explain.stderr).toContain('only images of one jet can be explained');
  });
});
