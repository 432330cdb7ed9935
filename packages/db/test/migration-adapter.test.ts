import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseServer } from '../src/database.js';
import { MigrationPg } from '../src/migration-adapter.js';
import { openFreshServer } from './helpers.js';

let server: DatabaseServer;
beforeAll(async () => {
  server = await openFreshServer('adapter');
});
afterAll(async () => {
  await server.close();
});

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('MigrationPg', () => {
  it('reads PostgreSQL "char" columns and reports them as Character', async () => {
    const factory = new MigrationPg(server.url);
    const adapter = await factory.connect();
    try {
      const result = await adapter.queryRaw({
        sql: "SELECT 'x'::\"char\" AS kind, 'text' AS label",
        args: [],
        argTypes: [],
      });

      expect(result.columnTypes).toEqual([ColumnTypeEnum.Character, ColumnTypeEnum.Text]);
      expect(result.rows).toEqual([['x', 'text']]);
    } finally {
      await factory.disposeAll();
    }
  });

  it('gives the shadow database its own connection, and drops it on dispose', async () => {
    const factory = new MigrationPg(server.url);
    const shadow = await factory.connectToShadowDb();
    const [row] = (
      await shadow.queryRaw({ sql: 'SELECT current_database()', args: [], argTypes: [] })
    ).rows as [[string]];
    const shadowName = row[0];

    expect(shadowName).toMatch(/^prisma_migrate_shadow_db_/);
    expect(await databaseExists(shadowName)).toBe(true);
    await factory.disposeAll();
    expect(await databaseExists(shadowName)).toBe(false);
  });
});
