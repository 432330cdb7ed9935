import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseServer } from '../src/database.js';
import { openSchemaEngine } from '../src/schema-engine.js';
import { openFreshServer } from './helpers.js';

let server: DatabaseServer;
beforeAll(async () => {
  server = await openFreshServer('engine');
});
afterAll(async () => {
  await server.close();
});

describe('openSchemaEngine', () => {
  it('runs the WebAssembly schema engine against the database, through the adapter', async () => {
    const session = await openSchemaEngine({ url: server.url });
    try {
      expect(await session.engine.version()).toMatch(/^PostgreSQL 17\./);
    } finally {
      await session.close();
    }
  });

  it('passes the engine log lines to the caller', async () => {
    const lines: string[] = [];
    const session = await openSchemaEngine({ url: server.url, log: (line) => lines.push(line) });
    await session.close();

    expect(lines.some((line) => /Starting schema-engine-wasm/.test(line))).toBe(true);
  });

  it('can be closed twice', async () => {
    const session = await openSchemaEngine({ url: server.url });
    await session.close();
    await expect(session.close()).resolves.toBeUndefined();
  });
});
