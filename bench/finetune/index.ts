/**
 * finetune: training throughput of JetLens's fine-tuning (the train-step graph in
 * onnxruntime-node) against the PyTorch reference (tools/reference/finetune.py) on the same
 * backbone, images, few-shot sampling, head initialisation, batch order and settings, for the
 * study's two tasks; and the held-out AUC of each, which must agree within the bootstrap
 * uncertainty.
 *
 *     npm run bench -- finetune [--threads N] [--backbone DIR] [--vit-b16]
 *
 * Both sides cache the frozen trunk (one forward pass over all images) and then train the
 * last two encoder layers, the final layer norm and the head; the throughput is training
 * images per second per epoch, the trunk pass is reported apart. `--vit-b16` also times one
 * epoch of 600 images for a ViT-B/16-shaped model with random weights (JetLens only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  evaluateClassifier,
  fineTune,
  fineTuneStudyTask,
  loadStudyTask,
  loadViT,
  loadViTCheckpoint,
  Prng,
  parseViTConfig,
  randomViTWeights,
  STUDY_RECIPE,
  STUDY_TASKS,
  saveFineTuned,
  withNewHead,
  writeSafetensors,
} from '@jetlens/core';
import { type BenchRow, writeResult } from '../lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = join(root, 'tools', '.venv-torch', 'bin', 'python');
const dataDir = join(root, 'data', 'jetclass-sample');
const scratch = join(root, 'bench', '.scratch', 'finetune');

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    backbone: { type: 'string', default: join(root, 'models', 'jetlens-vit-tiny-jets') },
    'vit-b16': { type: 'boolean', default: false },
  },
});
const threads = Number(args.threads);
const backboneDir = args.backbone;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const filesOf = (className: string) =>
  readdirSync(dataDir).filter((f) => f.startsWith(`${className}_`) && f.endsWith('.root'));

interface PeerResult {
  peer: string;
  auc: { value: number; std: number };
  rejectionAt50: { value: number; std: number };
  rejectionAt30: { value: number; std: number };
  accuracy: { value: number; std: number };
  bestEpoch: number;
  epochsRun: number;
  trunkSeconds: number;
  history: { imagesPerSecond: number }[];
}

function runPeer(taskDir: string): PeerResult {
  const child = spawnSync(
    python,
    [
      join(root, 'tools', 'reference', 'finetune.py'),
      '--task',
      taskDir,
      '--backbone',
      backboneDir,
      '--threads',
      String(threads),
      '--out',
      join(taskDir, 'pytorch.json'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  if (child.status !== 0) throw new Error(`PyTorch peer failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as PeerResult;
}

async function studyTasks(rows: BenchRow[], details: Record<string, unknown>): Promise<void> {
  const backbone = loadViTCheckpoint(backboneDir);
  const numLayers = backbone.weights.config.numHiddenLayers;
  for (const task of STUDY_TASKS) {
    const images = await loadStudyTask(task, dataDir, numLayers, filesOf);

    // Hand the PyTorch peer exactly what JetLens trains on.
    const taskDir = join(scratch, task.name);
    mkdirSync(taskDir, { recursive: true });
    const head = withNewHead(backbone.weights, {
      labels: task.classes,
      seed: STUDY_RECIPE.seeds.head,
    });
    const splits = [images.train, images.validation, images.heldOut];
    const all = new Float32Array(splits.reduce((n, s) => n + s.images.data.length, 0));
    let offset = 0;
    for (const s of splits) {
      all.set(s.images.data, offset);
      offset += s.images.data.length;
    }
    const n = splits.reduce((k, s) => k + s.labels.length, 0);
    const [, c, h, w] = images.train.images.dims;
    writeSafetensors(join(taskDir, 'data.safetensors'), [
      ['images', { shape: [n, c, h, w], data: all }],
      ['labels', { shape: [n], data: Float32Array.from(splits.flatMap((s) => [...s.labels])) }],
      [
        'split',
        {
          shape: [n],
          data: Float32Array.from(splits.flatMap((s, i) => Array.from(s.labels, () => i))),
        },
      ],
      ['classifier.weight', head.tensors.get('classifier.weight')!],
      ['classifier.bias', head.tensors.get('classifier.bias')!],
    ]);
    const r = STUDY_RECIPE.fineTune;
    const stepsPerEpoch = Math.ceil(images.train.labels.length / r.batchSize);
    writeFileSync(
      join(taskDir, 'settings.json'),
      `${JSON.stringify(
        {
          task: task.name,
          labels: task.classes,
          signalClass: 1,
          trainableLayers: STUDY_RECIPE.trainableLayers,
          ...r,
          warmupSteps: Math.round(r.warmupFraction * stepsPerEpoch * r.epochs),
          shuffleSeed: STUDY_RECIPE.seeds.shuffle,
          bootstrapSeed: 0,
        },
        null,
        2,
      )}\n`,
    );

    // JetLens: fine-tune, save as a checkpoint, serve it with the runtime, score the held-out jets.
    const result = await fineTuneStudyTask(backbone.weights, backbone.preprocessor, task, images, {
      intraOpNumThreads: threads,
    });
    const modelDir = join(taskDir, 'jetlens-model');
    saveFineTuned(modelDir, result, backbone.preprocessor, images.protocol);
    const session = await loadViT(modelDir, { intraOpNumThreads: threads });
    const prediction = await session.predict(images.heldOut.images);
    await session.dispose();
    const metrics = evaluateClassifier(prediction.probabilities, images.heldOut.labels, 2, {
      resamples: 200,
      seed: 0,
    });

    const peer = runPeer(taskDir);
    const jetlensRate = mean(result.history.map((e) => e.imagesPerSecond));
    const peerRate = mean(peer.history.map((e) => e.imagesPerSecond));
    rows.push({
      case: `${task.name}: training, 600 images/epoch`,
      unit: 'images/s',
      jetlens: jetlensRate,
      peer: peerRate,
      higherIsBetter: true,
    });
    rows.push({
      case: `${task.name}: frozen trunk, ${splits.reduce((k, s) => k + s.labels.length, 0)} images`,
      unit: 's',
      jetlens: result.trunkSeconds,
      peer: peer.trunkSeconds,
      higherIsBetter: false,
    });
    const difference = Math.abs(metrics.auc.value - peer.auc.value);
    const combined = Math.hypot(metrics.auc.std, peer.auc.std);
    details[task.name] = {
      heldOut: metrics.events,
      jetlens: {
        auc: metrics.auc,
        accuracy: metrics.accuracy,
        rejectionAt50: metrics.rejectionAt50,
        rejectionAt30: metrics.rejectionAt30,
        ece: metrics.ece,
        confusion: metrics.confusion,
        bestEpoch: result.bestEpoch,
        epochsRun: result.history.length,
        history: result.history,
      },
      pytorch: peer,
      aucDifference: difference,
      aucCombinedStd: combined,
      aucAgreeWithinUncertainty: difference <= combined,
    };
    console.log(
      `${task.name}: AUC JetLens ${metrics.auc.value.toFixed(4)} ± ${metrics.auc.std.toFixed(4)}, ` +
        `PyTorch ${peer.auc.value.toFixed(4)} ± ${peer.auc.std.toFixed(4)} ` +
        `(|diff| ${difference.toFixed(4)} vs combined std ${combined.toFixed(4)})`,
    );
  }
}

/** One epoch of 600 random 224 x 224 images through a ViT-B/16-shaped model (JetLens only). */
async function vitB16Epoch(details: Record<string, unknown>): Promise<void> {
  const config = parseViTConfig({ architectures: ['ViTForImageClassification'], num_labels: 2 });
  const weights = randomViTWeights(config, 3);
  const rng = new Prng(9);
  const n = 600;
  const images = new Float32Array(n * 224 * 224);
  for (let i = 0; i < images.length; i++) images[i] = rng.next();
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const preprocessor = {
    doResize: true,
    size: [224, 224] as [number, number],
    doRescale: true,
    rescaleFactor: 1 / 255,
    doNormalize: true,
    imageMean: [0.5, 0.5, 0.5],
    imageStd: [0.5, 0.5, 0.5],
    fromFile: false,
  };
  const started = performance.now();
  const result = await fineTune(
    weights,
    preprocessor,
    { images: { data: images, dims: [n, 1, 224, 224] }, labels },
    { images: { data: images.subarray(0, 2 * 224 * 224), dims: [2, 1, 224, 224] }, labels: [0, 1] },
    {
      labels: ['a', 'b'],
      epochs: 1,
      batchSize: 32,
      seeds: { head: 1, shuffle: 2 },
      intraOpNumThreads: threads,
    },
  );
  const total = (performance.now() - started) / 1000;
  details['vit-b16-epoch'] = {
    images: n,
    trunkSeconds: result.trunkSeconds,
    epochSeconds: result.history[0]!.seconds,
    totalSeconds: total,
    imagesPerSecond: result.history[0]!.imagesPerSecond,
  };
  console.log(
    `ViT-B/16 shape, 600 images: trunk ${result.trunkSeconds.toFixed(1)} s, ` +
      `one training epoch ${result.history[0]!.seconds.toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(python)) {
    console.error(
      'no Python environment at tools/.venv-torch (the PyTorch peer); create it with\n' +
        '  python3 -m venv tools/.venv-torch\n' +
        '  tools/.venv-torch/bin/pip install -r tools/reference/requirements-torch.txt',
    );
    process.exit(1);
  }
  for (const need of [backboneDir, dataDir]) {
    if (!existsSync(need)) throw new Error(`finetune bench needs ${need}`);
  }
  const torch = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  }).stdout.trim();
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = { threads, recipe: STUDY_RECIPE };
  await studyTasks(rows, details);
  if (args['vit-b16']) await vitB16Epoch(details);
  writeResult({
    name: 'finetune',
    peer: `PyTorch ${torch} eager (transformers), ${threads} threads, cached trunk`,
    description:
      'fine-tuning the last two encoder layers + norm + head of jetlens-vit-tiny-jets on the ' +
      "study's tasks (300 images per class), same images, sampling, head init and batch order",
    rows,
    details,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
