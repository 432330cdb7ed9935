import { checkOneOf } from '../checks.js';

/**
 * Perceptually uniform colormaps of matplotlib (van der Walt and Smith), as degree-6 polynomial
 * fits per channel (Matt Zucker's published fits to the matplotlib tables). They stay within
 * 6/255 of the tables (tested at both ends and the middle), too little to see, and need no
 * 256-entry tables here.
 */
export type ColormapName = 'viridis' | 'magma';
export const COLORMAPS: readonly ColormapName[] = ['viridis', 'magma'];

type Coefficients = readonly (readonly [number, number, number])[];

const VIRIDIS: Coefficients = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

const MAGMA: Coefficients = [
  [-0.002136485053939582, -0.000749655052795221, -0.005386127855323933],
  [0.2516605407371642, 0.6775232436837668, 2.494026599312351],
  [8.353717279216625, -3.577719514958484, 0.3144679030132573],
  [-27.66873308576866, 14.26473078096533, -13.64921318813922],
  [52.17613981234068, -27.94360607168351, 12.94416944238394],
  [-50.76852536473588, 29.04658282127291, 4.23415299384598],
  [18.65570506591883, -11.48977351997711, -5.601961508734096],
];

const TABLES: Record<ColormapName, Coefficients> = { viridis: VIRIDIS, magma: MAGMA };

/** The colour at `t` (clamped to [0, 1]) as 8-bit [r, g, b]. */
export function colormap(name: ColormapName, t: number): [number, number, number] {
  checkOneOf('colormap', name, COLORMAPS);
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  const coefficients = TABLES[name];
  const rgb: [number, number, number] = [0, 0, 0];
  for (let channel = 0; channel < 3; channel++) {
    // Horner's scheme from the highest power down.
    let value = 0;
    for (let power = coefficients.length - 1; power >= 0; power--) {
      value = value * x + coefficients[power]![channel]!;
    }
    rgb[channel] = Math.round(255 * Math.min(1, Math.max(0, value)));
  }
  return rgb;
}

/** 256 colours of a colormap, [r, g, b] per entry, for fast lookup per pixel. */
export function colormapTable(name: ColormapName): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.set(colormap(name, i / 255), 3 * i);
  return table;
}
