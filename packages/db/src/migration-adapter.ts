import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import pg from 'pg';

/*
 * The driver adapter that Prisma's WebAssembly schema engine talks to PostgreSQL through.
 * Plain `new PrismaPg(url)` trips over three things in the versions JetLens uses (adapter-pg
 * 7.10.1, schema-engine-wasm 8.1.0), all handled here without touching either package:
 *
 * 1. When describing a database, the engine reads catalog columns of PostgreSQL's internal
 *    one-byte type "char" (OID 18: pg_constraint.contype, pg_attribute.attidentity...). The
 *    adapter has no mapping for it and rejects the whole result ("Column type 'char' could not
 *    be deserialized"). Here such columns pass the adapter as text and are then reported to
 *    the engine as the adapter protocol's Character type, which is what the engine expects.
 * 2. Diffing a migrations folder needs a shadow database. The adapter's own shadow database
 *    connects with a URL whose database name wins over the one it sets (so the "shadow" was
 *    the main database), and it drops the database before closing its pool (which fails with
 *    "is being accessed by other users"). Here the shadow gets its own URL, its pool is closed
 *    first, and the drop forces out any connection left behind.
 * 3. The engine never disposes the adapters it connects, so their pools would keep idle
 *    connections (and the process) alive; `disposeAll()` closes them when the engine is done.
 */

const pgCharOid = 18;
const pgTextOid = 25;

/** Result rows (by identity) -> indexes of their "char" columns, for the adapter wrapper. */
const charColumnsOfRows = new WeakMap<object, number[]>();

type QueryResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[] };

function charColumnsAsText<T>(result: T): T {
  const results = (Array.isArray(result) ? result : [result]) as QueryResultLike[];
  for (const one of results) {
    const charColumns: number[] = [];
    (one?.fields ?? []).forEach((field, index) => {
      if (field.dataTypeID !== pgCharOid) return;
      field.dataTypeID = pgTextOid;
      charColumns.push(index);
    });
    if (charColumns.length > 0 && one.rows !== undefined)
      charColumnsOfRows.set(one.rows, charColumns);
  }
  return result;
}

type Callback = (error: Error | null, result: unknown) => void;

/** A pg client that reports "char" columns as text (see 1 above). */
class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads; the pool calls it with a callback, adapter code without.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    const callQuery = super.query as (...queryArgs: unknown[]) => unknown;
    if (typeof last === 'function') {
      const callback = last as Callback;
      const wrapped: Callback = (error, result) =>
        callback(error, error ? result : charColumnsAsText(result));
      return callQuery.apply(this, [...args.slice(0, -1), wrapped]) as never;
    }

    const out = callQuery.apply(this, args);
    if (out instanceof Promise) return out.then(charColumnsAsText) as never;
    return out as never;
  }
}

function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Queryable = Pick<Adapter, 'queryRaw'>;

/** Reports the columns that were "char" before the pg client turned them into text. */
function restoreCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsOfRows.get(result.rows) ?? []) {
      result.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return result;
  };
  return queryable;
}

function forSchemaEngine(adapter: Adapter): Adapter {
  restoreCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    restoreCharColumns(await startTransaction(isolationLevel));
  return adapter;
}

/** PrismaPg with the fixes above, for the schema engine only. */
export class MigrationPg extends PrismaPg {
  readonly #url: string;
  readonly #open = new Set<Adapter>();

  constructor(url: string) {
    super({ connectionString: url, Client: CharAsTextClient });
    this.#url = url;
  }

  #track(adapter: Adapter): Adapter {
    this.#open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (!this.#open.delete(adapter)) return;
      await dispose();
    };
    return forSchemaEngine(adapter);
  }

  override async connect(): Promise<Adapter> {
    return this.#track(await super.connect());
  }

  override async connectToShadowDb(): Promise<Adapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await execute(this.#url, `CREATE DATABASE "${database}"`);

    const shadowUrl = databaseUrl(this.#url, database);
    const shadow = new PrismaPg({ connectionString: shadowUrl, Client: CharAsTextClient });
    const adapter = await shadow.connect();
    const closePool = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await closePool();
      await execute(this.#url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    return this.#track(adapter);
  }

  /** Closes every connection the engine opened and did not close. */
  async disposeAll(): Promise<void> {
    await Promise.all([...this.#open].map((adapter) => adapter.dispose()));
  }
}
