/**
 * The JetLens side of the vit-inference benchmark, run in a process of its own so that its
 * peak RSS is its own: loads a checkpoint with loadViT and times predict (logits only) and
 * explainable (with every layer's attention). Prints one JSON line, like torch_peer.py.
 *
 *     tsx bench/vit-inference/jetlens-worker.ts CHECKPOINT_DIR --threads 2 --min-seconds 2
 */
import { parseArgs } from 'node:util';
import { type ImageBatch, loadViT, tokenCount, type ViTSession } from '@jetlens/core';

/** The deterministic input that torch_peer.py builds too: sin(0.001 * i). */
export function fixedPixels(batch: number, channels: number, size: number): ImageBatch {
  const data = Float32Array.from({ length: batch * channels * size * size }, (_, i) =>
    Math.sin(i * 0.001),
  );
  return { data, dims: [batch, channels, size, size] };
}

async function throughput(
  run: (images: ImageBatch) => Promise<unknown>,
  images: ImageBatch,
  minSeconds: number,
): Promise<number> {
  await run(images); // warm-up
  let runs = 0;
  const start = performance.now();
  for (;;) {
    await run(images);
    runs += 1;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= minSeconds && runs >= 2) {
      return (runs * images.dims[0]) / elapsed;
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      threads: { type: 'string' },
      'min-seconds': { type: 'string', default: '2' },
      batches: { type: 'string', default: '1,32' },
    },
  });
  const dir = positionals[0];
  if (dir === undefined || values.threads === undefined) {
    throw new RangeError('usage: jetlens-worker.ts CHECKPOINT_DIR --threads N [--min-seconds S]');
  }
  const threads = Number(values.threads);
  const minSeconds = Number(values['min-seconds']);
  const batches = values.batches.split(',').map(Number);

  const model: ViTSession = await loadViT(dir, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    batchSize: Math.max(...batches),
    // the pixels are made at the model's size, as the peer receives them
    preprocessing: { intensity: 'none', resize: false, normalize: false },
  });
  const { numChannels, imageSize } = model.config;
  const check = await model.predict(fixedPixels(2, numChannels, imageSize[0]));
  const results: Record<string, number> = {};
  // one attentions buffer for every explaining run, as a caller explaining a dataset batch
  // by batch would keep: the figure is then the runtime's memory, not dead results
  // waiting for the collector
  const { numHiddenLayers, numAttentionHeads } = model.config;
  const perImage = numHiddenLayers * numAttentionHeads * tokenCount(model.config) ** 2;
  const attentionBuffers = new Map<number, Float32Array>();
  const explain = (images: ImageBatch) => {
    const n = images.dims[0];
    let buffer = attentionBuffers.get(n);
    if (buffer === undefined) {
      buffer = new Float32Array(n * perImage);
      attentionBuffers.set(n, buffer);
    }
    return model.explainable(images, { attentions: buffer });
  };
  for (const [attentions, run] of [
    [false, (images: ImageBatch) => model.predict(images)],
    [true, explain],
  ] as const) {
    for (const batch of batches) {
      const key = `batch ${batch}, ${attentions ? 'with' : 'without'} attentions`;
      results[key] = await throughput(
        run,
        fixedPixels(batch, numChannels, imageSize[0]),
        minSeconds,
      );
    }
  }
  await model.dispose();

  process.stdout.write(
    `${JSON.stringify({
      imagesPerSecond: results,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      checkProbabilities: Array.from(check.probabilities),
    })}\n`,
  );
}

await main();
