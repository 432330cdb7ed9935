"""Reference attention maps in NumPy, written to golden files for the xai package's tests.

`vit_explain_rollout` reproduces `rollout()` of jacobgil/vit-explain (vit_rollout.py, last
changed December 2020) operation by operation, on NumPy arrays instead of torch tensors:
head fusion, discard_ratio, `(A + I) / 2`, division by the row sum, `result = a @ result`,
the CLS row of sample 0 with the CLS column dropped, divided by its maximum. Its known
behaviours are switches, each defaulting to what the published code does:

- `keepdim_bug`: `a / a.sum(dim=-1)` without keepdim (vit-explain issue #16) divides column j
  by the sum of row j, so rows no longer sum to one (and batches larger than one fail to
  broadcast, exactly as in torch).
- `discard_sample0_only`: the lowest-attention indices of every sample are flattened
  together and zeroed in sample 0 alone.
- `keep_cls_column`: read the whole CLS row, CLS column included (what the maps look like
  when the CLS column is not dropped; vit-explain itself drops it).

`cumulative_map` is the study's map as JetLens defines it.

Usage: python rollout_reference.py OUTPUT.json  (seeded; rerunning gives the same file)
"""

import json
import sys

import numpy as np


def fuse_heads(attention, head_fusion):
    """[B, H, T, T] -> [B, T, T]."""
    if head_fusion == "mean":
        return attention.mean(axis=1)
    if head_fusion == "max":
        return attention.max(axis=1)
    if head_fusion == "min":
        return attention.min(axis=1)
    raise ValueError(f"head_fusion: expected mean, max or min, got {head_fusion!r}")


def vit_explain_rollout(
    attentions,
    discard_ratio,
    head_fusion,
    keepdim_bug=True,
    discard_sample0_only=True,
    keep_cls_column=False,
    read_sample=0,
    return_layer_matrices=False,
):
    """attentions: list over layers of [B, H, T, T] float arrays."""
    tokens = attentions[0].shape[-1]
    result = np.eye(tokens)
    layer_matrices = []
    for attention in attentions:
        fused = fuse_heads(attention.astype(np.float64), head_fusion)

        # Drop the lowest attentions, but not the CLS-to-CLS entry (flat index 0).
        flat = fused.reshape(fused.shape[0], -1)
        count = int(flat.shape[-1] * discard_ratio)
        lowest = np.argsort(flat, axis=-1, kind="stable")[:, :count]
        if discard_sample0_only:
            indices = lowest[lowest != 0]
            flat[0, indices] = 0
        else:
            for sample in range(flat.shape[0]):
                indices = lowest[sample][lowest[sample] != 0]
                flat[sample, indices] = 0

        identity = np.eye(tokens)
        a = (fused + 1.0 * identity) / 2
        if keepdim_bug:
            a = a / a.sum(axis=-1)
        else:
            a = a / a.sum(axis=-1, keepdims=True)
        layer_matrices.append(a)
        result = np.matmul(a, result)

    mask = result[read_sample, 0, :] if keep_cls_column else result[read_sample, 0, 1:]
    mask = mask / np.max(mask)
    if return_layer_matrices:
        return mask, layer_matrices
    return mask


def cumulative_map(attentions, head_fusion="mean", sample=0):
    """The study's map: mean over layers of rows-renormalised (fused + I), CLS row, patches."""
    tokens = attentions[0].shape[-1]
    mean = np.zeros(tokens)
    for attention in attentions:
        fused = fuse_heads(attention[sample : sample + 1].astype(np.float64), head_fusion)[0]
        a = fused + np.eye(tokens)
        a = a / a.sum(axis=-1, keepdims=True)
        mean += a[0]
    mean /= len(attentions)
    patches = mean[1:]
    return patches / patches.sum()


def random_attentions(rng, samples, layers, heads, tokens):
    """Row-stochastic float32 attentions [L][B, H, T, T] with a strong CLS column, as ViTs have."""
    logits = rng.normal(0.0, 1.5, size=(layers, samples, heads, tokens, tokens))
    logits[..., 0] += 1.0
    weights = np.exp(logits)
    weights /= weights.sum(axis=-1, keepdims=True)
    return [layer.astype(np.float32) for layer in weights]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: rollout_reference.py OUTPUT.json")
    rng = np.random.default_rng(20201216)
    samples, layers, heads, rows, cols = 2, 3, 4, 3, 3
    tokens = 1 + rows * cols
    attentions = random_attentions(rng, samples, layers, heads, tokens)

    def as_list(array):
        return [float(v) for v in np.asarray(array).ravel()]

    cases = []
    for head_fusion, discard_ratio in [("mean", 0.0), ("mean", 0.5), ("max", 0.0), ("min", 0.3)]:
        for sample in range(samples):
            alone = [layer[sample : sample + 1] for layer in attentions]
            mask = vit_explain_rollout(alone, discard_ratio, head_fusion, keepdim_bug=False)
            cases.append(
                {
                    "name": f"rollout {head_fusion} discard {discard_ratio} sample {sample}",
                    "headFusion": head_fusion,
                    "discardRatio": discard_ratio,
                    "sample": sample,
                    "map": as_list(mask),
                }
            )

    sample0 = [layer[0:1] for layer in attentions]
    published, published_layers = vit_explain_rollout(
        sample0, 0.6, "mean", return_layer_matrices=True
    )
    fixed = vit_explain_rollout(sample0, 0.6, "mean", keepdim_bug=False)
    batch_leak = vit_explain_rollout(attentions, 0.5, "mean", keepdim_bug=False)
    cls_kept = vit_explain_rollout(sample0, 0.0, "mean", keepdim_bug=False, keep_cls_column=True)

    golden = {
        "source": "tools/reference/rollout_reference.py",
        "layout": "attention [sample][layer][head][query][key], float32, CLS = token 0",
        "samples": samples,
        "layers": layers,
        "heads": heads,
        "tokens": tokens,
        "grid": {"rows": rows, "cols": cols},
        "attention": as_list(np.stack(attentions, axis=1)),
        "rollout": cases,
        "cumulative": [as_list(cumulative_map(attentions, "mean", s)) for s in range(samples)],
        "published": {
            "note": "vit-explain as published: keepdim bug, discard 0.6, mean, sample 0",
            "map": as_list(published),
            "fixedMap": as_list(fixed),
            "layerRowSums": [as_list(m[0].sum(axis=-1)) for m in published_layers],
        },
        "batchLeak": {
            "note": "batch of 2, discard 0.5, indices of both samples zeroed in sample 0",
            "map": as_list(batch_leak),
        },
        "clsKept": {
            "note": "CLS row with the CLS column kept, divided by its maximum",
            "map": as_list(cls_kept),
        },
    }
    with open(sys.argv[1], "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
