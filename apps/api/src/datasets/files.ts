/**
 * JetClass files on disk: finding them, naming their process, and fingerprinting their content
 * (SHA-256), so that the same file is never ingested twice into one collaboration.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { processOfFileName } from '@jetlens/core';
import { repoRoot } from '@jetlens/db';

export interface DataFile {
  /** As stored: relative to the repository when the file lies inside it, else absolute. */
  path: string;
  sha256: string;
  sizeBytes: number;
  /** JetClass process, e.g. "HToBB", from the file name `<Process>_<NNN>.root`. */
  processName: string;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The stored form of a path: portable between hosts that share the checkout. */
export function storedPath(path: string): string {
  const absolute = resolve(path);
  const inside = relative(repoRoot, absolute);
  return inside.startsWith('..') || isAbsolute(inside) ? absolute : inside;
}

export function absolutePath(stored: string): string {
  return isAbsolute(stored) ? stored : join(repoRoot, stored);
}

/**
 * The ROOT files named by `paths` (files, or folders whose *.root files are taken), with their
 * process and checksum. Only the given processes are kept when `processes` is set.
 */
export async function findDataFiles(paths: string[], processes?: string[]): Promise<DataFile[]> {
  const candidates: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new RangeError(`data path "${path}" does not exist`);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.root')).sort();
      candidates.push(...names.map((name) => join(path, name)));
    } else {
      candidates.push(path);
    }
  }

  const files: DataFile[] = [];
  for (const path of candidates) {
    const process = processOfFileName(basename(path));
    if (!process) {
      throw new RangeError(
        `${path}: a JetClass file name must be <Process>_<NNN>.root with a JetClass process ` +
          '(e.g. HToBB_000.root), so that its jets get a class',
      );
    }
    if (processes && !processes.includes(process.process)) continue;
    const info = await stat(path);
    files.push({
      path: storedPath(path),
      sha256: await sha256OfFile(path),
      sizeBytes: info.size,
      processName: process.process,
    });
  }
  if (files.length === 0) {
    const wanted = processes ? ` of ${processes.join(', ')}` : '';
    throw new RangeError(`no JetClass ROOT files${wanted} in ${paths.join(', ')}`);
  }
  return files;
}
