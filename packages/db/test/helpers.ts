import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type OpenDatabaseOptions, openDatabase, openDatabaseServer } from '../src/database.js';

/** The JetLens home whose embedded server the global setup started. */
export function testHome(): string {
  return inject('jetlensHome');
}

/** A database name no other test uses. */
export function freshDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A new, empty database on the shared test server (with or without the migrations). */
export function openFreshDatabase(prefix: string, options: OpenDatabaseOptions = {}) {
  return openDatabase({ home: testHome(), database: freshDatabaseName(prefix), ...options });
}

/** A new, empty database on the shared test server, as a URL. */
export function openFreshServer(prefix: string) {
  return openDatabaseServer({ home: testHome(), database: freshDatabaseName(prefix) });
}

/**
 * A temporary folder that the server's account can reach when tests run as root. It lies in
 * the test run's JetLens home, which the global teardown removes with everything in it.
 */
export function temporaryFolder(prefix: string): string {
  const scratch = join(testHome(), 'scratch');
  mkdirSync(scratch, { recursive: true, mode: 0o755 });
  const folder = mkdtempSync(join(scratch, `${prefix}-`));
  chmodSync(folder, 0o755);
  return folder;
}
