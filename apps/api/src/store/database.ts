/**
 * The experiment store as the API sees it: a PostgreSQL URL. With DATABASE_URL it is the
 * shared server (migrated by `npm run db:migrate`, as the compose file does before any
 * worker starts); without it, the embedded server under JETLENS_HOME, migrated here on open.
 */
import { openDatabase } from '@jetlens/db';
import type { Logger } from '../log.js';

export interface Store {
  connectionString: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openStore(env: NodeJS.ProcessEnv, log: Logger): Promise<Store> {
  const url = env.DATABASE_URL || undefined;
  const dbLog = log.child('db');
  const database = await openDatabase({
    ...(url === undefined ? { migrate: true } : { url }),
    ...(env.JETLENS_HOME ? { home: env.JETLENS_HOME } : {}),
    log: (message) => dbLog.info(message),
  });
  if (database.embedded) dbLog.debug('using the embedded PostgreSQL');
  // The Prisma client is not used here: the API writes through pg, in bulk.
  await database.prisma.$disconnect();
  return { connectionString: database.url, embedded: database.embedded, close: database.close };
}
