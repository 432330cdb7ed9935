/**
 * The JetLens side of read-to-images, in a process of its own so that its peak RSS is its own:
 * readJets streams the file in chunks, makeJetImages turns each chunk into a [N, 1, 33, 33]
 * tensor (pT-weighted, centred on the pT centroid snapped to the grid, summing to one), and the
 * chunk is dropped. Prints one JSON line.
 *
 *     tsx jetlens-worker.ts FILE CHUNK MAX_ENTRIES
 */
import { makeJetImages, readJets } from '@jetlens/core';

const [file, chunkArg, maxArg] = process.argv.slice(2);
if (!file) throw new Error('usage: jetlens-worker.ts FILE CHUNK MAX_ENTRIES');
const chunkSize = Number(chunkArg ?? 5000);
const maxEntries = Number(maxArg ?? Number.MAX_SAFE_INTEGER);

const start = performance.now();
const cpuStart = process.cpuUsage();
let readMs = 0;
let imageMs = 0;
let jets = 0;
let firstImages: number[][] | null = null;

const stream = readJets(file, { chunkSize, maxEntries });
const chunks = stream[Symbol.asyncIterator]();
for (;;) {
  const t0 = performance.now();
  const next = await chunks.next();
  const t1 = performance.now();
  readMs += t1 - t0;
  if (next.done) break;

  const set = makeJetImages(next.value.jets, {
    height: 33,
    width: 33,
    centre: 'pt-centroid',
    snapCentre: true,
  });
  imageMs += performance.now() - t1;
  jets += set.shape[0];
  if (!firstImages) {
    const plane = 33 * 33;
    firstImages = Array.from({ length: 8 }, (_, i) => [
      ...set.tensor.subarray(i * plane, (i + 1) * plane),
    ]);
  }
}

console.log(
  JSON.stringify({
    jets,
    seconds: (performance.now() - start) / 1000,
    cpu_seconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuStart)),
    read_seconds: readMs / 1000,
    image_seconds: imageMs / 1000,
    max_rss_mib: process.resourceUsage().maxRSS / 1024,
    first_images: firstImages,
    report: stream.report,
  }),
);
