import { checkFinite, checkObject, checkPositiveInteger, describe } from './checks.js';
import type { Prong } from './types.js';

/** Wraps an azimuthal difference to [-π, π). */
export function wrapDphi(dphi: number): number {
  const turn = 2 * Math.PI;
  return dphi - turn * Math.floor((dphi + Math.PI) / turn);
}

/** Distance in the (Δη, Δφ) plane, with the Δφ difference wrapped. */
export function detaDphiDistance(a: { deta: number; dphi: number }, b: Prong): number {
  const deta = a.deta - b.deta;
  const dphi = wrapDphi(a.dphi - b.dphi);
  return Math.sqrt(deta * deta + dphi * dphi);
}

/**
 * Checks the prongs and keeps the `maxProngs` hardest ones (highest pT first; ties keep their
 * order), which is how a subjet finder that returns more subjets than ROIs is read.
 */
export function selectProngs(prongs: readonly Prong[], maxProngs: number): Prong[] {
  if (!Array.isArray(prongs as unknown)) {
    throw new TypeError(`prongs: expected an array of prongs, got ${describe(prongs)}`);
  }
  checkPositiveInteger('maxProngs', maxProngs);
  prongs.forEach((prong, i) => {
    checkObject(`prongs[${i}]`, prong);
    checkFinite(`prongs[${i}].deta`, prong.deta);
    checkFinite(`prongs[${i}].dphi`, prong.dphi);
    checkFinite(`prongs[${i}].pt`, prong.pt);
    if (prong.pt < 0) throw new RangeError(`prongs[${i}].pt: expected pT >= 0, got ${prong.pt}`);
  });
  return prongs
    .map((prong, index) => ({ prong, index }))
    .sort((a, b) => b.prong.pt - a.prong.pt || a.index - b.index)
    .slice(0, maxProngs)
    .map(({ prong }) => prong);
}
