import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, defaultSchemaPath, jetlensHome, repoRoot } from '../src/paths.js';

describe('paths', () => {
  it('finds the schema and migrations of the repository', () => {
    expect(existsSync(defaultSchemaPath)).toBe(true);
    expect(existsSync(join(defaultMigrationsDir, 'migration_lock.toml'))).toBe(true);
  });

  it('puts local state under .jetlens unless JETLENS_HOME says otherwise', () => {
    expect(jetlensHome({})).toBe(join(repoRoot, '.jetlens'));
    expect(jetlensHome({ JETLENS_HOME: '' })).toBe(join(repoRoot, '.jetlens'));
    expect(jetlensHome({ JETLENS_HOME: '/srv/jetlens' })).toBe('/srv/jetlens');
    expect(jetlensHome({ JETLENS_HOME: 'rel/home' })).toBe(resolve('rel/home'));
  });
});
