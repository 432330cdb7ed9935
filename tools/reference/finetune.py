"""PyTorch peer of JetLens's fine-tuning: same backbone, images, sampling and settings.

    tools/.venv-torch/bin/python tools/reference/finetune.py --task DIR --backbone MODEL_DIR \
        [--out metrics.json] [--threads 2]

DIR is what bench/finetune writes for one task: `data.safetensors` (the raw jet images
[N, 1, H, W] as JetLens built them, labels, split 0/1/2 = train/validation/held-out, and the
new head's initial weights) and `settings.json` (labels, trainable layers, epochs, batch size,
learning rate, warmup steps, weight decay, patience, shuffle seed). Training follows JetLens's
recipe step for step: the frozen trunk (embeddings + first L-k layers) runs once under
no_grad and its hidden states are cached; then the last k layers, the final layer norm and the
head train with torch.optim.AdamW (decay on matrices only), linear warmup then cosine per step,
class-balanced batches drawn with JetLens's own PRNG (mulberry32, re-implemented here), mean
cross-entropy, and early stopping on the validation loss. Prints one JSON line of metrics on the
held-out images (AUC, accuracy, background rejection at eps_S 0.5 and 0.3, bootstrap
uncertainties) and the training throughput per epoch.
"""

import argparse
import json
import math
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file
from transformers import ViTForImageClassification

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pretrain"))
from jet_images import vit_pixel_values  # noqa: E402


class Mulberry32:
    """JetLens's Prng (packages/core/src/train/prng.ts), bit for bit."""

    def __init__(self, seed: int):
        self.state = seed & 0xFFFFFFFF

    def next(self) -> float:
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state

        def imul(a, b):
            return (a * b) & 0xFFFFFFFF

        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def int(self, n: int) -> int:
        return math.floor(self.next() * n)

    def shuffle(self, items: list) -> list:
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def class_balanced_batches(labels, num_classes, batch_size, rng):
    """JetLens's classBalancedBatches: shuffle each class, deal round-robin, cut."""
    by_class = [[i for i, l in enumerate(labels) if l == c] for c in range(num_classes)]
    for lst in by_class:
        rng.shuffle(lst)
    dealt = []
    for k in range(max(len(l) for l in by_class)):
        for lst in by_class:
            if k < len(lst):
                dealt.append(lst[k])
    return [dealt[i:i + batch_size] for i in range(0, len(dealt), batch_size)]


def learning_rate_at(step, peak, warmup, total):
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / (total - warmup))
    return peak * 0.5 * (1 + math.cos(math.pi * progress))


