/**
 * Workers on one queue: the same sharded evaluation (every test event of a fine-tuned ViT)
 * finished by two `jetlens worker` processes against the time one takes, on the same database
 * state, with identical predictions. Each worker runs onnxruntime on one thread
 * (JETLENS_THREADS=1), so two workers use two cores where the machine has them.
 *
 * Setup (not timed): a database on the embedded PostgreSQL, the bundled sample ingested, its
 * images built, one task fine-tuned briefly. That database is then cloned (CREATE DATABASE
 * ... TEMPLATE) for every measurement, and each clone evaluates the fine-tuned model, with one
 * worker or with two. Timed: from queueing the shards to the run being COMPLETED, workers up.
 *
 * Usage: npm run bench -- workers [--shard-size 100] [--rounds 3] [--model DIR] [--task hbb-vs-hcc]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  parsePreprocessorConfig,
  parseViTConfig,
  randomViTWeights,
  saveViTCheckpoint,
} from '@jetlens/core';
import { deployMigrations, openDatabaseServer } from '@jetlens/db';
import pg from 'pg';
import { writeResult } from '../lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'apps', 'api', 'dist', 'cli', 'main.js');
const scratch = join(here, '..', '.scratch', 'workers');
const home = join(scratch, 'home');

const { values: args } = parseArgs({
  options: {
    'shard-size': { type: 'string', default: '100' },
    model: { type: 'string' },
    task: { type: 'string', default: 'hbb-vs-hcc' },
    rounds: { type: 'string', default: '3' },
  },
});

/** A ViT-Tiny-like backbone (width 192, 6 layers, 8 x 8 patches of a 32-pixel image). */
function backbone(dir: string): string {
  const config = parseViTConfig({
    architectures: ['ViTForImageClassification'],
    hidden_size: 192,
    num_hidden_layers: 6,
    num_attention_heads: 3,
    intermediate_size: 768,
    image_size: 32,
    patch_size: 4,
    num_channels: 1,
  });
  const preprocessor = parsePreprocessorConfig({
    size: { height: 32, width: 32 },
    do_rescale: false,
    image_mean: [0.5],
    image_std: [0.5],
  });
  saveViTCheckpoint(dir, randomViTWeights(config, 11), preprocessor);
  return dir;
}

function jetlens(argv: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(process.execPath, [cli, '--log-level', 'warn', ...argv], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`jetlens ${argv.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'worker'], {
    env: { ...process.env, ...env, JETLENS_THREADS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk;
      if (log.includes('worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}:\n${log}`)));
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.removeAllListeners('exit');
          worker.on('exit', () => resolve());
          worker.kill('SIGTERM');
        }),
    ),
  );
}

const owner = ['--user', 'bench@example.org', '--collaboration', 'bench'];

interface Measurement {
  workers: number;
  seconds: number;
  events: number;
  predictions: string;
}

