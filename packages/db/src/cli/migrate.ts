#!/usr/bin/env node
// jetlens-migrate: deploy | create <name> | check
//
// Uses DATABASE_URL when set, otherwise the embedded PostgreSQL (started for the command and
// stopped after it unless another process is using it).
import { openDatabaseServer } from '../database.js';
import { checkMigrations, createMigration, deployMigrations } from '../migrate.js';
import { defaultMigrationsDir } from '../paths.js';

const usage = `Usage: migrate <command>

Commands:
  deploy          apply pending migrations (a no-op when the database is up to date)
  create <name>   write a new migration from prisma/migrations to prisma/schema.prisma
  check           fail when prisma/schema.prisma has changes that no migration makes

Environment:
  DATABASE_URL    PostgreSQL to use; without it, the embedded server in $JETLENS_HOME
  JETLENS_HOME    where the embedded server keeps its data (default: .jetlens in the repo)
  JETLENS_MIGRATIONS_DIR, JETLENS_SCHEMA   other migrations folder or schema file`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return command === undefined ? 2 : 0;
  }
  if (!['deploy', 'create', 'check'].includes(command))
    fail(`Unknown command "${command}".\n\n${usage}`, 2);
  if (command === 'create' && rest.length !== 1)
    fail('create takes exactly one name, e.g. "add_run_tags".', 2);
  if (command !== 'create' && rest.length > 0)
    fail(`${command} takes no arguments, got: ${rest.join(' ')}`, 2);

  const migrationsDir = process.env.JETLENS_MIGRATIONS_DIR || defaultMigrationsDir;
  const schemaPath = process.env.JETLENS_SCHEMA || undefined;
  const server = await openDatabaseServer({
    log: (message) => process.stderr.write(`${message}\n`),
  });
  const options = { url: server.url, migrationsDir, ...(schemaPath && { schemaPath }) };
  try {
    if (command === 'deploy') {
      const { applied } = await deployMigrations(options);
      const summary =
        applied.length === 0 ? 'No pending migrations.' : `Applied:\n  ${applied.join('\n  ')}`;
      process.stdout.write(`${summary}\n`);
      return 0;
    }

    if (command === 'create') {
      const created = await createMigration({ ...options, name: rest[0] ?? '' });
      if (created === null) {
        process.stdout.write('schema.prisma and the migrations agree: no migration written.\n');
      } else {
        process.stdout.write(`Wrote ${migrationsDir}/${created.folder}/migration.sql\n`);
      }
      return 0;
    }

    const result = await checkMigrations(options);
    if (result.inSync) {
      process.stdout.write('schema.prisma and the migrations agree.\n');
      return 0;
    }
    process.stderr.write(
      'schema.prisma has changes that no migration makes. Create one with\n' +
        '  npm run db:migrate:create -- <name>\n' +
        `It would contain:\n\n${result.missingSql}\n`,
    );
    return 1;
  } finally {
    await server.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
