import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { acquireEmbeddedPostgres } from './embedded-postgres.js';
import { PrismaClient } from './generated/prisma/client.js';
import { deployMigrations } from './migrate.js';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; default `DATABASE_URL`. When neither is set, the embedded server is used. */
  url?: string;
  /** Embedded server only: the JetLens home holding it (default `JETLENS_HOME` or .jetlens). */
  home?: string;
  /** Embedded server only: the database to use, created when missing (default "jetlens"). */
  database?: string;
  /** Embedded server only: port for a server this call starts (default: a free port). */
  port?: number;
  /** Embedded server only, when this call creates its cluster: see EmbeddedPostgresOptions. */
  durable?: boolean;
  /** Apply pending migrations before returning (default false). */
  migrate?: boolean;
  /** Receives progress messages. */
  log?: (message: string) => void;
}

/** A connection to the experiment store. */
export interface Database {
  prisma: PrismaClient;
  url: string;
  /** Whether this is the embedded server (false: `url` or `DATABASE_URL`). */
  embedded: boolean;
  /** Disconnects, and stops the embedded server when this was its last user. */
  close(): Promise<void>;
}

/** A database server reached by URL, without a Prisma client (for migrations and tooling). */
export interface DatabaseServer {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

const databaseNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

function checkOptions(options: OpenDatabaseOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { url, database } = options;
  if (url !== undefined && typeof url !== 'string') {
    throw new TypeError(`options.url must be a string, got ${typeof url}`);
  }
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new RangeError(
      `options.url must be a postgresql:// URL, got ${JSON.stringify(url.slice(0, 40))}`,
    );
  }
  if (database !== undefined && typeof database !== 'string') {
    throw new TypeError(`options.database must be a string, got ${typeof database}`);
  }
  if (database !== undefined && !databaseNamePattern.test(database)) {
    throw new RangeError(
      `options.database must match ${databaseNamePattern} (lower case, digits, '_'), ` +
        `got ${JSON.stringify(database)}`,
    );
  }
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } catch (error) {
    // It exists already, which is what we want. Two processes racing to create it get either
    // 42P04 (duplicate_database) or, when both passed the check, 23505 (unique_violation).
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Reaches the database server: `options.url`, else `DATABASE_URL`, else the embedded
 * PostgreSQL (started, or attached to when another process runs it).
 */
export async function openDatabaseServer(
  options: OpenDatabaseOptions = {},
): Promise<DatabaseServer> {
  checkOptions(options);
  const url = options.url ?? (process.env.DATABASE_URL || undefined);
  if (url !== undefined) {
    checkOptions({ url });
    return { url, embedded: false, close: async () => undefined };
  }

  const embedded = await acquireEmbeddedPostgres({
    ...(options.home !== undefined && { home: options.home }),
    ...(options.port !== undefined && { port: options.port }),
    ...(options.durable !== undefined && { durable: options.durable }),
    ...(options.log !== undefined && { log: options.log }),
  });
  const database = options.database ?? 'jetlens';
  try {
    await ensureDatabase(embedded.url(), database);
  } catch (error) {
    await embedded.release();
    throw error;
  }
  return {
    url: embedded.url(database),
    embedded: true,
    close: async () => {
      await embedded.release();
    },
  };
}

/** Opens the experiment store and its Prisma client. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const server = await openDatabaseServer(options);
  try {
    if (options.migrate === true) await deployMigrations({ url: server.url });
  } catch (error) {
    await server.close();
    throw error;
  }

  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: server.url }) });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      try {
        await prisma.$disconnect();
      } finally {
        await server.close();
      }
    })();
    return closed;
  };
  return { prisma, url: server.url, embedded: server.embedded, close };
}
