import type { JetConstituents } from '../jets/subjets.js';
import { findProngs } from '../jets/subjets.js';
import type { ImageConfig } from './config.js';
import { applyFrame, IDENTITY_FRAME, type JetFrame } from './transform.js';

/** The constituents an image needs; `charge` only for the charged/neutral channels. */
export interface ImageConstituents extends JetConstituents {
  energy: ArrayLike<number>;
  charge: ArrayLike<number> | null;
}

// the rotation turns the chosen direction to point straight down, towards -dphi
const TARGET = -Math.PI / 2;

function weightsOf(c: ImageConstituents, config: ImageConfig): ArrayLike<number> {
  return config.weight === 'energy' ? c.energy : c.pt;
}

function centroid(c: ImageConstituents, w: ArrayLike<number>): { deta: number; dphi: number } {
  let sw = 0;
  let x = 0;
  let y = 0;
  for (let j = 0; j < w.length; j++) {
    sw += w[j]!;
    x += w[j]! * c.deta[j]!;
    y += w[j]! * c.dphi[j]!;
  }
  return sw > 0 ? { deta: x / sw, dphi: y / sw } : { deta: 0, dphi: 0 };
}

/** EnergyFlow's centring: the centroid moved to the nearest multiple of the pixel size. */
function snap(value: number, pixel: number): number {
  return pixel * Math.ceil(value / pixel - 0.5);
}

/**
 * The frame that puts one jet into its image: centre, rotation and flips as configured. The
 * subjets for `leading-subjet` and `second-subjet` are the two exclusive kT subjets.
 */
export function jetFrame(c: ImageConstituents, config: ImageConfig): JetFrame {
  if (config.centre === 'none' && config.rotate === 'none' && config.flip === 'none') {
    return { ...IDENTITY_FRAME, centre: { ...IDENTITY_FRAME.centre } };
  }
  const w = weightsOf(c, config);
  const prongs =
    (config.centre === 'leading-subjet' || config.rotate === 'second-subjet') && c.pt.length >= 2
      ? findProngs(c, { count: 2, algorithm: 'kt' })
      : null;

  // centre
  let centre = { deta: 0, dphi: 0 };
  if (config.centre === 'pt-centroid') centre = centroid(c, w);
  if (config.centre === 'leading-subjet') centre = prongs ? prongs[0]!.centroid : centroid(c, w);
  if (config.snapCentre) {
    const pw = (config.detaRange[1] - config.detaRange[0]) / config.width;
    const ph = (config.dphiRange[1] - config.dphiRange[0]) / config.height;
    centre = { deta: snap(centre.deta, pw), dphi: snap(centre.dphi, ph) };
  }

  // rotation
  let rotation = 0;
  if (config.rotate === 'principal-axis') {
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let j = 0; j < w.length; j++) {
      const u = c.deta[j]! - centre.deta;
      const v = c.dphi[j]! - centre.dphi;
      sxx += w[j]! * u * u;
      syy += w[j]! * v * v;
      sxy += w[j]! * u * v;
    }
    if (sxx + syy > 0) rotation = TARGET - 0.5 * Math.atan2(2 * sxy, sxx - syy);
  } else if (config.rotate === 'second-subjet' && prongs) {
    const s = prongs[1]!.centroid;
    const du = s.deta - centre.deta;
    const dv = s.dphi - centre.dphi;
    if (du !== 0 || dv !== 0) rotation = TARGET - Math.atan2(dv, du);
  }

  // flips: the half with more weight goes to positive deta (and positive dphi)
  const frame: JetFrame = { centre, rotation, flipDeta: false, flipDphi: false };
  if (config.flip !== 'none') {
    let sideDeta = 0;
    let sideDphi = 0;
    for (let j = 0; j < w.length; j++) {
      const p = applyFrame(frame, c.deta[j]!, c.dphi[j]!);
      sideDeta += w[j]! * Math.sign(p.deta);
      sideDphi += w[j]! * Math.sign(p.dphi);
    }
    frame.flipDeta = sideDeta < 0;
    frame.flipDphi = config.flip === 'deta-dphi' && sideDphi < 0;
  }
  return frame;
}
