import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@jetlens/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetlens } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';

const fixtures = join(repoRoot, 'packages', 'core', 'test', 'fixtures');

let db: TestDatabase;
let scratch: string;
const owner = ['--user', 'ada@example.org', '--collaboration', 'atlas'];

/** A folder of JetClass-named copies of real ROOT files. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [target, source] of Object.entries(files)) {
    copyFileSync(join(fixtures, source), join(dir, target));
  }
  return dir;
}

beforeAll(async () => {
  db = await freshDatabase('api_ingest');
  scratch = mkdtempSync(join(tmpdir(), 'jetlens-ingest-'));
  await jetlens(['user', 'create', 'ada@example.org', '--name', 'Ada'], db.env);
  await jetlens(
    ['user', 'collaboration', 'atlas', '--name', 'ATLAS', '--owner', 'ada@example.org'],
    db.env,
  );
});

afterAll(async () => {
  await db?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function datasets() {
  const { rows } = await db.pool.query(
    `SELECT d.name, d.status, d.error, d.jet_count AS "jetCount", d.jet_counts AS "jetCounts",
            count(f.id)::int AS files
     FROM datasets d LEFT JOIN dataset_files f ON f.dataset_id = d.id
     GROUP BY d.id ORDER BY d.name`,
  );
  return rows;
}

describe('jetlens ingest', () => {
  it('ingests a folder of JetClass files once and recognises them on the next call', async () => {
    const dir = folder('good', {
      'HToBB_000.root': 'jetclass/HToBB_120.root',
      'TTBar_000.root': 'compression/zstd/TTBar_000.root',
    });
    const first = await jetlens(['ingest', dir, '--name', 'good', ...owner], db.env);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);

    const [dataset] = await datasets();
    expect(dataset).toMatchObject({ name: 'good', status: 'READY', error: null, files: 2 });
    expect(Object.keys(dataset.jetCounts).sort()).toEqual(['HToBB', 'TTBar']);
    expect(dataset.jetCount).toBe(dataset.jetCounts.HToBB + dataset.jetCounts.TTBar);
    expect(dataset.jetCount).toBeGreaterThan(0);

    const second = await jetlens(['ingest', dir, '--name', 'good', ...owner], db.env);
    expect(second.code).toBe(0);
    expect(second.out).toBe(first.out);
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM jobs WHERE kind = 'dataset.ingest'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('fails on a bad file with the reader error, marks the dataset failed and stores no files', async () => {
    const dir = folder('bad', {
      'TTBar_001.root': 'compression/lz4/TTBar_000.root',
      'HToCC_000.root': 'bad/truncated.root',
    });
    const result = await jetlens(['ingest', dir, '--name', 'broken', ...owner], db.env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/HToCC_000\.root/);

    const broken = (await datasets()).find((row) => row.name === 'broken');
    expect(broken).toMatchObject({ status: 'FAILED', files: 0, jetCount: 0 });
    expect(broken.error).toMatch(/HToCC_000\.root/);
    // The job failed at once: a corrupt file does not get better by retrying.
    const { rows } = await db.pool.query(
      "SELECT status, attempts, error FROM jobs WHERE kind = 'dataset.ingest' AND status = 'FAILED'",
    );
    expect(rows).toEqual([{ status: 'FAILED', attempts: 1, error: broken.error }]);
  });

  it('finds the dataset that holds a subset of its files, and refuses a mix of old and new', async () => {
    const good = await jetlens(
      ['ingest', join(scratch, 'good'), '--name', 'good', ...owner],
      db.env,
    );
    const subset = folder('subset', { 'HToBB_007.root': 'jetclass/HToBB_120.root' });
    const same = await jetlens(['ingest', subset, '--name', 'subset', ...owner], db.env);
    expect(same.code).toBe(0);
    expect(same.out).toBe(good.out);

    const mixed = folder('mixed', {
      'HToBB_007.root': 'jetclass/HToBB_120.root',
      'TTBar_009.root': 'compression/lzma/TTBar_000.root',
    });
    const result = await jetlens(['ingest', mixed, '--name', 'copy', ...owner], db.env);
    expect(result.code).toBe(1);
    expect(result.err).toContain('HToBB_007.root');
    expect(result.err).toContain('is already in dataset "good"');
  });

  it('BAD CALL: a file name without a JetClass process, and a missing path', async () => {
    const dir = folder('unnamed', { 'jets.root': 'jetclass/HToBB_120.root' });
    const unnamed = await jetlens(['ingest', dir, ...owner], db.env);
    expect(unnamed.code).toBe(1);
    expect(unnamed.err).toContain('jets.root: a JetClass file name must be <Process>_<NNN>.root');

    const missing = await jetlens(['ingest', join(scratch, 'nowhere'), ...owner], db.env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('does not exist');
  });

  it('BAD CALL: a shared database without an owner is a usage error', async () => {
    const result = await jetlens(['ingest', join(scratch, 'good')], db.env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--user EMAIL --collaboration SLUG');
  });
});
