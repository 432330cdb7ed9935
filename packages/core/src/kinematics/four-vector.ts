/** A four-momentum in GeV. */
export interface FourVector {
  px: number;
  py: number;
  pz: number;
  energy: number;
}

export function fourVector(px: number, py: number, pz: number, energy: number): FourVector {
  return { px, py, pz, energy };
}

/** The four-vector of a particle of mass `mass` at (pt, eta, phi). */
export function fromPtEtaPhiMass(pt: number, eta: number, phi: number, mass: number): FourVector {
  const px = pt * Math.cos(phi);
  const py = pt * Math.sin(phi);
  const pz = pt * Math.sinh(eta);
  return { px, py, pz, energy: Math.sqrt(px * px + py * py + pz * pz + mass * mass) };
}

export function add(a: FourVector, b: FourVector): FourVector {
  return { px: a.px + b.px, py: a.py + b.py, pz: a.pz + b.pz, energy: a.energy + b.energy };
}

export function pt(v: FourVector): number {
  return Math.hypot(v.px, v.py);
}

/** Pseudorapidity; +-Infinity along the beam. */
export function eta(v: FourVector): number {
  const t = Math.hypot(v.px, v.py);
  return t === 0 ? Math.sign(v.pz) * Number.POSITIVE_INFINITY : Math.asinh(v.pz / t);
}

/** Rapidity y = 0.5 ln((E + pz) / (E - pz)), the coordinate FastJet clusters in. */
export function rapidity(v: FourVector): number {
  return 0.5 * Math.log((v.energy + v.pz) / (v.energy - v.pz));
}

/** Azimuth in (-pi, pi], as atan2 gives it (the range of JetClass' jet_phi). */
export function phi(v: FourVector): number {
  return v.px === 0 && v.py === 0 ? 0 : Math.atan2(v.py, v.px);
}

/** Invariant mass; a small negative m^2 from rounding gives 0. */
export function mass(v: FourVector): number {
  const m2 = v.energy * v.energy - v.px * v.px - v.py * v.py - v.pz * v.pz;
  return m2 > 0 ? Math.sqrt(m2) : 0;
}

/** The sum of particles given as parallel arrays. */
export function sumFourVectors(
  px: ArrayLike<number>,
  py: ArrayLike<number>,
  pz: ArrayLike<number>,
  energy: ArrayLike<number>,
): FourVector {
  let x = 0;
  let y = 0;
  let z = 0;
  let e = 0;
  for (let i = 0; i < px.length; i++) {
    x += px[i]!;
    y += py[i]!;
    z += pz[i]!;
    e += energy[i]!;
  }
  return { px: x, py: y, pz: z, energy: e };
}
