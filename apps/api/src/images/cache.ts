/**
 * The images of an image set, on disk under JETLENS_HOME/image-sets/<id>/: one float32 tensor
 * and an index of the events (file, entry, process), their prongs and the image transforms.
 * The database keeps what identifies the images (dataset, config); the pixels are rebuilt from
 * the ROOT files whenever a host does not have them yet, which gives the same bytes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findProngs,
  type ImageConfig,
  ImageTransform,
  type ImageTransformJson,
  makeJetImages,
  readAllJets,
} from '@jetlens/core';
import { absolutePath } from '../datasets/files.js';
import type { DatasetFileRow } from '../store/datasets.js';
import { configHash } from '../store/hash.js';

/** One image: which jets made it (the first jet names the event) and their prongs. */
export interface ImageEvent {
  /** dataset_files.id of the jet's file. */
  fileId: string;
  /** TTree entry of the image's first jet. */
  entry: number;
  process: string;
  /** Index into `transforms` (one transform per file). */
  transform: number;
  /** The first jet's index within that transform. */
  jet: number;
  /**
   * Prong centroids of the first jet, hardest first, in its (deta, dphi) plane; null for
   * images of several jets, whose prongs are not one jet's.
   */
  prongs: { deta: number; dphi: number; pt: number }[] | null;
}

export interface ImageIndex {
  kind: 'jetlens.image-set';
  /** Hash of what the images were made from; a cache that disagrees is rebuilt. */
  sourceHash: string;
  shape: [number, number, number, number];
  events: ImageEvent[];
  transforms: ImageTransformJson[];
}

export interface LoadedImageSet {
  index: ImageIndex;
  images: Float32Array;
  transforms: ImageTransform[];
  /** Floats per image (C * H * W). */
  imageSize: number;
}

function sourceHash(config: ImageConfig, files: DatasetFileRow[]): string {
  return configHash({ config, files: files.map((file) => [file.id, file.sha256]) });
}

/** Builds the images of `files` (one transform per file, so stacking never mixes classes). */
export async function buildImages(
  config: ImageConfig,
  files: DatasetFileRow[],
  onFile?: (done: number, total: number) => Promise<void>,
): Promise<{ index: ImageIndex; images: Float32Array }> {
  const events: ImageEvent[] = [];
  const transforms: ImageTransformJson[] = [];
  const parts: Float32Array[] = [];
  let shape: [number, number, number, number] = [0, 0, config.height, config.width];

  for (const [fileIndex, file] of files.entries()) {
    const { jets } = await readAllJets(absolutePath(file.path));
    const set = makeJetImages(jets, config);
    parts.push(set.tensor);
    shape = [shape[0] + set.shape[0], set.shape[1], set.shape[2], set.shape[3]];
    transforms.push(set.transform.toJSON());

    set.transform.groups.forEach((group) => {
      const first = group[0]!;
      const jet = jets[first]!;
      let prongs: ImageEvent['prongs'] = null;
      if (group.length === 1) {
        const count = Math.min(3, jet.constituents.pt.length);
        prongs = findProngs(jet.constituents, { count }).map((prong) => ({
          deta: prong.centroid.deta,
          dphi: prong.centroid.dphi,
          pt: prong.pt,
        }));
      }
      events.push({
        fileId: file.id,
        entry: jet.origin.entry,
        process: file.processName,
        transform: fileIndex,
        jet: first,
        prongs,
      });
    });
    await onFile?.(fileIndex + 1, files.length);
  }

  const images = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    images.set(part, offset);
    offset += part.length;
  }
  const index: ImageIndex = {
    kind: 'jetlens.image-set',
    sourceHash: sourceHash(config, files),
    shape,
    events,
    transforms,
  };
  return { index, images };
}

function cacheDir(home: string, imageSetId: string): string {
  return join(home, 'image-sets', imageSetId);
}

/** Writes the images atomically (a reader never sees half a file). */
export function writeImageCache(
  home: string,
  imageSetId: string,
  built: { index: ImageIndex; images: Float32Array },
): void {
  const dir = cacheDir(home, imageSetId);
  mkdirSync(dir, { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(
    join(dir, `images.f32${suffix}`),
    Buffer.from(built.images.buffer, built.images.byteOffset, built.images.byteLength),
  );
  writeFileSync(join(dir, `index.json${suffix}`), JSON.stringify(built.index));
  renameSync(join(dir, `images.f32${suffix}`), join(dir, 'images.f32'));
  renameSync(join(dir, `index.json${suffix}`), join(dir, 'index.json'));
}

interface BuiltImages {
  index: ImageIndex;
  images: Float32Array;
}

function readImageCache(home: string, imageSetId: string, hash: string): BuiltImages | undefined {
  const dir = cacheDir(home, imageSetId);
  const indexPath = join(dir, 'index.json');
  if (!existsSync(indexPath) || !existsSync(join(dir, 'images.f32'))) return undefined;
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as ImageIndex;
  if (index.kind !== 'jetlens.image-set' || index.sourceHash !== hash) return undefined;
  const bytes = readFileSync(join(dir, 'images.f32'));
  const images = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const expected = index.shape.reduce((a, b) => a * b, 1);
  if (images.length !== expected) return undefined;
  return { index, images };
}

/** The images of an image set: from this host's cache, or rebuilt (and cached) when missing. */
export async function loadImages(
  home: string,
  imageSetId: string,
  config: ImageConfig,
  files: DatasetFileRow[],
): Promise<LoadedImageSet> {
  let built: BuiltImages | undefined = readImageCache(home, imageSetId, sourceHash(config, files));
  if (!built) {
    built = await buildImages(config, files);
    writeImageCache(home, imageSetId, built);
  }
  const [, channels, height, width] = built.index.shape;
  return {
    index: built.index,
    images: built.images,
    transforms: built.index.transforms.map((json) => ImageTransform.fromJSON(json)),
    imageSize: channels * height * width,
  };
}
