/**
 * What the study's end-to-end tests share: real `jetlens` processes (the built CLI), a fresh
 * database on the real embedded PostgreSQL, and a tiny ViT checkpoint so that fine-tuning and
 * inference take seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseViTConfig, randomViTWeights, saveViTCheckpoint } from '@jetlens/core';
import { deployMigrations, openDatabaseServer, repoRoot } from '@jetlens/db';
import pg from 'pg';

export const CLI = join(repoRoot, 'apps', 'api', 'dist', 'cli', 'main.js');
export const SAMPLE = join(repoRoot, 'data', 'jetclass-sample');
export const TEST_HOME = join(repoRoot, '.jetlens', 'test-study');

/** A ViT small enough to fine-tune in a second: 3 layers of width 32 on a 4 x 4 patch grid. */
export function tinyBackbone(dir: string, layers = 3, hidden = 32): string {
  const config = parseViTConfig({
    architectures: ['ViTForImageClassification'],
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: 2,
    intermediate_size: hidden * 2,
    image_size: 32,
    patch_size: 8,
    num_channels: 1,
    id2label: { 0: 'a', 1: 'b' },
    label2id: { a: 0, b: 1 },
  });
  saveViTCheckpoint(dir, randomViTWeights(config, 7));
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify({
      do_resize: true,
      size: { height: 32, width: 32 },
      do_rescale: false,
      do_normalize: true,
      image_mean: [0.5],
      image_std: [0.5],
    }),
  );
  return dir;
}

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A database of its own on the shared test server, dropped and created again. */
export async function freshDatabase(name: string): Promise<TestDatabase> {
  mkdirSync(TEST_HOME, { recursive: true });
  const server = await openDatabaseServer({ home: TEST_HOME, database: 'postgres' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await deployMigrations({ url: url.toString() });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
  return {
    url: url.toString(),
    pool,
    close: async () => {
      await pool.end();
      await server.close();
    },
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `jetlens ARGS` as its own process. */
export function spawnJetlens(
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess & { done: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, JETLENS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { done });
}

/** Runs `jetlens ARGS` to the end; fails the test with its stderr when it exits non-zero. */
export async function jetlens(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  const result = await spawnJetlens(args, env).done;
  if (result.code !== 0) {
    throw new Error(`jetlens ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result;
}

export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 90_000,
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
