/** Per-constituent arrays of one jet, all the same length, sorted as in the file. */
export interface Constituents {
  /** Transverse momentum, GeV. */
  pt: Float32Array;
  /** (eta - jet eta) with the JetClass sign convention (flipped for jets at negative eta). */
  deta: Float32Array;
  /** (phi - jet phi) wrapped to [-pi, pi). */
  dphi: Float32Array;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  energy: Float32Array;
  /** Electric charge, when the file has it. */
  charge: Float32Array | null;
  /** Particle-identification flags as stored (0 or 1 in JetClass), when the file has them. */
  pid: ParticleFlags | null;
  /** Transverse and longitudinal impact parameters (mm) and their errors, when present. */
  displacement: TrackDisplacement | null;
}

export interface ParticleFlags {
  chargedHadron: Int32Array;
  neutralHadron: Int32Array;
  photon: Int32Array;
  electron: Int32Array;
  muon: Int32Array;
}

export interface TrackDisplacement {
  d0: Float32Array;
  d0err: Float32Array;
  dz: Float32Array;
  dzerr: Float32Array;
}

/** Jet-level values; NaN where the file has no such branch. */
export interface JetFeatures {
  pt: number;
  eta: number;
  phi: number;
  energy: number;
  sdmass: number;
  tau1: number;
  tau2: number;
  tau3: number;
  tau4: number;
  nparticles: number;
}

/** The generator-level resonance (t, H, W, Z) matched to the jet; all zero for QCD. */
export interface Resonance {
  pt: number;
  eta: number;
  phi: number;
  pid: number;
  truthMatch: number;
}

/** A truth parton of one prong, with its (deta, dphi) relative to the jet axis. */
export interface TruthProng {
  pt: number;
  eta: number;
  phi: number;
  deta: number;
  dphi: number;
  pid: number;
}

export interface Jet {
  /** Where the jet was read: the file's path and the entry in its tree. */
  origin: { file: string; entry: number };
  /** The class name from the one-hot label branches, or null if the mapping has none. */
  label: string | null;
  features: JetFeatures;
  constituents: Constituents;
  resonance: Resonance | null;
  /** Truth prongs when the file has prong branches, else null. */
  prongs: TruthProng[] | null;
}
