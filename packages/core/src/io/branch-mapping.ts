/**
 * Which branches hold a jet's particles. Momenta come from (px, py, pz, energy) or from
 * (pt, eta, phi) with an energy or a mass; the (deta, dphi) plane from `deta`/`dphi` when the
 * file has them, otherwise from the jet axis (`jet.eta`/`jet.phi` if mapped, else the summed
 * four-vector of the particles) with the JetClass sign convention.
 */
export interface ParticleBranches {
  px?: string;
  py?: string;
  pz?: string;
  energy?: string;
  pt?: string;
  eta?: string;
  phi?: string;
  mass?: string;
  deta?: string;
  dphi?: string;
  charge?: string;
  isChargedHadron?: string;
  isNeutralHadron?: string;
  isPhoton?: string;
  isElectron?: string;
  isMuon?: string;
  d0?: string;
  d0err?: string;
  dz?: string;
  dzerr?: string;
}

/** Scalar jet-level branches. */
export interface JetBranches {
  pt?: string;
  eta?: string;
  phi?: string;
  energy?: string;
  sdmass?: string;
  tau1?: string;
  tau2?: string;
  tau3?: string;
  tau4?: string;
  nparticles?: string;
}

/** The generator-level resonance matched to the jet (JetClass `aux_genpart_*`). */
export interface ResonanceBranches {
  pt: string;
  eta: string;
  phi: string;
  pid: string;
  truthMatch?: string;
}

/**
 * Truth partons of the jet's prongs as jagged branches (for example the decay quarks of the
 * resonance), when a generator writes them.
 */
export interface ProngBranches {
  pt: string;
  eta: string;
  phi: string;
  pid?: string;
  /** The prongs' place relative to the jet axis, when the generator wrote it. */
  deta?: string;
  dphi?: string;
}

export interface BranchMapping {
  tree: string;
  particles: ParticleBranches;
  jet?: JetBranches;
  /** Class name -> one-hot branch. Exactly one must be non-zero per entry. */
  labels?: Record<string, string>;
  resonance?: ResonanceBranches;
  prongs?: ProngBranches;
  /** Branch names that may be missing from a file; all others are required. */
  optional?: string[];
}

const PARTICLE_KEYS = new Set<string>([
  'px',
  'py',
  'pz',
  'energy',
  'pt',
  'eta',
  'phi',
  'mass',
  'deta',
  'dphi',
  'charge',
  'isChargedHadron',
  'isNeutralHadron',
  'isPhoton',
  'isElectron',
  'isMuon',
  'd0',
  'd0err',
  'dz',
  'dzerr',
]);

function checkNames(where: string, group: object | undefined, keys?: Set<string>): void {
  if (group === undefined) return;
  if (typeof group !== 'object' || group === null) {
    throw new TypeError(`mapping.${where} must be an object of branch names, got ${typeof group}`);
  }
  for (const [key, value] of Object.entries(group)) {
    if (keys && !keys.has(key)) {
      throw new RangeError(`mapping.${where}.${key} is not a known field (known: ${[...keys]})`);
    }
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`mapping.${where}.${key} must be a branch name, got ${String(value)}`);
    }
  }
}

/** Checks a user's mapping before any file is opened. */
export function checkMapping(mapping: BranchMapping): void {
  if (typeof mapping !== 'object' || mapping === null) {
    throw new TypeError(
      `mapping must be an object, got ${mapping === null ? 'null' : typeof mapping}`,
    );
  }
  if (typeof mapping.tree !== 'string' || mapping.tree === '') {
    throw new TypeError(`mapping.tree must be a tree name, got ${String(mapping.tree)}`);
  }
  checkNames('particles', mapping.particles, PARTICLE_KEYS);
  checkNames('jet', mapping.jet);
  checkNames('labels', mapping.labels);
  checkNames('resonance', mapping.resonance);
  checkNames('prongs', mapping.prongs);

  const p = mapping.particles ?? {};
  const cartesian = p.px && p.py && p.pz && p.energy;
  const polar = p.pt && p.eta && p.phi && (p.energy || p.mass);
  if (!cartesian && !polar) {
    throw new RangeError(
      'mapping.particles needs px, py, pz and energy, or pt, eta, phi and energy or mass',
    );
  }
  if (Boolean(p.deta) !== Boolean(p.dphi)) {
    throw new RangeError('mapping.particles needs both deta and dphi, or neither');
  }
}
