import { deltaEtaJetClass, wrapPhi } from '../kinematics/angles.js';
import type { BranchMapping } from './branch-mapping.js';
import type { Column } from './branch-reader.js';
import { RootReadError } from './errors.js';
import type { Constituents, Jet, JetFeatures, Resonance, TruthProng } from './jet.js';
import type { ReadJetsOptions, ReadReport } from './jet-reader.js';
import { processOfFileName } from './jetclass-schema.js';
import type { RootFile } from './root-file.js';

/*
 * Turning the columns of one chunk of entries into jets, with every check on the values: equal
 * particle-array lengths, finite values, non-empty jets, one-hot labels that agree with a
 * JetClass file name. Problems a user may choose to drop are counted in the read report.
 */

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

/** The columns of one chunk: group (particles, jet, labels, ...) -> mapping key -> column. */
export type Columns = Record<string, Record<string, Column>>;

function asFloat32(values: ArrayLike<number>): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** Turns the columns of one chunk into jets, checking them on the way. */
export class ChunkBuilder {
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
    // flags stay as stored (int32 0/1 in JetClass): views, no copy
    const flag = (key: string) => {
      const values = p[key]?.values;
      if (!values) return null;
      return values instanceof Int32Array ? values : Int32Array.from(values);
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
      flags: flags.every((f) => f) ? (flags as Int32Array[]) : null,
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

      // one tight pass over the column (x - x is NaN exactly for NaN and +-Infinity); the
      // per-jet search below only runs for a column that has such a value
      let clean = true;
      for (let j = 0; j < values.length; j++) {
        if (values[j]! - values[j]! !== 0) {
          clean = false;
          break;
        }
      }
      if (clean) continue;

      for (let i = 0; i < count; i++) {
        for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
          const v = values[j]!;
          if (Number.isFinite(v)) continue;
          const index = j - offsets[i]!;
          if (!this.#options.dropInvalidConstituents) {
            this.#fail(
              { group: 'particles', key },
              first + i,
              `constituent ${index} is ${v} ` +
                '(pass dropInvalidConstituents to drop such constituents)',
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
  flags: Int32Array[] | null;
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
  const keep = (a: Float32Array | Int32Array) => a.filter((_, j) => !drop.has(j));
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
