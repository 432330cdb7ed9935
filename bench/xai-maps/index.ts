/**
 * Attention maps and ROI statistics per second for ViT-B/16-shaped attentions (12 layers,
 * 12 heads, 197 tokens, 14 x 14 patches), JetLens (@jetlens/xai) against the NumPy version of
 * the same computation (tools/reference/xai_numpy.py) run as a child process in the same run.
 *
 * Per jet, on both sides: the study's cumulative map and the attention rollout, each resampled
 * bilinearly onto a 32 x 32 jet image, three prong ROIs (R = 0.2, pixel centres) and their
 * union, with fraction, mean inside, area fraction and enrichment. Random row-stochastic
 * attentions are generated in chunks to stay within memory; only the computation is timed.
 * Before timing, both sides analyse the same two jets and their results are compared. The
 * jets are split into rounds that alternate between JetLens and NumPy, so that a change of load
 * on a shared machine falls on both.
 *
 * NumPy runs two algorithms, each its own row, so that the ratio is honest both ways:
 * - `cls-row`, JetLens's own algorithm: only the CLS row of the cumulative map's layer matrices
 *   is fused, and rollout multiplies the row vector e_0 by each layer's matrix (tokens² per
 *   layer); NumPy still fuses the heads of every row for rollout, which it needs.
 * - `full`, the common tools' algorithm (vit-explain and most notebooks): whole fused matrices
 *   for every layer and the full rollout product A_L ... A_1 (tokens³ per layer), CLS row last.
 *
 * Usage: npm run bench -- xai-maps [--jets 1000] [--chunk 10] [--rounds 4] [--seed 1]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type AttentionTensor,
  analyseJet,
  type ImageGridTransform,
  type Prong,
  seededRandom,
} from '@jetlens/xai';
import { writeResult } from '../lib/report.js';

const LAYERS = 12;
const HEADS = 12;
const GRID = { rows: 14, cols: 14 };
const TOKENS = 1 + GRID.rows * GRID.cols;
const IMAGE = 32;
const HALF = 0.8;
const PRONGS = 3;
const PER_JET = LAYERS * HEADS * TOKENS * TOKENS;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = join(root, 'tools', '.venv-xai', 'bin', 'python');
const peerScript = join(root, 'tools', 'reference', 'xai_numpy.py');
const scratch = join(root, 'bench', '.scratch');

const { values } = parseArgs({
  options: {
    jets: { type: 'string', default: '1000' },
    chunk: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
  },
});
const jets = Number(values.jets);
const chunk = Number(values.chunk);
const rounds = Number(values.rounds);
const seed = Number(values.seed);
for (const [name, value] of Object.entries({ jets, chunk, rounds, seed })) {
  if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) {
    throw new RangeError(`--${name}: expected a positive integer, got ${value}`);
  }
}

// The jet image: 32 x 32 pixels over [-0.8, 0.8]^2, top row +Δφ, left column -Δη.
const pixel = (2 * HALF) / IMAGE;
const transform: ImageGridTransform = {
  width: IMAGE,
  height: IMAGE,
  toPixel: (deta, dphi) => ({ row: (HALF - dphi) / pixel, col: (deta + HALF) / pixel }),
  toDetaDphi: (row, col) => ({ deta: col * pixel - HALF, dphi: HALF - row * pixel }),
};
const ALGORITHMS = ['cls-row', 'full'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
const mapKinds = [
  { name: 'cumulative', options: { method: 'cumulative' } },
  { name: 'rollout', options: { method: 'rollout' } },
] as const;

/**
 * Random attentions and prongs for `count` jets, written into `buffer` when given. The timed
 * loop refills one buffer: a fresh array per chunk (223 MB at 10 jets) would leave the last one
 * to the garbage collector, which then frees it inside the timed region and charges JetLens for
 * the benchmark's own data (NumPy frees its chunks by reference counting, outside the timing).
 */
function randomChunk(random: () => number, count: number, buffer?: Float32Array) {
  const data = buffer ? buffer.subarray(0, count * PER_JET) : new Float32Array(count * PER_JET);
  for (let row = 0; row < data.length; row += TOKENS) {
    let sum = 0;
    for (let k = 0; k < TOKENS; k++) {
      const value = random();
      data[row + k] = value;
      sum += value;
    }
    for (let k = 0; k < TOKENS; k++) data[row + k] = data[row + k]! / sum;
  }
  const prongs: Prong[][] = Array.from({ length: count }, () =>
    Array.from({ length: PRONGS }, () => ({
      deta: random() - 0.5,
      dphi: random() - 0.5,
      pt: 10 + 490 * random(),
    })),
  );
  const attention: AttentionTensor = {
    data,
    layers: LAYERS,
    heads: HEADS,
    tokens: TOKENS,
    samples: count,
  };
  return { attention, prongs };
}

function analyse(attention: AttentionTensor, prongs: Prong[], sample: number) {
  return mapKinds.map(({ options }) =>
    analyseJet({
      attention,
      grid: GRID,
      transform,
      prongs,
      sample,
      options: { map: options, resampling: 'bilinear', betweenProngs: false },
    }),
  );
}

