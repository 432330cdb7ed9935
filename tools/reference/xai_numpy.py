"""The NumPy peer of bench/xai-maps: the same maps and ROI statistics as @jetlens/xai.

Per jet: the study's cumulative map (heads averaged, identity added, rows renormalised, mean
over layers, CLS row, CLS column dropped) and the attention rollout (same layer matrices,
product over layers), each resampled bilinearly from the patch grid onto the jet-image grid,
then up to three disks (pixel centres within R) around the prongs and their union: attention
fraction, mean attention inside, area fraction, enrichment. Work is vectorised over a chunk of
jets, as a NumPy user would write it, and only the computation is timed, not the generation
of the random attentions.

Two algorithms give the same maps (to rounding):
  cls-row  what JetLens does: the cumulative map fuses the heads of the CLS row alone, rollout
           multiplies the row vector e_0 by each layer's matrix from the last layer down
           (tokens^2 per layer).
  full     what the common tools do (vit-explain, most notebooks): whole fused matrices for
           every layer, the cumulative map averages them, rollout forms the full product
           A_L ... A_1 (tokens^3 per layer), and the CLS row is read at the end.

Usage:
  xai_numpy.py bench --jets N --chunk C --seed S [--algorithm cls-row|full]
      prints {"seconds", "jetsPerSecond", ...}
  xai_numpy.py check INPUT.bin OUTPUT.json --jets N [--algorithm cls-row|full]
      maps and fractions of given jets
The shape is ViT-B/16 (12 layers, 12 heads, 197 tokens, 14 x 14 patches) on a 32 x 32 jet
image spanning [-0.8, 0.8] in Δη and Δφ (top row +Δφ, left column -Δη), R = 0.2.
"""

import argparse
import json
import sys
import time

import numpy as np

LAYERS, HEADS, ROWS, COLS = 12, 12, 14, 14
TOKENS = 1 + ROWS * COLS
IMAGE, HALF, RADIUS, PRONGS = 32, 0.8, 0.2, 3


def axis_weights(source, target):
    """[target, source] bilinear weights, pixel centres, edges clamped (align_corners=False)."""
    position = np.clip((np.arange(target) + 0.5) * source / target - 0.5, 0, source - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, source - 1)
    frac = position - low
    weights = np.zeros((target, source))
    weights[np.arange(target), low] += 1 - frac
    weights[np.arange(target), high] += frac
    return weights


ROW_WEIGHTS = axis_weights(ROWS, IMAGE)
COL_WEIGHTS = axis_weights(COLS, IMAGE)
PIXEL = 2 * HALF / IMAGE
CENTRES = (np.arange(IMAGE) + 0.5) * PIXEL
DETA = (CENTRES - HALF)[None, :]  # columns
DPHI = (HALF - CENTRES)[:, None]  # rows


def layer_matrices(attention, rows):
    """Fused, residual, row-normalised matrices [B, L, rows, T] from [B, L, H, T, T]."""
    fused = attention[:, :, :, :rows, :].mean(axis=2, dtype=np.float64)
    index = np.arange(rows)
    fused[:, :, index, index] += 1.0
    fused /= fused.sum(axis=-1, keepdims=True)
    return fused


def cumulative_rows(attention):
    return layer_matrices(attention, 1)[:, :, 0, :].mean(axis=1)


def rollout_rows(attention):
    matrices = layer_matrices(attention, TOKENS)
    row = np.zeros((attention.shape[0], 1, TOKENS))
    row[:, 0, 0] = 1.0
    for layer in range(LAYERS - 1, -1, -1):
        row = row @ matrices[:, layer]
    return row[:, 0, :]


def full_rows(attention):
    """Cumulative and rollout CLS rows [B, T] the common tools' way, through whole matrices."""
    matrices = layer_matrices(attention, TOKENS)
    cumulative = matrices.mean(axis=1)[:, 0, :]
    product = np.broadcast_to(np.eye(TOKENS), matrices[:, 0].shape)
    for layer in range(LAYERS):
        product = matrices[:, layer] @ product
    return cumulative, product[:, 0, :]


def patch_maps(rows):
    patches = rows[:, 1:]
    return patches / patches.sum(axis=-1, keepdims=True)


