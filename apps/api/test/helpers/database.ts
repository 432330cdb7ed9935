/**
 * A fresh, migrated database on the real embedded PostgreSQL for each test file. The server
 * lives in its own JetLens home (.jetlens/test-api) and is shared by the test files; each file
 * gets a database of its own, dropped and created again at the start.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deployMigrations, openDatabaseServer, repoRoot } from '@jetlens/db';
import pg from 'pg';

export const TEST_HOME = join(repoRoot, '.jetlens', 'test-api');

export interface TestDatabase {
  url: string;
  env: NodeJS.ProcessEnv;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A database `name` of its own, on the test server of the JetLens home `home`. */
export async function freshDatabase(name: string, home = TEST_HOME): Promise<TestDatabase> {
  mkdirSync(home, { recursive: true });
  const server = await openDatabaseServer({ home, database: 'postgres' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }

  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await deployMigrations({ url: url.toString() });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    env: { DATABASE_URL: url.toString(), JETLENS_HOME: home },
    pool,
    close: async () => {
      await pool.end();
      await server.close();
    },
  };
}
