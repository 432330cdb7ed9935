import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. This module sits one folder below packages/db both as source
 * (src/paths.ts) and built (dist/paths.js), so the root is three levels up either way.
 */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The Prisma schema of the experiment store. */
export const defaultSchemaPath = join(repoRoot, 'prisma', 'schema.prisma');

/** Migrations, in Prisma's own layout (`<timestamp>_<name>/migration.sql`). */
export const defaultMigrationsDir = join(repoRoot, 'prisma', 'migrations');

/**
 * Where JetLens keeps local state (the embedded PostgreSQL among it): `$JETLENS_HOME` when
 * set, otherwise `.jetlens` under the repository root (git-ignored).
 */
export function jetlensHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.JETLENS_HOME;
  if (fromEnv === undefined || fromEnv === '') return join(repoRoot, '.jetlens');
  return isAbsolute(fromEnv) ? fromEnv : resolve(fromEnv);
}
