import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { acquireEmbeddedPostgres } from '../src/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    jetlensHome: string;
  }
}

/** Starts the embedded PostgreSQL the test files attach to, and stops it at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = mkdtempSync(join(tmpdir(), 'jetlens-db-test-'));
  // When tests run as root, the server runs as "postgres", which must reach the folder.
  chmodSync(home, 0o755);

  let server: Awaited<ReturnType<typeof acquireEmbeddedPostgres>>;
  try {
    server = await acquireEmbeddedPostgres({ home, durable: false });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  project.provide('jetlensHome', home);

  return async () => {
    await server.release();
    rmSync(home, { recursive: true, force: true });
  };
}
