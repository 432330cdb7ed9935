import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseServer } from '../src/database.js';
import {
  deployMigrations,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  MigrationHistoryError,
} from '../src/migrate.js';
import { readMigrationsFolder } from '../src/migrations-folder.js';
import { defaultMigrationsDir } from '../src/paths.js';
import { openFreshServer, temporaryFolder } from './helpers.js';

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const servers: DatabaseServer[] = [];
async function freshServer(prefix: string): Promise<DatabaseServer> {
  const server = await openFreshServer(prefix);
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('deployMigrations on an empty database', () => {
  let url: string;
  let firstApplied: string[];

  beforeAll(async () => {
    url = (await freshServer('deploy')).url;
    firstApplied = (await deployMigrations({ url })).applied;
  });

  it('applies every migration of the folder, in order', async () => {
    const folder = await readMigrationsFolder(defaultMigrationsDir);
    expect(firstApplied).toEqual(folder.migrationDirectories.map((m) => m.path));
    expect(firstApplied.length).toBeGreaterThan(0);
  });

  it('records them in _prisma_migrations as prisma migrate deploy does', async () => {
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(
      url,
      `SELECT migration_name, checksum, finished_at
       FROM _prisma_migrations ORDER BY migration_name`,
    );
    const expected = firstApplied.map((name) => ({
      migration_name: name,
      checksum: createHash('sha256')
        .update(readFileSync(join(defaultMigrationsDir, name, 'migration.sql')))
        .digest('hex'),
    }));

    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(
      expected,
    );
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
  });

  it('leaves no drift: the database and the migrations both equal schema.prisma', async () => {
    expect(await diffDatabaseToSchema({ url })).toBeNull();
    expect(await diffMigrationsToSchema({ url })).toBeNull();
  });

  it('is a no-op the second time', async () => {
    const before = await query<{ n: number }>(
      url,
      'SELECT count(*)::int AS n FROM _prisma_migrations',
    );

    expect(await deployMigrations({ url })).toEqual({ applied: [] });

    const after = await query<{ n: number }>(
      url,
      'SELECT count(*)::int AS n FROM _prisma_migrations',
    );
    expect(after).toEqual(before);
  });
});

describe('diffDatabaseToSchema', () => {
  it('reports the whole schema for a database without migrations', async () => {
    const { url } = await freshServer('empty');

    const sql = await diffDatabaseToSchema({ url });

    expect(sql).toMatch(/CREATE TABLE "users"/);
    expect(sql).toMatch(/CREATE TABLE "predictions"/);
  });
});

describe('deployMigrations on a database with a foreign history', () => {
  it('refuses a migration recorded in the database that is not in the folder', async () => {
    const { url } = await freshServer('foreign');
    await deployMigrations({ url });
    await query(
      url,
      `INSERT INTO _prisma_migrations
         (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ('foreign-1', $1, '29990101000000_from_another_branch', now(), 1)`,
      ['0'.repeat(64)],
    );

    const deploy = deployMigrations({ url });

    await expect(deploy).rejects.toThrow(MigrationHistoryError);
    await expect(deploy).rejects.toThrow(
      /the database has migrations that are not in .*:\n {2}- 29990101000000_from_another_branch/,
    );
  });

  it('refuses a migration whose file changed after it was applied (checksum)', async () => {
    const { url } = await freshServer('edited');
    const migrationsDir = join(temporaryFolder('jetlens-migrations'), 'migrations');
    cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });
    await deployMigrations({ url, migrationsDir });
    const [first] = (await readMigrationsFolder(migrationsDir)).migrationDirectories;
    const file = join(migrationsDir, first!.path, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited later\n`);

    try {
      await expect(deployMigrations({ url, migrationsDir })).rejects.toThrow(
        new RegExp(
          `changed after they were applied \\(checksum mismatch .*\\n {2}- ${first!.path}`,
        ),
      );
    } finally {
      rmSync(migrationsDir, { recursive: true, force: true });
    }
  });
});

describe('deployMigrations: BAD CALLS', () => {
  it('rejects a missing or non-PostgreSQL url', async () => {
    await expect(deployMigrations({} as never)).rejects.toThrow(
      /options.url must be a string, got undefined/,
    );
    await expect(deployMigrations({ url: 'sqlite://x.db' })).rejects.toThrow(RangeError);
  });

  it('names the missing migration_lock.toml of a migrations folder', async () => {
    const migrationsDir = join(temporaryFolder('jetlens-migrations'), 'migrations');
    cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });
    rmSync(join(migrationsDir, 'migration_lock.toml'));

    await expect(
      deployMigrations({ url: 'postgresql://localhost/x', migrationsDir }),
    ).rejects.toThrow(/migration_lock.toml is missing/);
  });
});