function runPeer(args: string[]) {
  const child = spawnSync(python, [peerScript, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0) {
    throw new Error(
      `${peerScript} ${args[0]} failed (status ${child.status}); create its environment with ` +
        `python3 -m venv tools/.venv-xai && tools/.venv-xai/bin/pip install -r ` +
        `tools/reference/requirements-xai.txt\n${child.stderr}`,
    );
  }
  return child.stdout;
}

/** Both sides analyse the same two jets; returns the largest differences seen. */
function crossCheck(algorithm: Algorithm) {
  const count = 2;
  const { attention, prongs } = randomChunk(seededRandom(seed + 1), count);
  mkdirSync(scratch, { recursive: true });
  const input = join(scratch, 'xai-maps-check.bin');
  const output = join(scratch, 'xai-maps-check.json');
  const prongValues = Float32Array.from(prongs.flat().flatMap((p) => [p.deta, p.dphi, p.pt]));
  // The peer reads float32; give JetLens the same rounded prongs.
  const rounded = prongs.map((list, j) =>
    list.map((_, k) => ({
      deta: prongValues[(j * PRONGS + k) * 3]!,
      dphi: prongValues[(j * PRONGS + k) * 3 + 1]!,
      pt: prongValues[(j * PRONGS + k) * 3 + 2]!,
    })),
  );
  const bytes = Buffer.concat([
    Buffer.from((attention.data as Float32Array).buffer),
    Buffer.from(prongValues.buffer),
  ]);
  writeFileSync(input, bytes);
  runPeer(['check', input, output, '--jets', String(count), '--algorithm', algorithm]);
  const peer = JSON.parse(readFileSync(output, 'utf8')) as Record<
    string,
    { maps: number[][]; fractions: number[][] }
  >;

  let map = 0;
  let fraction = 0;
  for (let j = 0; j < count; j++) {
    analyse(attention, rounded[j]!, j).forEach((result, m) => {
      const expected = peer[mapKinds[m]!.name]!;
      result.map.values.forEach((v, i) => {
        map = Math.max(map, Math.abs(v - expected.maps[j]![i]!));
      });
      [...result.rois, result.union].forEach((roi, r) => {
        fraction = Math.max(fraction, Math.abs(roi.attentionFraction - expected.fractions[j]![r]!));
      });
    });
  }
  if (map > 1e-6 || fraction > 1e-6) {
    throw new Error(
      `JetLens and NumPy (${algorithm}) disagree: map by ${map}, fraction by ${fraction}`,
    );
  }
  return { maxMapDifference: map, maxFractionDifference: fraction };
}

const loadAverageAtStart = loadavg();
const check = Object.fromEntries(ALGORITHMS.map((algorithm) => [algorithm, crossCheck(algorithm)]));

// Rounds alternate JetLens and NumPy; each side times its computation only.
const random = seededRandom(seed);
const chunkBuffer = new Float32Array(chunk * PER_JET);
let seconds = 0;
const peerSeconds: Record<Algorithm, number> = { 'cls-row': 0, full: 0 };
let peerInfo = { numpy: '?', python: '?' };
for (let round = 0; round < rounds; round++) {
  const roundJets = Math.floor((jets * (round + 1)) / rounds) - Math.floor((jets * round) / rounds);
  for (let done = 0; done < roundJets; done += chunk) {
    const count = Math.min(chunk, roundJets - done);
    const { attention, prongs } = randomChunk(random, count, chunkBuffer);
    const start = process.hrtime.bigint();
    for (let j = 0; j < count; j++) analyse(attention, prongs[j]!, j);
    seconds += Number(process.hrtime.bigint() - start) / 1e9;
  }

  const args = [
    '--jets',
    String(roundJets),
    '--chunk',
    String(chunk),
    '--seed',
    String(seed + round),
  ];
  for (const algorithm of ALGORITHMS) {
    const peer = JSON.parse(runPeer(['bench', ...args, '--algorithm', algorithm])) as {
      seconds: number;
      numpy: string;
      python: string;
    };
    peerSeconds[algorithm] += peer.seconds;
    peerInfo = peer;
  }
}

writeResult({
  name: 'xai-maps',
  peer: `NumPy ${peerInfo.numpy} (Python ${peerInfo.python}, 1 thread)`,
  description:
    'cumulative map + rollout, bilinear onto 32x32, 3 ROIs + union statistics, per ViT-B/16 jet ' +
    '(12 layers x 12 heads x 197 tokens)',
  rows: [
    {
      case: `${jets} jets, NumPy with the same algorithm (CLS row only)`,
      unit: 'jets/s',
      jetlens: jets / seconds,
      peer: jets / peerSeconds['cls-row'],
      higherIsBetter: true,
    },
    {
      case: `${jets} jets, NumPy with the common tools' algorithm (whole matrices, full product)`,
      unit: 'jets/s',
      jetlens: jets / seconds,
      peer: jets / peerSeconds.full,
      higherIsBetter: true,
    },
  ],
  details: {
    jets,
    chunk,
    rounds,
    seed,
    jetlensSeconds: seconds,
    peerSeconds,
    peerAlgorithms: {
      'cls-row': 'CLS row of the cumulative layer matrices; rollout as e_0 A_L ... A_1',
      full: 'whole fused layer matrices; rollout as the product A_L ... A_1, then its CLS row',
    },
    crossCheck: check,
    timed: 'computation only; random attentions generated outside the timed region',
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
  },
});
