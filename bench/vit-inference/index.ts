/**
 * vit-inference: images per second of JetLens' ViT runtime (onnxruntime-node) against
 * PyTorch eager (transformers) on the same weights, batch 1 and 32, with and without
 * attention outputs, for a ViT-B/16 and a ViT-Tiny-like 12-layer model; and peak memory.
 *
 *     npm run bench -- vit-inference [--threads N] [--min-seconds S] [--models vit-tiny,vit-b16]
 *
 * Each side runs in its own child process (so each peak RSS is that process's own) with the
 * same thread count. The random weights are written once, as a Hugging Face checkpoint, and
 * both sides load that folder; a fixed input checks that they compute the same probabilities.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseViTConfig, randomViTWeights, saveViTCheckpoint } from '@jetlens/core';
import { type BenchRow, writeResult } from '../lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = join(root, 'tools', '.venv-torch', 'bin', 'python');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** The two models: hub ViT-B/16 and the ViT-Tiny-like shape of JetLens' default backbone. */
const MODELS = {
  'vit-b16': {
    title: 'ViT-B/16 (86M, image 224)',
    config: {
      hidden_size: 768,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      intermediate_size: 3072,
      image_size: 224,
      patch_size: 16,
    },
  },
  'vit-tiny': {
    title: 'ViT-Tiny-like (5.4M, image 64, patch 8)',
    config: {
      hidden_size: 192,
      num_hidden_layers: 12,
      num_attention_heads: 3,
      intermediate_size: 768,
      image_size: 64,
      patch_size: 8,
    },
  },
} as const;

type ModelName = keyof typeof MODELS;

interface SideResult {
  imagesPerSecond: Record<string, number>;
  peakRssMiB: number;
}

function runChild(command: string, args: string[], what: string): unknown {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (child.status !== 0) {
    throw new Error(`${what} failed (exit ${child.status}):\n${child.stderr}`);
  }
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

function peerAvailable(): string | undefined {
  if (!existsSync(python)) {
    return (
      'no Python environment at tools/.venv-torch; create it with\n' +
      '  python3 -m venv tools/.venv-torch\n' +
      '  tools/.venv-torch/bin/pip install -r tools/reference/requirements-torch.txt'
    );
  }
  const probe = spawnSync(python, ['-c', 'import torch, transformers'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `tools/.venv-torch cannot import torch and transformers:\n${probe.stderr}`;
  }
  return undefined;
}

function softmax(logits: number[], classes: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < logits.length / classes; row++) {
    const values = logits.slice(row * classes, (row + 1) * classes);
    const max = Math.max(...values);
    const exps = values.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    out.push(...exps.map((v) => v / sum));
  }
  return out;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: String(cpus().length) },
      'min-seconds': { type: 'string', default: '2' },
      models: { type: 'string', default: 'vit-tiny,vit-b16' },
    },
  });
  const unavailable = peerAvailable();
  if (unavailable !== undefined) {
    console.error(
      'vit-inference: the PyTorch peer is not installed here, so nothing is compared.\n' +
        unavailable,
    );
    process.exit(1);
  }
  const models = values.models.split(',') as ModelName[];
  for (const name of models) {
    if (!(name in MODELS)) {
      console.error(
        `vit-inference: unknown model "${name}"; expected ${Object.keys(MODELS).join(', ')}`,
      );
      process.exit(2);
    }
  }

  const threads = values.threads;
  const timing = ['--threads', threads, '--min-seconds', values['min-seconds']];
  const rows: BenchRow[] = [];
  // the machine may be shared: record how busy it was, since that moves every figure
  const details: Record<string, unknown> = {
    threads: Number(threads),
    labels: 2,
    loadAverageAtStart: loadavg(),
  };
  let versions: unknown;
  for (const name of models) {
    const model = MODELS[name];
    const config = parseViTConfig({
      architectures: ['ViTForImageClassification'],
      model_type: 'vit',
      id2label: { 0: 'signal', 1: 'background' },
      ...model.config,
    });
    const dir = join(here, '..', '.scratch', 'vit-inference', name);
    mkdirSync(dir, { recursive: true });
    saveViTCheckpoint(dir, randomViTWeights(config, 2024));

    const jetlens = runChild(
      tsx,
      [join(here, 'jetlens-worker.ts'), dir, ...timing],
      `JetLens on ${name}`,
    ) as SideResult & { checkProbabilities: number[] };
    const peer = runChild(
      python,
      [join(here, 'torch_peer.py'), dir, ...timing],
      `PyTorch on ${name}`,
    ) as SideResult & { checkLogits: number[]; versions: unknown };
    versions = peer.versions;

    const reference = softmax(peer.checkLogits, 2);
    const diff = Math.max(
      ...reference.map((p, i) => Math.abs(p - (jetlens.checkProbabilities[i] ?? Number.NaN))),
    );
    if (!(diff < 1e-4)) {
      throw new Error(
        `${name}: JetLens and PyTorch disagree on the check input (max |dp| = ${diff})`,
      );
    }
    details[name] = { model: model.title, config: model.config, maxProbabilityDifference: diff };

    for (const [key, value] of Object.entries(jetlens.imagesPerSecond)) {
      rows.push({
        case: `${name}, ${key}`,
        unit: 'images/s',
        jetlens: value,
        peer: peer.imagesPerSecond[key] ?? Number.NaN,
        higherIsBetter: true,
      });
    }
    rows.push({
      case: `${name}, peak RSS`,
      unit: 'MiB',
      jetlens: jetlens.peakRssMiB,
      peer: peer.peakRssMiB,
      higherIsBetter: false,
    });
  }

  const { torch, transformers } = versions as { torch: string; transformers: string };
  const onnxruntimeNode = (
    createRequire(import.meta.url)('onnxruntime-node/package.json') as {
      version: string;
    }
  ).version;
  details.versions = { torch, transformers, onnxruntimeNode };
  details.loadAverageAtEnd = loadavg();
  writeResult({
    name: 'vit-inference',
    peer: `PyTorch ${torch} eager (transformers ${transformers}), ${threads} threads`,
    description:
      'ViT classification throughput on the CPU, same weights and threads; ' +
      'peak RSS of each process',
    rows,
    details,
  });
}

main();
