import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  migrationSuffix,
  migrationTimestamp,
  readMigrationsFolder,
  writeMigration,
} from '../src/migrations-folder.js';
import { temporaryFolder } from './helpers.js';

describe('migrations folder', () => {
  it('names migrations as Prisma does: UTC timestamp and a snake_case suffix', () => {
    expect(migrationTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('20260102030405');
    expect(migrationSuffix('Add run-tags ')).toBe('add_run_tags');
  });

  it('writes the lockfile and the migration, and reads them back in order', async () => {
    const dir = join(temporaryFolder('jetlens-migrations'), 'migrations');
    const now = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));

    const first = await writeMigration(dir, 'init', 'CREATE TABLE a (id int);\n', now);
    const second = await writeMigration(dir, 'more', 'CREATE TABLE b (id int);\n', now);

    expect(first).toBe('20260601120000_init');
    // Same clock reading: the second still sorts after the first.
    expect(second).toBe('20260601120001_more');
    expect(readFileSync(join(dir, 'migration_lock.toml'), 'utf8')).toMatch(
      /provider = "postgresql"/,
    );
    const folder = await readMigrationsFolder(dir);
    expect(folder.migrationDirectories.map((m) => [m.path, m.migrationFile.content])).toEqual([
      [first, { tag: 'ok', value: 'CREATE TABLE a (id int);\n' }],
      [second, { tag: 'ok', value: 'CREATE TABLE b (id int);\n' }],
    ]);
    expect(readdirSync(dir).sort()).toEqual([first, second, 'migration_lock.toml']);
  });

  it('reads an absent folder as no migrations', async () => {
    const folder = await readMigrationsFolder(join(temporaryFolder('jetlens-migrations'), 'none'));
    expect(folder.migrationDirectories).toEqual([]);
  });

  it('reports a migration folder without migration.sql by its path', async () => {
    const dir = join(temporaryFolder('jetlens-migrations'), 'migrations');
    await writeMigration(dir, 'init', 'SELECT 1;\n');
    mkdirSync(join(dir, '20990101000000_empty'));

    const folder = await readMigrationsFolder(dir);

    expect(folder.migrationDirectories.at(-1)?.migrationFile.content).toEqual({
      tag: 'error',
      value: `${join(dir, '20990101000000_empty', 'migration.sql')} is missing`,
    });
  });

  it('BAD CALL: refuses migrations without migration_lock.toml', async () => {
    const dir = join(temporaryFolder('jetlens-migrations'), 'migrations');
    mkdirSync(join(dir, '20260101000000_init'), { recursive: true });
    writeFileSync(join(dir, '20260101000000_init', 'migration.sql'), 'SELECT 1;\n');

    await expect(readMigrationsFolder(dir)).rejects.toThrow(
      `${join(dir, 'migration_lock.toml')} is missing: a migrations folder must name its provider`,
    );
  });

  it('BAD CALL: refuses names that are not folder suffixes', () => {
    expect(() => migrationSuffix('')).toThrow(RangeError);
    expect(() => migrationSuffix('a/b')).toThrow(/got "a\/b"/);
    expect(() => migrationSuffix(null as never)).toThrow(TypeError);
  });
});
