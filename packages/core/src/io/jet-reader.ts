import { deltaEtaJetClass, wrapPhi } from '../kinematics/angles.js';
import { type BranchLayout, branchLayout, hasBranch } from './branch-layout.js';
import { type BranchMapping, checkMapping } from './branch-mapping.js';
import { BranchReader, type Column } from './branch-reader.js';
import { RootReadError } from './errors.js';
import type { Constituents, Jet, JetFeatures, Resonance, TruthProng } from './jet.js';
import { JETCLASS_MAPPING, processOfFileName } from './jetclass-schema.js';
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

const LISTED_ENTRIES = 20;
const PARTICLE_FLOATS = ['px', 'py', 'pz', 'energy', 'pt', 'eta', 'phi', 'mass', 'deta', 'dphi'];
const PARTICLE_EXTRAS = ['charge', 'd0', 'd0err', 'dz', 'dzerr'];
const FLAGS = ['isChargedHadron', 'isNeutralHadron', 'isPhoton', 'isElectron', 'isMuon'] as const;
const JET_KEYS = [
  'pt',
  'eta',
  'phi',
  'energy',
  'sdmass',
  'tau1',
  'tau2',
  'tau3',
  'tau4',
  'nparticles',
] as const;

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

type Columns = Record<string, Record<string, Column>>;

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

function asFloat32(values: ArrayLike<number>): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** Turns the columns of one chunk into jets, checking them on the way. */
class ChunkBuilder {
  readonly #file: RootFile;
  readonly #tree: string;
  readonly #mapping: BranchMapping;
  readonly #options: ReadJetsOptions;
  readonly #report: ReadReport;
  readonly #expectedLabel: string | null;

  constructor(
    file: RootFile,
    tree: string,
    mapping: BranchMapping,
    options: ReadJetsOptions,
    report: ReadReport,
  ) {
    this.#file = file;
    this.#tree = tree;
    this.#mapping = mapping;
    this.#options = options;
    this.#report = report;
    const process = processOfFileName(file.name);
    this.#expectedLabel = process && mapping.labels?.[process.label] ? process.label : null;
  }

