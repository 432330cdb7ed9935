import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseServer } from '../src/database.js';
import {
  checkMigrations,
  createMigration,
  deployMigrations,
  diffDatabaseToSchema,
} from '../src/migrate.js';
import { defaultMigrationsDir, defaultSchemaPath } from '../src/paths.js';
import { openFreshServer, temporaryFolder } from './helpers.js';

/** A copy of prisma/ whose schema gains a column that no migration adds. */
function changedProject(): { migrationsDir: string; schemaPath: string } {
  const root = temporaryFolder('jetlens-prisma');
  const migrationsDir = join(root, 'migrations');
  const schemaPath = join(root, 'schema.prisma');
  cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });
  const schema = readFileSync(defaultSchemaPath, 'utf8');
  const changed = schema.replace('model Run {\n', 'model Run {\n  tags String[]\n');
  expect(changed).not.toBe(schema);
  writeFileSync(schemaPath, changed);
  return { migrationsDir, schemaPath };
}

let server: DatabaseServer;
beforeAll(async () => {
  server = await openFreshServer('check');
});
afterAll(async () => {
  await server.close();
});

describe('checkMigrations', () => {
  it('passes on the repository: schema.prisma and prisma/migrations agree', async () => {
    expect(await checkMigrations({ url: server.url })).toEqual({ inSync: true });
  });

  it('fails on a schema change that has no migration, and says what is missing', async () => {
    const project = changedProject();

    const result = await checkMigrations({ url: server.url, ...project });

    expect(result.inSync).toBe(false);
    expect(result.inSync === false && result.missingSql).toMatch(
      /ALTER TABLE "runs" ADD COLUMN {5}"tags" TEXT\[\]/,
    );
  });
});

describe('createMigration', () => {
  it('writes the missing migration; then check passes and deploy reaches the schema', async () => {
    const project = changedProject();
    const before = readdirSync(project.migrationsDir);

    const created = await createMigration({ url: server.url, ...project, name: 'Add run tags' });

    expect(created?.folder).toMatch(/^\d{14}_add_run_tags$/);
    expect(readdirSync(project.migrationsDir).sort()).toEqual([...before, created!.folder].sort());
    expect(
      readFileSync(join(project.migrationsDir, created!.folder, 'migration.sql'), 'utf8'),
    ).toBe(created!.sql);
    expect(await checkMigrations({ url: server.url, ...project })).toEqual({ inSync: true });
    await deployMigrations({ url: server.url, migrationsDir: project.migrationsDir });
    expect(
      await diffDatabaseToSchema({ url: server.url, schemaPath: project.schemaPath }),
    ).toBeNull();
  });

  it('writes nothing when schema and migrations agree', async () => {
    const migrationsDir = join(temporaryFolder('jetlens-prisma'), 'migrations');
    cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });

    expect(await createMigration({ url: server.url, migrationsDir, name: 'noop' })).toBeNull();
    expect(readdirSync(migrationsDir)).toEqual(readdirSync(defaultMigrationsDir));
  });

  it('BAD CALL: rejects a name that is not a folder suffix', async () => {
    await expect(createMigration({ url: server.url, name: '../escape' })).rejects.toThrow(
      /migration name must be letters, digits, spaces, '-' or '_' .* got "..\/escape"/,
    );
    await expect(createMigration({ url: server.url, name: 3 as never })).rejects.toThrow(TypeError);
  });
});
