/**
 * Structural input types of the xai package. They are deliberately small, so that the objects
 * of `@jetlens/core` (the ViT runtime's attentions, the jet-image transform, the subjet finder's
 * prongs) fit them without adapters.
 *
 * Conventions (shared with core):
 * - Images are float32, row-major `[channel][row][col]`. Rows follow Δφ with the top row at
 *   +Δφ; columns follow Δη with the left column at -Δη.
 * - Continuous pixel coordinates: pixel row `r` spans `[r, r + 1)`, so its centre is at
 *   `r + 0.5`; the same holds for columns. `Math.floor` of a coordinate gives the pixel index.
 * - Attention is `[layer][head][query][key]`; token 0 is CLS, tokens `1..rows*cols` are the
 *   patches in row-major order.
 */

/**
 * Attention probabilities of one sample or of a batch.
 *
 * `data` is either one array laid out `[sample][layer][head][query][key]`, or one array per
 * layer, each laid out `[sample][head][query][key]` (what an ONNX graph with one attention
 * output per layer returns).
 */
export interface AttentionTensor {
  readonly data: Float32Array | readonly Float32Array[];
  readonly layers: number;
  readonly heads: number;
  /** Tokens per sample: 1 (CLS) + patches. */
  readonly tokens: number;
  /** Samples in the batch; 1 when omitted. */
  readonly samples?: number;
}

/** The grid of patches that covers the model input image, rows top to bottom. */
export interface PatchGrid {
  readonly rows: number;
  readonly cols: number;
}

/** Size of the jet-image grid in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Maps (Δη, Δφ) to continuous pixel coordinates of the jet image and back. Core's image
 * transform is the one implementation; tests use a linear one.
 */
export interface ImageGridTransform extends ImageSize {
  toPixel(deta: number, dphi: number): { row: number; col: number };
  toDetaDphi(row: number, col: number): { deta: number; dphi: number };
}

/** A prong (subjet or truth parton) centroid in the jet frame; `pt` in GeV. */
export interface Prong {
  readonly deta: number;
  readonly dphi: number;
  readonly pt: number;
}

/** A map on a grid, row-major `[row][col]`. */
export interface GridMap {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}
