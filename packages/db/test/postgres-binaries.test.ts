import { accessSync, constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPostgresBinaries, postgresAccount } from '../src/postgres-binaries.js';

describe('findPostgresBinaries', () => {
  it('finds executable initdb, pg_ctl and postgres for this platform', async () => {
    const binaries = await findPostgresBinaries();
    for (const path of [binaries.initdb, binaries.pg_ctl, binaries.postgres]) {
      expect(() => accessSync(path, constants.X_OK)).not.toThrow();
    }
  });
});

describe('postgresAccount', () => {
  it('runs the server as the current user, or as a non-root "postgres" account under root', () => {
    const account = postgresAccount();
    if (process.getuid?.() === 0) {
      expect(account).toMatchObject({ name: 'postgres' });
      expect(account?.uid).toBeGreaterThan(0);
    } else {
      expect(account).toBeUndefined();
    }
  });
});
