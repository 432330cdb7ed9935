import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { migrationSuffix, readMigrationsFolder, writeMigration } from './migrations-folder.js';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.js';
import {
  noFilters,
  openSchemaEngine,
  type SchemaEngine,
  type SchemaFile,
} from './schema-engine.js';

/*
 * Migrations without the Prisma CLI: deploy, create and check, run by Prisma's own schema
 * engine (WebAssembly) through a driver adapter. The database ends up exactly as after
 * `prisma migrate deploy`, with the same `_prisma_migrations` table, so the two can be mixed.
 */

export interface MigrateOptions {
  /** The database to migrate (deploy), or next to which shadow databases go (create, check). */
  url: string;
  /** Default: prisma/migrations of the repository. */
  migrationsDir?: string;
  /** Default: prisma/schema.prisma of the repository. */
  schemaPath?: string;
  /** Receives the schema engine's log lines (JSON). */
  log?: (line: string) => void;
}

/** The database's migration history does not belong to this migrations folder. */
export class MigrationHistoryError extends Error {
  override readonly name = 'MigrationHistoryError';
}

function checkOptions(options: MigrateOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  if (typeof options.url !== 'string') {
    throw new TypeError(`options.url must be a string, got ${typeof options.url}`);
  }
  if (!/^postgres(ql)?:\/\//.test(options.url)) {
    throw new RangeError(
      `options.url must be a postgresql:// URL, got ${JSON.stringify(options.url.slice(0, 40))}`,
    );
  }
}

async function readSchema(options: MigrateOptions): Promise<SchemaFile> {
  const path = options.schemaPath ?? defaultSchemaPath;
  return { path, content: await readFile(path, 'utf8') };
}

async function withEngine<T>(
  options: MigrateOptions,
  schema: SchemaFile | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const engineOptions = {
    url: options.url,
    ...(schema && { schema }),
    ...(options.log && { log: options.log }),
  };
  const session = await openSchemaEngine(engineOptions);
  try {
    return await work(session.engine);
  } finally {
    await session.close();
  }
}

function list(names: string[]): string {
  return names.map((name) => `  - ${name}`).join('\n');
}

/** Refuses a database whose recorded migrations are not (exactly) those of the folder. */
async function checkHistory(engine: SchemaEngine, migrations: MigrationList): Promise<void> {
  const diagnosis = await engine.diagnoseMigrationHistory({
    migrationsList: migrations,
    optInToShadowDatabase: false,
    filters: noFilters,
  });
  const folder = migrations.baseDir;
  const problems: string[] = [];

  if (diagnosis.failedMigrationNames.length > 0) {
    problems.push(
      'these migrations failed part-way and must be resolved by hand first:\n' +
        list(diagnosis.failedMigrationNames),
    );
  }
  if (diagnosis.editedMigrationNames.length > 0) {
    problems.push(
      'these migrations were changed after they were applied ' +
        `(checksum mismatch with ${folder}):\n` +
        list(diagnosis.editedMigrationNames),
    );
  }
  const history = diagnosis.history;
  if (history?.diagnostic === 'migrationsDirectoryIsBehind') {
    problems.push(
      `the database has migrations that are not in ${folder}:\n` +
        list(history.unpersistedMigrationNames),
    );
  }
  if (history?.diagnostic === 'historiesDiverge') {
    problems.push(
      `the database's history diverges from ${folder} after ` +
        `${history.lastCommonMigrationName ?? 'the start'}; only in the database:\n` +
        list(history.unpersistedMigrationNames),
    );
  }

  if (problems.length > 0) {
    throw new MigrationHistoryError(
      `Refusing to migrate: the database's migration history does not match ${folder}: ` +
        `${problems.join('; ')}`,
    );
  }
}

/** Applies the migrations the database has not had yet; a no-op when it is up to date. */
export async function deployMigrations(options: MigrateOptions): Promise<{ applied: string[] }> {
  checkOptions(options);
  const migrations = await readMigrationsFolder(options.migrationsDir ?? defaultMigrationsDir);

  return withEngine(options, undefined, async (engine) => {
    await checkHistory(engine, migrations);
    const result = await engine.applyMigrations({ migrationsList: migrations, filters: noFilters });
    return { applied: result.appliedMigrationNames };
  });
}

/**
 * The SQL that would bring a database built from the migrations folder to schema.prisma;
 * null when they agree. Needs the right to create (shadow) databases.
 */
export async function diffMigrationsToSchema(options: MigrateOptions): Promise<string | null> {
  checkOptions(options);
  const migrations = await readMigrationsFolder(options.migrationsDir ?? defaultMigrationsDir);
  const schema = await readSchema(options);

  return withEngine(options, schema, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrations },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    // With exitCode set, the engine answers 2 when there is something to change.
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}

/** The SQL that would bring the live database to schema.prisma; null when they agree. */
export async function diffDatabaseToSchema(options: MigrateOptions): Promise<string | null> {
  checkOptions(options);
  const schema = await readSchema(options);

  return withEngine(options, schema, async (engine) => {
    const result = await engine.diff({
      // The live database, reached through the engine's adapter (Prisma 7 has no url target).
      from: { tag: 'schemaDatasource', files: [schema], configDir: dirname(schema.path) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  });
}

/**
 * Writes a migration from the folder's end state to schema.prisma, like
 * `prisma migrate dev --create-only`. Returns the new folder, or null when nothing changed.
 */
export async function createMigration(
  options: MigrateOptions & { name: string },
): Promise<{ folder: string; sql: string } | null> {
  checkOptions(options);
  migrationSuffix(options.name);
  const sql = await diffMigrationsToSchema(options);
  if (sql === null) return null;

  const folder = await writeMigration(
    options.migrationsDir ?? defaultMigrationsDir,
    options.name,
    sql,
  );
  return { folder, sql };
}

/** Whether schema.prisma and the migrations agree, and the SQL a migration would need if not. */
export async function checkMigrations(
  options: MigrateOptions,
): Promise<{ inSync: true } | { inSync: false; missingSql: string }> {
  const missingSql = await diffMigrationsToSchema(options);
  return missingSql === null ? { inSync: true } : { inSync: false, missingSql };
}