/** Evaluates the fine-tuned model in the database of `env` with `count` workers, timed. */
async function evaluateWith(
  count: number,
  env: NodeJS.ProcessEnv,
  finetune: string,
): Promise<Measurement> {
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(env)));
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const started = performance.now();
    const run = jetlens(
      ['evaluate', '--run', finetune, '--shard-size', args['shard-size']!, ...owner, '--detach'],
      env,
    );
    for (;;) {
      const { rows } = await db.query('SELECT status FROM runs WHERE id = $1', [run]);
      if (rows[0].status === 'COMPLETED') break;
      if (rows[0].status === 'FAILED') throw new Error(`evaluation run ${run} failed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await db.query(
      `SELECT count(*)::int AS events,
              md5(string_agg(dataset_file_id || ':' || entry || ':' ||
                             array_to_string(probabilities, ','),
                             ';' ORDER BY dataset_file_id, entry)) AS digest
       FROM predictions WHERE run_id = $1`,
      [run],
    );
    console.log(`${count} worker(s): ${rows[0].events} events in ${seconds.toFixed(2)} s`);
    return { workers: count, seconds, events: rows[0].events, predictions: rows[0].digest };
  } finally {
    await db.end();
    await stopWorkers(workers);
  }
}

async function main() {
  mkdirSync(home, { recursive: true });
  const server = await openDatabaseServer({ home, database: 'postgres' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const urlOf = (name: string) => {
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  };

  try {
    // Setup, once: data, images, a fine-tuned model.
    await admin.query('DROP DATABASE IF EXISTS bench_workers WITH (FORCE)');
    await admin.query('CREATE DATABASE bench_workers');
    await deployMigrations({ url: urlOf('bench_workers') });
    const env = { DATABASE_URL: urlOf('bench_workers'), JETLENS_HOME: home };
    const model = args.model ?? backbone(join(scratch, 'backbone'));
    jetlens(['user', 'create', 'bench@example.org', '--name', 'Bench'], env);
    jetlens(
      ['user', 'collaboration', 'bench', '--name', 'Bench', '--owner', 'bench@example.org'],
      env,
    );
    const dataset = jetlens(['ingest', join(root, 'data', 'jetclass-sample'), ...owner], env);
    const imageSet = jetlens(['images', '--dataset', dataset, ...owner], env);
    const finetune = jetlens(
      [
        'finetune',
        '--image-set',
        imageSet,
        '--model',
        model,
        '--tasks',
        args.task,
        '--train-per-class',
        '20',
        '--validation-per-class',
        '10',
        '--epochs',
        '1',
        ...owner,
      ],
      env,
    );
    // Rounds alternate one and two workers, each on a fresh clone of the set-up database, so
    // that a change of load on a shared machine falls on both; the median of each is reported.
    const rounds = Number(args.rounds);
    const loadBefore = loadavg()[0]!;
    const measured: { workers: number; seconds: number; events: number; predictions: string }[] =
      [];
    for (let round = 0; round < rounds; round++) {
      for (const count of [1, 2]) {
        const clone = `bench_workers_${round}_${count}`;
        await admin.query(`DROP DATABASE IF EXISTS "${clone}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${clone}" TEMPLATE bench_workers`);
        const cloneEnv = { DATABASE_URL: urlOf(clone), JETLENS_HOME: home };
        measured.push(await evaluateWith(count, cloneEnv, finetune));
        await admin.query(`DROP DATABASE "${clone}" WITH (FORCE)`);
      }
    }

    const digests = new Set(measured.map((m) => `${m.events}:${m.predictions}`));
    if (digests.size !== 1) throw new Error('the runs stored different predictions');
    const median = (count: number) => {
      const times = measured.filter((m) => m.workers === count).map((m) => m.seconds);
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)]!;
    };
    const one = {
      seconds: median(1),
      events: measured[0]!.events,
      predictions: measured[0]!.predictions,
    };
    const two = { seconds: median(2), events: one.events };
    writeResult({
      name: 'workers',
      peer: '1 jetlens worker',
      description: 'a sharded evaluation finished by two jetlens worker processes against one',
      rows: [
        {
          case: `${one.events} events, shards of ${args['shard-size']}`,
          unit: 'events/s',
          jetlens: two.events / two.seconds,
          peer: one.events / one.seconds,
          higherIsBetter: true,
        },
      ],
      details: {
        jetlens: '2 jetlens worker processes, 1 onnxruntime thread each',
        seconds: { oneWorker: one.seconds, twoWorkers: two.seconds },
        rounds: measured.map((m) => ({ workers: m.workers, seconds: m.seconds })),
        identicalPredictions: true,
        predictionsDigest: one.predictions,
        cores: cpus().length,
        // Other work on the machine takes cores from the workers: the 1-minute load average.
        loadAverage: { before: loadBefore, after: loadavg()[0] },
        model: args.model ?? 'generated ViT, width 192, 6 layers, 3 heads, 8 x 8 patches',
        task: args.task,
      },
    });
  } finally {
    await admin.end();
    await server.close();
  }
}

await main();
