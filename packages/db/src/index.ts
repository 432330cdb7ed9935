export {
  type Database,
  type DatabaseServer,
  type OpenDatabaseOptions,
  openDatabase,
  openDatabaseServer,
} from './database.js';
export {
  acquireEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from './embedded-postgres.js';
// The generated client: PrismaClient, the Prisma namespace, model types (User, Run...), enums.
export * from './generated/prisma/client.js';
export {
  checkMigrations,
  createMigration,
  deployMigrations,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  type MigrateOptions,
  MigrationHistoryError,
} from './migrate.js';
export { defaultMigrationsDir, defaultSchemaPath, jetlensHome, repoRoot } from './paths.js';