  #fail(key: { group: string; key: string } | string, entry: number, problem: string): never {
    const branch =
      typeof key === 'string' ? key : (this.#branchName(key.group, key.key) ?? key.key);
    throw new RootReadError({ file: this.#file.path, tree: this.#tree, branch, entry }, problem);
  }

  #branchName(group: string, key: string): string | undefined {
    const g = (this.#mapping as unknown as Record<string, Record<string, string> | undefined>)[
      group
    ];
    return g?.[key];
  }

  build(columns: Columns, first: number, count: number): Jet[] {
    const particles = columns.particles!;
    const offsets = this.#checkLengths(particles, first, count);
    const kin = this.#kinematics(columns, offsets, count);
    const invalid = this.#invalidConstituents(particles, offsets, first, count);
    const labels = this.#labels(columns.labels!, first, count);

    const jets: Jet[] = [];
    for (let i = 0; i < count; i++) {
      const entry = first + i;
      let lo = offsets[i]!;
      let hi = offsets[i + 1]!;
      let constituents = viewConstituents(kin, lo, hi);
      const bad = invalid.get(i);
      if (bad) {
        constituents = dropConstituents(constituents, bad);
        this.#report.invalidConstituents.count += bad.size;
        this.#report.invalidConstituents.jets += 1;
        const listed = this.#report.invalidConstituents.entries;
        if (listed.length < LISTED_ENTRIES) listed.push(entry);
        lo = 0;
        hi = constituents.pt.length;
      }
      if (hi === lo) {
        if (!this.#options.dropEmptyJets) {
          const name = Object.keys(particles)[0]!;
          this.#fail(
            { group: 'particles', key: name },
            entry,
            'the jet has no constituents (pass dropEmptyJets to skip such jets)',
          );
        }
        this.#report.emptyJets.count += 1;
        const listed = this.#report.emptyJets.entries;
        if (listed.length < LISTED_ENTRIES) listed.push(entry);
        continue;
      }
      jets.push({
        origin: { file: this.#file.path, entry },
        label: labels[i] ?? null,
        features: this.#features(columns.jet!, kin, i, entry, constituents.pt.length),
        constituents,
        resonance: resonanceOf(columns.resonance!, i),
        prongs: prongsOf(columns.prongs!, kin, i),
      });
    }
    return jets;
  }

  /** All particle arrays of an entry must have the same length. */
  #checkLengths(particles: Record<string, Column>, first: number, count: number): Int32Array {
    const [refKey, ref] = Object.entries(particles)[0]!;
    const o = ref.offsets!;
    for (const [key, column] of Object.entries(particles)) {
      const c = column.offsets!;
      for (let i = 0; i < count; i++) {
        const n = c[i + 1]! - c[i]!;
        const m = o[i + 1]! - o[i]!;
        if (n !== m) {
          const refName = this.#branchName('particles', refKey);
          this.#fail(
            { group: 'particles', key },
            first + i,
            `has ${n} values but '${refName}' has ${m} (particle arrays must have equal lengths)`,
          );
        }
      }
    }
    return o;
  }

  #kinematics(columns: Columns, offsets: Int32Array, count: number): Kinematics {
    const p = columns.particles!;
    const total = offsets[count]!;
    let px: Float32Array;
    let py: Float32Array;
    let pz: Float32Array;
    let energy: Float32Array;
    let pt: Float32Array;
    if (p.px && p.py && p.pz && p.energy) {
      px = asFloat32(p.px.values);
      py = asFloat32(p.py.values);
      pz = asFloat32(p.pz.values);
      energy = asFloat32(p.energy.values);
      pt = new Float32Array(total);
      for (let j = 0; j < total; j++) pt[j] = Math.sqrt(px[j]! * px[j]! + py[j]! * py[j]!);
    } else {
      pt = asFloat32(p.pt!.values);
      const eta = p.eta!.values;
      const phi = p.phi!.values;
      px = new Float32Array(total);
      py = new Float32Array(total);
      pz = new Float32Array(total);
      energy = p.energy ? asFloat32(p.energy.values) : new Float32Array(total);
      for (let j = 0; j < total; j++) {
        px[j] = pt[j]! * Math.cos(phi[j]!);
        py[j] = pt[j]! * Math.sin(phi[j]!);
        pz[j] = pt[j]! * Math.sinh(eta[j]!);
        if (!p.energy) {
          const m = p.mass!.values[j]!;
          energy[j] = Math.sqrt(px[j]! ** 2 + py[j]! ** 2 + pz[j]! ** 2 + m * m);
        }
      }
    }

    // the jet axis: the file's jet eta/phi, else the summed four-vector of the particles
    const axisEta = new Float64Array(count);
    const axisPhi = new Float64Array(count);
    const sums = new Float64Array(4 * count);
    const jet = columns.jet!;
    for (let i = 0; i < count; i++) {
      let x = 0;
      let y = 0;
      let z = 0;
      let e = 0;
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
        x += px[j]!;
        y += py[j]!;
        z += pz[j]!;
        e += energy[j]!;
      }
      sums.set([x, y, z, e], 4 * i);
      const t = Math.hypot(x, y);
      axisEta[i] = jet.eta ? jet.eta.values[i]! : t > 0 ? Math.asinh(z / t) : 0;
      axisPhi[i] = jet.phi ? jet.phi.values[i]! : Math.atan2(y, x);
    }

    let deta: Float32Array;
    let dphi: Float32Array;
    if (p.deta && p.dphi) {
      deta = asFloat32(p.deta.values);
      dphi = asFloat32(p.dphi.values);
    } else {
      deta = new Float32Array(total);
      dphi = new Float32Array(total);
      for (let i = 0; i < count; i++) {
        for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
          const eta = p.eta ? p.eta.values[j]! : Math.asinh(pz[j]! / pt[j]!);
          const phi = p.phi ? p.phi.values[j]! : Math.atan2(py[j]!, px[j]!);
          deta[j] = deltaEtaJetClass(eta, axisEta[i]!);
          dphi[j] = wrapPhi(phi - axisPhi[i]!);
        }
      }
    }

    const extra = (key: string) => (p[key] ? asFloat32(p[key].values) : null);
    const flag = (key: string) => {
      const values = p[key]?.values;
      if (!values) return null;
      const out = new Uint8Array(values.length);
      for (let j = 0; j < values.length; j++) out[j] = values[j] ? 1 : 0;
      return out;
    };
    const flags = FLAGS.map(flag);
    const displacement = ['d0', 'd0err', 'dz', 'dzerr'].map(extra);
    return {
      offsets,
      pt,
      deta,
      dphi,
      px,
      py,
      pz,
      energy,
      charge: extra('charge'),
      flags: flags.every((f) => f) ? (flags as Uint8Array[]) : null,
      displacement: displacement.every((d) => d) ? (displacement as Float32Array[]) : null,
      axisEta,
      axisPhi,
      sums,
    };
  }

  /** Constituent index sets with a NaN or infinite value, per jet of the chunk. */
  #invalidConstituents(
    particles: Record<string, Column>,
    offsets: Int32Array,
    first: number,
    count: number,
  ): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const key of [...PARTICLE_FLOATS, ...PARTICLE_EXTRAS]) {
      const values = particles[key]?.values;
      if (!values) continue;
      for (let i = 0; i < count; i++) {
        for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
          const v = values[j]!;
          if (Number.isFinite(v)) continue;
          const index = j - offsets[i]!;
          if (!this.#options.dropInvalidConstituents) {
            this.#fail(
              { group: 'particles', key },
              first + i,
              `constituent ${index} is ${v} (pass dropInvalidConstituents to drop such constituents)`,
            );
          }
          const set = out.get(i) ?? new Set<number>();
          set.add(index);
          out.set(i, set);
        }
      }
    }
    return out;
  }

  /** The class of each entry from one-hot label branches, checked against the file name. */
  #labels(labels: Record<string, Column>, first: number, count: number): (string | null)[] {
    const names = Object.keys(labels);
    if (names.length === 0) return [];
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const set = names.filter((n) => labels[n]!.values[i] !== 0);
      if (set.length !== 1) {
        const shown = names
          .filter((n) => set.includes(n) || set.length === 0)
          .map((n) => `${this.#branchName('labels', n)}=${labels[n]!.values[i]}`)
          .join(', ');
        this.#fail(
          { group: 'labels', key: set[1] ?? names[0]! },
          first + i,
          `labels are not one-hot: ${set.length} of ${names.length} label branches are set ` +
            `(${shown}); exactly one must be non-zero`,
        );
      }
      const label = set[0]!;
      if (this.#expectedLabel && label !== this.#expectedLabel) {
        this.#fail(
          { group: 'labels', key: this.#expectedLabel },
          first + i,
          `the jet is labelled ${label} (${this.#branchName('labels', label)}), but the file ` +
            `name ${this.#file.name} says ${this.#expectedLabel}`,
        );
      }
      out.push(label);
    }
    return out;
  }

  #features(
    jet: Record<string, Column>,
    kin: Kinematics,
    i: number,
    entry: number,
    n: number,
  ): JetFeatures {
    const value = (key: (typeof JET_KEYS)[number]) =>
      jet[key] ? Number(jet[key].values[i]) : Number.NaN;
    const features: JetFeatures = {
      pt: value('pt'),
      eta: value('eta'),
      phi: value('phi'),
      energy: value('energy'),
      sdmass: value('sdmass'),
      tau1: value('tau1'),
      tau2: value('tau2'),
      tau3: value('tau3'),
      tau4: value('tau4'),
      nparticles: value('nparticles'),
    };

    // without jet branches, the jet is the sum of its particles
    const s = kin.sums;
    if (!jet.pt) features.pt = Math.hypot(s[4 * i]!, s[4 * i + 1]!);
    if (!jet.eta) features.eta = kin.axisEta[i]!;
    if (!jet.phi) features.phi = kin.axisPhi[i]!;
    if (!jet.energy) features.energy = s[4 * i + 3]!;
    if (!jet.nparticles) features.nparticles = n;

    for (const key of ['pt', 'eta', 'phi', 'energy'] as const) {
      if (!Number.isFinite(features[key])) {
        this.#fail({ group: 'jet', key }, entry, `jet ${key} is ${features[key]}`);
      }
    }
    return features;
  }
}

