/**
 * What the study's end-to-end tests share: real `jetlens` processes (the built CLI), a fresh
 * database on the real embedded PostgreSQL, and a tiny ViT checkpoint so that fine-tuning and
 * inference take seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  parsePreprocessorConfig,
  parseViTConfig,
  randomViTWeights,
  saveViTCheckpoint,
} from '@jetlens/core';
import { repoRoot } from '@jetlens/db';
import {
  freshDatabase as freshApiTestDatabase,
  type TestDatabase,
} from '../../apps/api/test/helpers/database.js';

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
  const preprocessor = parsePreprocessorConfig({
    size: { height: 32, width: 32 },
    do_rescale: false,
    image_mean: [0.5],
    image_std: [0.5],
  });
  saveViTCheckpoint(dir, randomViTWeights(config, 7), preprocessor);
  return dir;
}

export type { TestDatabase } from '../../apps/api/test/helpers/database.js';

/** A database of its own on the study tests' server, dropped and created again. */
export function freshDatabase(name: string): Promise<TestDatabase> {
  return freshApiTestDatabase(name, TEST_HOME);
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
