declare const etaBrand: unique symbol;
declare const phiBrand: unique symbol;

/** A pseudorapidity (or a difference of two), so that it is never passed where a phi goes. */
export type Eta = number & { readonly [etaBrand]: true };
/** An azimuth in radians, or a difference of two, wrapped to [-pi, pi). */
export type Phi = number & { readonly [phiBrand]: true };

const TWO_PI = 2 * Math.PI;

/** Wraps an angle to [-pi, pi), the range of JetClass' part_dphi. The one wrap in JetLens. */
export function wrapPhi(angle: number): Phi {
  let a = angle;
  if (a < -Math.PI || a >= Math.PI) a -= TWO_PI * Math.floor((a + Math.PI) / TWO_PI);
  // rounding can land exactly on +pi
  return (a >= Math.PI ? a - TWO_PI : a) as Phi;
}

/** phi1 - phi2 wrapped to [-pi, pi). */
export function deltaPhi(phi1: number, phi2: number): Phi {
  return wrapPhi(phi1 - phi2);
}

/** The JetClass part_deta: (eta - jetEta), with its sign flipped for jets at negative eta. */
export function deltaEtaJetClass(eta: number, jetEta: number): Eta {
  return ((eta - jetEta) * (jetEta > 0 ? 1 : -1)) as Eta;
}
