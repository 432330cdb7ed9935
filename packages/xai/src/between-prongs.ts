import { checkPatchGrid } from './attention-map.js';
import { viewAttention } from './attention-tensor.js';
import { checkPositiveInteger, checkRange } from './checks.js';
import { detaDphiDistance, selectProngs } from './prongs.js';
import { checkTransform } from './roi.js';
import type { AttentionTensor, ImageGridTransform, PatchGrid, Prong } from './types.js';

/** Patch belongs to no prong. */
export const BACKGROUND = -1;

/**
 * The prong of each patch (index into the selected prongs, or BACKGROUND): the nearest prong
 * whose disk holds the patch centre. The patch grid covers the whole jet image, so patch
 * `(r, c)` has its centre at jet-image pixel coordinates `((r + 0.5) * height / rows,
 * (c + 0.5) * width / cols)`, which the transform maps to (Δη, Δφ).
 */
export function assignPatchesToProngs(
  grid: PatchGrid,
  transform: ImageGridTransform,
  prongs: readonly Prong[],
  radius: number,
): Int8Array {
  checkTransform(transform);
  checkPositiveInteger('grid.rows', grid.rows);
  checkPositiveInteger('grid.cols', grid.cols);
  checkRange('radius', radius, 0, Number.MAX_VALUE);
  // The assignment is stored as Int8, which holds prong indices up to 127.
  if (prongs.length > 127) {
    throw new RangeError(`prongs: expected at most 127 prongs, got ${prongs.length}`);
  }

  const assignment = new Int8Array(grid.rows * grid.cols).fill(BACKGROUND);
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const centre = transform.toDetaDphi(
        ((r + 0.5) * transform.height) / grid.rows,
        ((c + 0.5) * transform.width) / grid.cols,
      );
      let best = Number.POSITIVE_INFINITY;
      prongs.forEach((prong, k) => {
        const distance = detaDphiDistance(centre, prong);
        if (distance <= radius && distance < best) {
          best = distance;
          assignment[r * grid.cols + c] = k;
        }
      });
    }
  }
  return assignment;
}

/** Where the attention of patches inside prongs goes; the four shares sum to 1. */
export interface AttentionFlow {
  /** To patches of the same prong. */
  readonly sameProng: number;
  /** To patches of another prong. */
  readonly otherProng: number;
  /** To patches outside every prong. */
  readonly background: number;
  /** To the CLS token. */
  readonly cls: number;
}

export interface BetweenProngs {
  /** Prong of each patch, BACKGROUND (-1) for none. */
  readonly assignment: Int8Array;
  /** The prongs the assignment indexes, hardest first. */
  readonly prongs: Prong[];
  /** Patches inside some prong: the queries the flows average over. */
  readonly queryPatches: number;
  /** `[layer][head]`, every layer and head of the model; null when no patch is in a prong. */
  readonly perHead: AttentionFlow[][] | null;
  /** Mean over heads, per layer. */
  readonly perLayer: AttentionFlow[] | null;
  /** Mean over layers and heads. */
  readonly overall: AttentionFlow | null;
}

function meanFlow(flows: readonly AttentionFlow[]): AttentionFlow {
  const sum = { sameProng: 0, otherProng: 0, background: 0, cls: 0 };
  for (const flow of flows) {
    sum.sameProng += flow.sameProng;
    sum.otherProng += flow.otherProng;
    sum.background += flow.background;
    sum.cls += flow.cls;
  }
  const n = flows.length;
  return {
    sameProng: sum.sameProng / n,
    otherProng: sum.otherProng / n,
    background: sum.background / n,
    cls: sum.cls / n,
  };
}

/**
 * Patch-to-patch attention of each layer and head, sorted by where queries inside prongs send
 * it. Kept per head because attention heads can be nearly binary and specialised, which the
 * mean over heads hides. The raw attention is used: no fusion, no residual.
 */
export function betweenProngs(
  attention: AttentionTensor,
  grid: PatchGrid,
  transform: ImageGridTransform,
  prongs: readonly Prong[],
  options: { radius: number; maxProngs: number },
  sample = 0,
): BetweenProngs {
  const view = viewAttention(attention);
  checkPatchGrid(grid, view.tokens);
  if (!Number.isInteger(sample) || sample < 0 || sample >= view.samples) {
    throw new RangeError(`sample: expected an index in [0, ${view.samples - 1}], got ${sample}`);
  }
  const selected = selectProngs(prongs, options.maxProngs);
  const assignment = assignPatchesToProngs(grid, transform, selected, options.radius);
  const queries: number[] = [];
  assignment.forEach((prong, patch) => {
    if (prong !== BACKGROUND) queries.push(patch);
  });
  if (queries.length === 0) {
    return {
      assignment,
      prongs: selected,
      queryPatches: 0,
      perHead: null,
      perLayer: null,
      overall: null,
    };
  }

  const { tokens } = view;
  const perHead: AttentionFlow[][] = [];
  for (let layer = 0; layer < view.layers; layer++) {
    const heads: AttentionFlow[] = [];
    for (let head = 0; head < view.heads; head++) {
      const { array, offset } = view.matrix(sample, layer, head);
      let same = 0;
      let other = 0;
      let background = 0;
      let cls = 0;
      for (const patch of queries) {
        const own = assignment[patch]!;
        const start = offset + (patch + 1) * tokens;
        cls += array[start]!;
        for (let key = 1; key < tokens; key++) {
          const value = array[start + key]!;
          const prong = assignment[key - 1]!;
          if (prong === own) same += value;
          else if (prong === BACKGROUND) background += value;
          else other += value;
        }
      }
      const total = same + other + background + cls;
      heads.push(
        total > 0
          ? {
              sameProng: same / total,
              otherProng: other / total,
              background: background / total,
              cls: cls / total,
            }
          : { sameProng: 0, otherProng: 0, background: 0, cls: 0 },
      );
    }
    perHead.push(heads);
  }

  const perLayer = perHead.map(meanFlow);
  return {
    assignment,
    prongs: selected,
    queryPatches: queries.length,
    perHead,
    perLayer,
    overall: meanFlow(perLayer),
  };
}