def auc(scores, labels):
    """Mann-Whitney AUC with ties counted one half (what JetLens's rocAuc equals)."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(s))
    r[order] = ranks
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (r[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def rejection(scores, labels, eff):
    """1/eps_B at signal efficiency eff, interpolating the ROC linearly in eps_S."""
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y == 1)
    fp = np.cumsum(y == 0)
    last = np.r_[s[1:] != s[:-1], True]
    tpr = np.r_[0, tp[last] / (y == 1).sum()]
    fpr = np.r_[0, fp[last] / (y == 0).sum()]
    i = 1
    while i < len(tpr) - 1 and tpr[i] < eff:
        i += 1
    t = 1.0 if tpr[i] == tpr[i - 1] else (eff - tpr[i - 1]) / (tpr[i] - tpr[i - 1])
    eps_b = fpr[i - 1] + t * (fpr[i] - fpr[i - 1])
    return math.inf if eps_b <= 0 else 1 / eps_b


def with_bootstrap(fn, scores, labels, resamples, seed):
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        idx = rng.integers(0, len(scores), len(scores))
        if len(np.unique(labels[idx])) < 2:
            continue
        v = fn(scores[idx], labels[idx])
        if math.isfinite(v):
            values.append(v)
    return {"value": fn(scores, labels), "std": float(np.std(values, ddof=1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", type=pathlib.Path, required=True)
    parser.add_argument("--backbone", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resamples", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    settings = json.loads((args.task / "settings.json").read_text())
    data = load_file(str(args.task / "data.safetensors"))
    labels = data["labels"].astype(np.int64)
    split = data["split"].astype(np.int64)
    # The backbone's own normalisation, as JetLens's runtime reads it.
    pre = json.loads((args.backbone / "preprocessor_config.json").read_text())
    pixels = torch.from_numpy(vit_pixel_values(data["images"], mean=pre["image_mean"][0],
                                               std=pre["image_std"][0]))
    classes = settings["labels"]
    k = settings["trainableLayers"]

    model = ViTForImageClassification.from_pretrained(
        args.backbone, num_labels=len(classes), ignore_mismatched_sizes=True,
        attn_implementation="eager")
    with torch.no_grad():
        model.classifier.weight.copy_(torch.from_numpy(data["classifier.weight"]))
        model.classifier.bias.copy_(torch.from_numpy(data["classifier.bias"]))
    model.eval()  # no dropout anywhere, as in JetLens's graphs
    layers = model.vit.layers
    first = len(layers) - k
    top_modules = [*layers[first:], model.vit.layernorm, model.classifier]
    for p in model.parameters():
        p.requires_grad_(False)
    trainable = [p for m in top_modules for p in m.parameters()]
    for p in trainable:
        p.requires_grad_(True)

    # The frozen trunk once, under no_grad: hidden states entering layer `first`.
    started = time.time()
    with torch.no_grad():
        chunks = []
        for i in range(0, len(pixels), 64):
            h = model.vit.embeddings(pixels[i:i + 64])
            for layer in layers[:first]:
                h = layer(h)
            chunks.append(h)
        hidden = torch.cat(chunks)
    trunk_seconds = time.time() - started

    def top(h):
        for layer in layers[first:]:
            h = layer(h)
        return model.classifier(model.vit.layernorm(h[:, 0, :]))

    train_idx = np.flatnonzero(split == 0)
    val_idx = np.flatnonzero(split == 1)
    test_idx = np.flatnonzero(split == 2)
    y = torch.from_numpy(labels)
    decay = [p for p in trainable if p.dim() == 2]
    no_decay = [p for p in trainable if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": settings["weightDecay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=settings["learningRate"], foreach=False)
    rng = Mulberry32(settings["shuffleSeed"])
    steps_per_epoch = math.ceil(len(train_idx) / settings["batchSize"])
    total = steps_per_epoch * settings["epochs"]
    best = {"loss": math.inf, "epoch": 0, "state": None}
    bad, step, history = 0, 0, []
    train_labels = labels[train_idx].tolist()
    for epoch in range(1, settings["epochs"] + 1):
        t0 = time.time()
        loss_sum = 0.0
        for batch in class_balanced_batches(train_labels, len(classes), settings["batchSize"], rng):
            rows = torch.from_numpy(train_idx[batch])
            lr = learning_rate_at(step, settings["learningRate"], settings["warmupSteps"], total)
            for group in opt.param_groups:
                group["lr"] = lr
            loss = F.cross_entropy(top(hidden[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            loss_sum += loss.item() * len(batch)
        seconds = time.time() - t0
        with torch.no_grad():
            val_loss = float(F.cross_entropy(top(hidden[val_idx]), y[val_idx]))
        history.append({"epoch": epoch, "trainLoss": loss_sum / len(train_idx),
                        "validationLoss": val_loss, "seconds": seconds,
                        "imagesPerSecond": len(train_idx) / seconds})
        if val_loss < best["loss"]:
            best = {"loss": val_loss, "epoch": epoch,
                    "state": [p.detach().clone() for p in trainable]}
            bad = 0
        else:
            bad += 1
        if bad >= settings["patience"]:
            break

    with torch.no_grad():
        for p, saved in zip(trainable, best["state"]):
            p.copy_(saved)
        probs = torch.softmax(top(hidden[test_idx]), -1).numpy()
    scores = probs[:, settings.get("signalClass", 1)].astype(np.float64)
    is_signal = (labels[test_idx] == settings.get("signalClass", 1)).astype(np.int64)
    seed = settings.get("bootstrapSeed", 0)
    result = {
        "task": settings["task"],
        "peer": f"PyTorch {torch.__version__} eager, {args.threads} threads, cached trunk",
        "heldOut": int(len(test_idx)),
        "auc": with_bootstrap(auc, scores, is_signal, args.resamples, seed),
        "accuracy": with_bootstrap(lambda s, l: float(((s > 0.5) == (l == 1)).mean()),
                                   scores, is_signal, args.resamples, seed),
        "rejectionAt50": with_bootstrap(lambda s, l: rejection(s, l, 0.5), scores, is_signal,
                                        args.resamples, seed),
        "rejectionAt30": with_bootstrap(lambda s, l: rejection(s, l, 0.3), scores, is_signal,
                                        args.resamples, seed),
        "bestEpoch": best["epoch"],
        "epochsRun": len(history),
        "trunkSeconds": trunk_seconds,
        "history": history,
    }
    line = json.dumps(result)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(line)


if __name__ == "__main__":
    main()
