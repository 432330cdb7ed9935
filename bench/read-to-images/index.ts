/**
 * read-to-images: JetClass ROOT file to jet-image tensor, jets per second on one core,
 * JetLens (readJets + makeJetImages) against uproot + NumPy and uproot + EnergyFlow's
 * pixelate on the same file in the same run, plus each side's peak resident memory.
 *
 *     npm run bench -- read-to-images [--jets 20000] [--chunk 5000] [--repeat 3] [--file F.root]
 *
 * Both sides read every branch of the JetClass schema (16 particle, 10 jet, 10 label and 5
 * truth branches) and make the same 33 x 33 images over 2R x 2R (R = 0.8), pT-weighted,
 * normalised, centred on the pT centroid snapped to the pixel grid as EnergyFlow does; the
 * first images of both are compared. Without --file, a file of --jets synthetic jets (30 to
 * 120 constituents, LZ4 as JetClass) is written once by tools/reference/make_test_files.py.
 * Each side runs in its own child process, single-threaded; JetLens and uproot + NumPy run
 * --repeat times, alternating, and the fastest run of each is reported, in wall time and in
 * CPU time (the steadier figure on a shared machine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchRow, writeResult } from '../lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = join(root, 'tools', '.venv-io', 'bin', 'python');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const scratch = join(root, 'bench', '.scratch', 'read-to-images');

const { values } = parseArgs({
  options: {
    jets: { type: 'string', default: '20000' },
    chunk: { type: 'string', default: '5000' },
    file: { type: 'string' },
    repeat: { type: 'string', default: '3' },
  },
});
const jets = Number(values.jets);
const chunk = Number(values.chunk);
const repeat = Number(values.repeat);
for (const [name, value] of Object.entries({ jets, chunk, repeat })) {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`--${name}: expected a positive integer, got ${values[name as 'jets']}`);
  }
}
if (!existsSync(python)) {
  throw new Error(
    `${python} is missing: python3 -m venv tools/.venv-io && ` +
      'tools/.venv-io/bin/pip install -r tools/reference/requirements-io.txt',
  );
}

const SINGLE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function run(command: string, args: string[]): Record<string, unknown> {
  const child = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...SINGLE_THREAD, UV_THREADPOOL_SIZE: '1' },
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  }
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

// the input file
let file = values.file;
if (!file) {
  mkdirSync(scratch, { recursive: true });
  file = join(scratch, `jets-${jets}.root`);
  if (!existsSync(file)) {
    console.log(`writing ${jets} synthetic JetClass jets to ${file} (once)`);
    const made = spawnSync(
      python,
      [
        join(root, 'tools', 'reference', 'make_test_files.py'),
        '--large',
        file,
        '--jets',
        `${jets}`,
      ],
      { stdio: 'inherit' },
    );
    if (made.status !== 0) throw new Error('make_test_files.py failed');
  }
}

// both sides, same file, same run, alternating so that a busy machine hurts neither more;
// the best of the repeats is kept (EnergyFlow, far slower, runs once)
const peer = join(here, 'uproot_peer.py');
const common = ['--chunk', `${chunk}`, '--max-entries', `${jets}`];
const best = (runs: Record<string, unknown>[]) =>
  runs.reduce((a, b) => ((b.seconds as number) < (a.seconds as number) ? b : a));
const jetlensRuns: Record<string, unknown>[] = [];
const numpyRuns: Record<string, unknown>[] = [];
for (let r = 0; r < repeat; r++) {
  jetlensRuns.push(run(tsx, [join(here, 'jetlens-worker.ts'), file, `${chunk}`, `${jets}`]));
  numpyRuns.push(run(python, [peer, file, '--mode', 'numpy', ...common]));
}
const jetlens = best(jetlensRuns);
const numpy = best(numpyRuns);
const energyflow = run(python, [peer, file, '--mode', 'energyflow', ...common]);

// the images agree before any figure is reported
const ours = jetlens.first_images as number[][];
const theirs = numpy.first_images as number[][];
let maxDiff = 0;
for (const [i, image] of ours.entries()) {
  for (const [q, v] of image.entries()) {
    maxDiff = Math.max(maxDiff, Math.abs(v - (theirs[i]?.[q] ?? Number.NaN)));
  }
}
if (!(maxDiff < 1e-5)) throw new Error(`JetLens and NumPy images differ by ${maxDiff}`);

const rate = (r: Record<string, unknown>) => (r.jets as number) / (r.seconds as number);
const cpuRate = (r: Record<string, unknown>) => (r.jets as number) / (r.cpu_seconds as number);
const readRate = (r: Record<string, unknown>) => (r.jets as number) / (r.read_seconds as number);
const rows: BenchRow[] = [
  {
    case: 'file to images, vs uproot + NumPy',
    unit: 'jets/s',
    jetlens: rate(jetlens),
    peer: rate(numpy),
    higherIsBetter: true,
  },
  {
    case: 'file to images, vs uproot + EnergyFlow pixelate',
    unit: 'jets/s',
    jetlens: rate(jetlens),
    peer: rate(energyflow),
    higherIsBetter: true,
  },
  {
    case: 'file to images per CPU-second, vs uproot + NumPy',
    unit: 'jets/CPU-s',
    jetlens: cpuRate(jetlens),
    peer: cpuRate(numpy),
    higherIsBetter: true,
  },
  {
    case: 'file to images per CPU-second, vs uproot + EnergyFlow',
    unit: 'jets/CPU-s',
    jetlens: cpuRate(jetlens),
    peer: cpuRate(energyflow),
    higherIsBetter: true,
  },
  {
    case: 'reading only (decompress, decode, build jets) vs uproot',
    unit: 'jets/s',
    jetlens: readRate(jetlens),
    peer: readRate(numpy),
    higherIsBetter: true,
  },
  {
    case: 'peak resident memory, vs uproot + NumPy',
    unit: 'MiB',
    jetlens: jetlens.max_rss_mib as number,
    peer: numpy.max_rss_mib as number,
    higherIsBetter: false,
  },
];

const versions = numpy.versions as Record<string, string>;
writeResult({
  name: 'read-to-images',
  peer: `uproot ${versions.uproot} + NumPy ${versions.numpy} (1 thread)`,
  description: `${jets} JetClass jets (LZ4) to 33x33 pT images, chunks of ${chunk}`,
  rows,
  details: {
    file: basename(file),
    fileMiB: Math.round(statSync(file).size / 2 ** 20),
    jets,
    chunk,
    seconds: {
      jetlens: { read: jetlens.read_seconds, images: jetlens.image_seconds },
      uprootNumpy: { read: numpy.read_seconds, images: numpy.image_seconds },
      uprootEnergyflow: { read: energyflow.read_seconds, images: energyflow.image_seconds },
    },
    repeat,
    wallSeconds: {
      jetlens: jetlensRuns.map((r) => r.seconds),
      uprootNumpy: numpyRuns.map((r) => r.seconds),
    },
    maxImageDifference: maxDiff,
    energyflow: versions.energyflow,
    jetlensReport: { ...(jetlens.report as object), file: basename(file) },
  },
});