interface Kinematics {
  offsets: Int32Array;
  pt: Float32Array;
  deta: Float32Array;
  dphi: Float32Array;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  energy: Float32Array;
  charge: Float32Array | null;
  flags: Uint8Array[] | null;
  displacement: Float32Array[] | null;
  axisEta: Float64Array;
  axisPhi: Float64Array;
  sums: Float64Array;
}

function viewConstituents(k: Kinematics, lo: number, hi: number): Constituents {
  const f = k.flags;
  const d = k.displacement;
  return {
    pt: k.pt.subarray(lo, hi),
    deta: k.deta.subarray(lo, hi),
    dphi: k.dphi.subarray(lo, hi),
    px: k.px.subarray(lo, hi),
    py: k.py.subarray(lo, hi),
    pz: k.pz.subarray(lo, hi),
    energy: k.energy.subarray(lo, hi),
    charge: k.charge ? k.charge.subarray(lo, hi) : null,
    pid: f
      ? {
          chargedHadron: f[0]!.subarray(lo, hi),
          neutralHadron: f[1]!.subarray(lo, hi),
          photon: f[2]!.subarray(lo, hi),
          electron: f[3]!.subarray(lo, hi),
          muon: f[4]!.subarray(lo, hi),
        }
      : null,
    displacement: d
      ? {
          d0: d[0]!.subarray(lo, hi),
          d0err: d[1]!.subarray(lo, hi),
          dz: d[2]!.subarray(lo, hi),
          dzerr: d[3]!.subarray(lo, hi),
        }
      : null,
  };
}

