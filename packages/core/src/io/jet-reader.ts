import { type BranchLayout, branchLayout, hasBranch } from './branch-layout.js';
import { type BranchMapping, checkMapping } from './branch-mapping.js';
import { BranchReader } from './branch-reader.js';
import { RootReadError } from './errors.js';
import type { Jet } from './jet.js';
import { ChunkBuilder, type Columns } from './jet-chunk.js';
import { JETCLASS_MAPPING } from './jetclass-schema.js';
import { RootFile, type RootTree } from './root-file.js';

export interface ReadJetsOptions {
  /** Which branches hold what; JetClass' by default. */
  mapping?: BranchMapping;
  /** Entries per chunk (default 1000). Memory grows with it, not with the file. */
  chunkSize?: number;
  /** First entry to read (default 0) and how many at most (default all). */
  firstEntry?: number;
  maxEntries?: number;
  /** Drop constituents with a NaN or infinite value instead of failing (default false). */
  dropInvalidConstituents?: boolean;
  /** Skip jets without constituents instead of failing (default false). */
  dropEmptyJets?: boolean;
}

/** What a read filtered out, so that nothing is dropped silently. */
export interface ReadReport {
  file: string;
  entriesRead: number;
  jets: number;
  emptyJets: { count: number; entries: number[] };
  invalidConstituents: { count: number; jets: number; entries: number[] };
}

export interface JetChunk {
  firstEntry: number;
  entries: number;
  jets: Jet[];
}

function checkCount(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Streams the jets of one ROOT file in chunks of entries. Baskets are read as the chunks
 * need them, so a file of any size is read in the memory of a few chunks.
 *
 * ```ts
 * const stream = readJets('HToBB_120.root');
 * for await (const chunk of stream) for (const jet of chunk.jets) use(jet);
 * stream.report; // what was filtered out
 * ```
 */
export function readJets(path: string, options: ReadJetsOptions = {}): JetStream {
  if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${typeof path}`);
  checkCount('chunkSize', options.chunkSize, 1);
  checkCount('firstEntry', options.firstEntry, 0);
  checkCount('maxEntries', options.maxEntries, 0);
  checkMapping(options.mapping ?? JETCLASS_MAPPING);
  return new JetStream(path, options);
}

/** Reads every jet of a (small) file into one array. */
export async function readAllJets(
  path: string,
  options: ReadJetsOptions = {},
): Promise<{ jets: Jet[]; report: ReadReport }> {
  const stream = readJets(path, options);
  const jets: Jet[] = [];
  for await (const chunk of stream) jets.push(...chunk.jets);
  return { jets, report: stream.report };
}

type Group = Record<string, BranchReader>;

export class JetStream implements AsyncIterable<JetChunk> {
  readonly report: ReadReport;
  readonly #path: string;
  readonly #options: ReadJetsOptions;
  readonly #mapping: BranchMapping;

  constructor(path: string, options: ReadJetsOptions) {
    this.#path = path;
    this.#options = options;
    this.#mapping = options.mapping ?? JETCLASS_MAPPING;
    this.report = {
      file: path,
      entriesRead: 0,
      jets: 0,
      emptyJets: { count: 0, entries: [] },
      invalidConstituents: { count: 0, jets: 0, entries: [] },
    };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JetChunk> {
    const file = await RootFile.open(this.#path);
    try {
      const tree = await file.tree(this.#mapping.tree);
      const readers = this.#readers(file, tree);
      const first = this.#options.firstEntry ?? 0;
      const end = Math.min(tree.fEntries, first + (this.#options.maxEntries ?? tree.fEntries));
      const size = this.#options.chunkSize ?? 1000;
      const builder = new ChunkBuilder(file, tree.fName, this.#mapping, this.#options, this.report);
      for (let start = first; start < end; start += size) {
        const stop = Math.min(end, start + size);
        const columns = await readGroups(readers, start, stop);
        const jets = builder.build(columns, start, stop - start);
        this.report.entriesRead += stop - start;
        this.report.jets += jets.length;
        yield { firstEntry: start, entries: stop - start, jets };
      }
    } finally {
      await file.close();
    }
  }

  #readers(file: RootFile, tree: RootTree): Record<string, Group> {
    const optional = new Set(this.#mapping.optional ?? []);
    const make = (group: object | undefined, jagged: boolean): Group => {
      const out: Group = {};
      for (const [key, name] of Object.entries(group ?? {}) as [string, string][]) {
        if (optional.has(name) && !hasBranch(tree, name)) continue;
        const layout = branchLayout(file.path, tree, name);
        checkShape(file.path, tree.fName, layout, jagged);
        out[key] = new BranchReader(file, tree.fName, layout);
      }
      return out;
    };
    return {
      particles: make(this.#mapping.particles, true),
      jet: make(this.#mapping.jet, false),
      labels: make(this.#mapping.labels, false),
      resonance: make(this.#mapping.resonance, false),
      prongs: make(this.#mapping.prongs, true),
    };
  }
}

function checkShape(file: string, tree: string, layout: BranchLayout, jagged: boolean): void {
  if ((layout.kind !== 'scalar') === jagged) return;
  const want = jagged ? 'one array per entry' : 'one value per entry';
  throw new RootReadError(
    { file, tree, branch: layout.name },
    `expected ${want}, but the branch is ${layout.kind} (${layout.branch.fTitle})`,
  );
}

async function readGroups(
  readers: Record<string, Group>,
  start: number,
  stop: number,
): Promise<Columns> {
  // read all branches at once, then assemble in mapping order (error messages rely on it)
  const entries = Object.entries(readers).flatMap(([group, members]) =>
    Object.entries(members).map(([key, reader]) => ({ group, key, reader })),
  );
  const columns = await Promise.all(entries.map((e) => e.reader.read(start, stop)));
  const out: Columns = Object.fromEntries(Object.keys(readers).map((g) => [g, {}]));
  entries.forEach((e, n) => {
    out[e.group]![e.key] = columns[n]!;
  });
  return out;
}