def roi_masks(prongs):
    """[B, P, H, W] pixel-centre masks for the prongs [B, P, 3] (deta, dphi, pt), pT order."""
    order = np.argsort(-prongs[:, :, 2], axis=1, kind="stable")[:, :PRONGS]
    chosen = np.take_along_axis(prongs, order[:, :, None], axis=1)
    deta = DETA[None, None] - chosen[:, :, 0, None, None]
    dphi = DPHI[None, None] - chosen[:, :, 1, None, None]
    dphi = dphi - 2 * np.pi * np.floor((dphi + np.pi) / (2 * np.pi))
    return (np.sqrt(deta**2 + dphi**2) <= RADIUS).astype(np.float64)


def roi_statistics(image_maps, masks):
    """Fractions [B, P + 1] (ROIs then union) with means, areas, enrichments."""
    regions = np.concatenate([masks, masks.max(axis=1, keepdims=True)], axis=1)
    total = image_maps.sum(axis=(1, 2))[:, None]
    inside = np.einsum("bij,bpij->bp", image_maps, regions)
    area = regions.sum(axis=(2, 3))
    fraction = inside / total
    area_fraction = area / (IMAGE * IMAGE)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_inside = np.where(area > 0, inside / area, np.nan)
        enrichment = np.where(area > 0, fraction / area_fraction, np.nan)
    return fraction, mean_inside, area_fraction, enrichment


def analyse(attention, prongs, algorithm="cls-row"):
    masks = roi_masks(prongs)
    out = {}
    if algorithm == "full":
        cumulative, rollout = full_rows(attention)
    else:
        cumulative, rollout = cumulative_rows(attention), rollout_rows(attention)
    for name, rows in (("cumulative", cumulative), ("rollout", rollout)):
        maps = patch_maps(rows).reshape(-1, ROWS, COLS)
        image_maps = np.einsum("ir,brc,jc->bij", ROW_WEIGHTS, maps, COL_WEIGHTS)
        out[name] = (maps, roi_statistics(image_maps, masks))
    return out


def random_chunk(rng, jets):
    attention = rng.random((jets, LAYERS, HEADS, TOKENS, TOKENS), dtype=np.float32)
    attention /= attention.sum(axis=-1, keepdims=True)
    prongs = np.stack(
        [
            rng.uniform(-0.5, 0.5, (jets, PRONGS)),
            rng.uniform(-0.5, 0.5, (jets, PRONGS)),
            rng.uniform(10.0, 500.0, (jets, PRONGS)),
        ],
        axis=-1,
    )
    return attention, prongs


def bench(args):
    rng = np.random.default_rng(args.seed)
    seconds = 0.0
    done = 0
    while done < args.jets:
        jets = min(args.chunk, args.jets - done)
        attention, prongs = random_chunk(rng, jets)
        start = time.perf_counter()
        analyse(attention, prongs, args.algorithm)
        seconds += time.perf_counter() - start
        done += jets
    print(
        json.dumps(
            {
                "jets": done,
                "seconds": seconds,
                "jetsPerSecond": done / seconds,
                "algorithm": args.algorithm,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
            }
        )
    )


def check(args):
    raw = np.fromfile(args.input, dtype="<f4")
    size = args.jets * LAYERS * HEADS * TOKENS * TOKENS
    attention = raw[:size].reshape(args.jets, LAYERS, HEADS, TOKENS, TOKENS)
    prongs = raw[size:].astype(np.float64).reshape(args.jets, PRONGS, 3)
    result = {}
    for name, (maps, statistics) in analyse(attention, prongs, args.algorithm).items():
        fraction, _, area_fraction, _ = statistics
        result[name] = {
            "maps": maps.reshape(args.jets, -1).tolist(),
            "fractions": fraction.tolist(),
            "areaFractions": area_fraction.tolist(),
        }
    with open(args.output, "w") as f:
        json.dump(result, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench")
    b.add_argument("--jets", type=int, default=1000)
    b.add_argument("--chunk", type=int, default=10)
    b.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("check")
    c.add_argument("input")
    c.add_argument("output")
    c.add_argument("--jets", type=int, required=True)
    for command in (b, c):
        command.add_argument("--algorithm", choices=("cls-row", "full"), default="cls-row")
    args = parser.parse_args()
    bench(args) if args.command == "bench" else check(args)


if __name__ == "__main__":
    main()