/** A copy of the constituents without the indices in `drop`. */
function dropConstituents(c: Constituents, drop: Set<number>): Constituents {
  const keep = (a: Float32Array | Uint8Array) => a.filter((_, j) => !drop.has(j));
  const map = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, keep(v)])) as T;
  return {
    pt: keep(c.pt) as Float32Array,
    deta: keep(c.deta) as Float32Array,
    dphi: keep(c.dphi) as Float32Array,
    px: keep(c.px) as Float32Array,
    py: keep(c.py) as Float32Array,
    pz: keep(c.pz) as Float32Array,
    energy: keep(c.energy) as Float32Array,
    charge: c.charge ? (keep(c.charge) as Float32Array) : null,
    pid: c.pid ? map(c.pid) : null,
    displacement: c.displacement ? map(c.displacement) : null,
  };
}

function resonanceOf(columns: Record<string, Column>, i: number): Resonance | null {
  if (!columns.pt || !columns.eta || !columns.phi || !columns.pid) return null;
  return {
    pt: columns.pt.values[i]!,
    eta: columns.eta.values[i]!,
    phi: columns.phi.values[i]!,
    pid: columns.pid.values[i]!,
    truthMatch: columns.truthMatch ? columns.truthMatch.values[i]! : Number.NaN,
  };
}

function prongsOf(
  columns: Record<string, Column>,
  kin: Kinematics,
  i: number,
): TruthProng[] | null {
  if (!columns.pt || !columns.eta || !columns.phi) return null;
  const o = columns.pt.offsets!;
  const out: TruthProng[] = [];
  for (let j = o[i]!; j < o[i + 1]!; j++) {
    const eta = columns.eta.values[j]!;
    const phi = columns.phi.values[j]!;
    out.push({
      pt: columns.pt.values[j]!,
      eta,
      phi,
      deta: columns.deta ? columns.deta.values[j]! : deltaEtaJetClass(eta, kin.axisEta[i]!),
      dphi: columns.dphi ? columns.dphi.values[j]! : wrapPhi(phi - kin.axisPhi[i]!),
      pid: columns.pid ? columns.pid.values[j]! : 0,
    });
  }
  return out;
}
