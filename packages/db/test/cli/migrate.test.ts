import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, defaultSchemaPath } from '../../src/paths.js';
import { temporaryFolder, testHome } from '../helpers.js';

const cli = fileURLToPath(new URL('../../dist/cli/migrate.js', import.meta.url));

function runCli(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: build the package first (npm run build)`);
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', JETLENS_HOME: testHome(), ...env },
  });
}

describe('the migrate CLI', () => {
  it('deploy applies the migrations once, then has nothing to do', () => {
    const first = runCli(['deploy']);
    const second = runCli(['deploy']);

    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Applied:\n {2}\d{14}_init/);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('No pending migrations.\n');
  });

  it('check exits 1 with a message on a schema change that has no migration', () => {
    const root = temporaryFolder('jetlens-prisma');
    const schemaPath = join(root, 'schema.prisma');
    const migrationsDir = join(root, 'migrations');
    cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });
    const schema = readFileSync(defaultSchemaPath, 'utf8');
    writeFileSync(schemaPath, schema.replace('model Run {\n', 'model Run {\n  tags String[]\n'));

    const result = runCli(['check'], {
      JETLENS_SCHEMA: schemaPath,
      JETLENS_MIGRATIONS_DIR: migrationsDir,
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/schema.prisma has changes that no migration makes/);
    expect(result.stderr).toMatch(/"tags" TEXT\[\]/);
  });

  it('BAD CALLS: unknown command, missing or extra arguments exit 2 with a message', () => {
    const unknown = runCli(['migrate-everything']);
    const noName = runCli(['create']);
    const extra = runCli(['check', 'now']);

    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "migrate-everything"/);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toMatch(/create takes exactly one name/);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toMatch(/check takes no arguments, got: now/);
  });
});
