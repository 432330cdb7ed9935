import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import { MigrationPg } from './migration-adapter.js';

/*
 * Prisma's schema engine (the part of `prisma migrate` that diffs schemas and applies
 * migrations), compiled to WebAssembly, so JetLens needs no native engine binary.
 *
 * The package's entry imports its .wasm file as an ES module, which Node only allows behind
 * --experimental-wasm-modules (or with a warning). We instantiate the same module by hand
 * from its JavaScript glue instead: same code, no flag, no warning.
 */

export type SchemaEngine = SchemaEngineWasm.SchemaEngine;
type WasmExports = Record<string, unknown>;
type Glue = typeof SchemaEngineWasm & { __wbg_set_wasm(exports: WasmExports): void };

// The ES2023 library JetLens compiles against has no WebAssembly types; this is all we use.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }>;
};

let glue: Promise<Glue> | undefined;

/*
 * The engine arms 10-second timers (guards around its own operations) that it never clears,
 * which would hold a finished script open for 10 s. Its timers go through this wrapper, and
 * those still pending when the last engine session closes are cleared.
 */
const pendingTimers = new Set<NodeJS.Timeout>();
let openSessions = 0;

function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    pendingTimers.delete(timer);
    callback();
  }, ms >>> 0);
  pendingTimers.add(timer);
  return timer;
}

async function loadGlue(): Promise<Glue> {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const module = (await import(pathToFileURL(gluePath).href)) as Glue;
  const imports: Record<string, unknown> = { ...module };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
  }

  const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
  module.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return module;
}

/** A Prisma schema file, by path (for messages) and content. */
export interface SchemaFile {
  path: string;
  content: string;
}

export interface SchemaEngineOptions {
  /** The database the engine works on (and next to which it makes shadow databases). */
  url: string;
  /** The Prisma schema, when the command needs one. */
  schema?: SchemaFile;
  /** Receives the engine's log lines (JSON). */
  log?: (line: string) => void;
}

/** A schema engine and the connections it holds. */
export interface SchemaEngineSession {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections. */
  close(): Promise<void>;
}

/** Opens a schema engine on a database; close the session when done. */
export async function openSchemaEngine(options: SchemaEngineOptions): Promise<SchemaEngineSession> {
  glue ??= loadGlue();
  const { SchemaEngine } = await glue;

  const factory = new MigrationPg(options.url);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const datamodels: [string, string][] | undefined = options.schema && [
    [options.schema.path, options.schema.content],
  ];
  const log = options.log ?? (() => undefined);
  const engine = await SchemaEngine.new({ datamodels }, log, adapter);
  openSessions += 1;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    engine.free();
    await factory.disposeAll();
    openSessions -= 1;
    if (openSessions > 0) return;
    for (const timer of pendingTimers) clearTimeout(timer);
    pendingTimers.clear();
  };
  return { engine, close };
}

/** Entities the engine should leave alone; JetLens has none. */
export const noFilters = { externalTables: [], externalEnums: [] };
