"""Pretrain JetLens's default backbone: a small 12-layer ViT on simulated jets.

    tools/.venv-torch/bin/python tools/pretrain/pretrain.py --data DIR \
        --out models/jetlens-vit-tiny-jets

DIR holds jetsim output (JetClass layout, `<Process>_<NNN>.root`) of the six classes the study
does not use. The model learns to tell them apart (a 6-class classifier), so the study's
classes (TTBar, ZJetsToNuNu, HToBB, HToCC) are new to it. Images are built exactly as JetLens
builds and preprocesses them (see jet_images.py). Writes, under --out: the Hugging Face
checkpoint (config.json, model.safetensors), preprocessor_config.json, training.json (data,
seed, settings, per-epoch curve, held-out accuracy) and the model card README.md.
"""

import argparse
import hashlib
import json
import math
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from transformers import ViTConfig, ViTForImageClassification

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from dataset import class_files, load_class  # noqa: E402
from jet_images import RADIUS, vit_pixel_values  # noqa: E402
from model_card import write_model_card  # noqa: E402

CLASSES = ["HToGG", "HToWW4Q", "HToWW2Q1L", "ZToQQ", "WToQQ", "TTBarLep"]
IMAGE = 32
PATCH = 8
# Pixel normalisation after the max-scale: empty pixels stay at 0 and the hottest reaches 10.
# With the usual mean = std = 0.5 nearly every input is -1 and a ViT trained from scratch on a
# few thousand jets did not leave chance level in several epochs; with these it learns at once.
PIXEL_MEAN = 0.0
PIXEL_STD = 0.1


def backbone_config() -> ViTConfig:
    return ViTConfig(
        hidden_size=128, num_hidden_layers=12, num_attention_heads=4, intermediate_size=512,
        image_size=IMAGE, patch_size=PATCH, num_channels=3, num_labels=len(CLASSES),
        id2label=dict(enumerate(CLASSES)), label2id={c: i for i, c in enumerate(CLASSES)},
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, layer_norm_eps=1e-12,
        attn_implementation="eager",
    )


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def split(n_per_class: list, held_out: float, rng: np.random.Generator):
    train, test, offset = [], [], 0
    for n in n_per_class:
        order = offset + rng.permutation(n)
        k = int(round(n * held_out))
        test.extend(order[:k].tolist())
        train.extend(order[k:].tolist())
        offset += n
    return np.array(train), np.array(test)


def lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * 0.5 * (1 + math.cos(math.pi * progress))


@torch.no_grad()
def accuracy(model, x: torch.Tensor, y: torch.Tensor, batch: int = 512) -> float:
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        logits = model(pixel_values=x[i:i + batch]).logits
        correct += int((logits.argmax(-1) == y[i:i + batch]).sum())
    return correct / len(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--jets-per-class", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--held-out", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--jetsim-command", default="", help="recorded in training.json")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    # Jet images of the six pretraining classes, then a stratified held-out split.
    images, labels, files = [], [], {}
    for label, process in enumerate(CLASSES):
        x = load_class(args.data, process, IMAGE, args.jets_per_class)
        images.append(x)
        labels.append(np.full(len(x), label))
        files[process] = [{"name": p.name, "sha256": sha256(p)} for p in class_files(args.data, process)]
        print(f"{process}: {len(x)} jets", flush=True)
    counts = [len(x) for x in images]
    pixels = torch.from_numpy(
        vit_pixel_values(np.concatenate(images), mean=PIXEL_MEAN, std=PIXEL_STD))
    y = torch.from_numpy(np.concatenate(labels))
    train_idx, test_idx = split(counts, args.held_out, rng)
    x_train, y_train = pixels[train_idx], y[train_idx]
    x_test, y_test = pixels[test_idx], y[test_idx]

    config = backbone_config()
    model = ViTForImageClassification(config)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = math.ceil(len(x_train) / args.batch)
    total = steps_per_epoch * args.epochs
    warmup = steps_per_epoch

    curve, step, started = [], 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train))
        loss_sum = 0.0
        for i in range(0, len(order), args.batch):
            batch = order[i:i + args.batch]
            xb = x_train[batch]
            # Mirror in deta and dphi at random: the jet's image has no preferred orientation
            # in these coordinates beyond the sign conventions, which flips leave class-free.
            if torch.rand(()) < 0.5:
                xb = xb.flip(-1)
            if torch.rand(()) < 0.5:
                xb = xb.flip(-2)
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, args.lr)
            loss = F.cross_entropy(model(pixel_values=xb).logits, y_train[batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            loss_sum += loss.item() * len(batch)
            step += 1
        held_out = accuracy(model, x_test, y_test)
        row = {"epoch": epoch + 1, "train_loss": loss_sum / len(x_train),
               "held_out_accuracy": held_out, "seconds": round(time.time() - started, 1)}
        curve.append(row)
        print(json.dumps(row), flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    (args.out / "preprocessor_config.json").write_text(json.dumps({
        "do_normalize": True, "do_rescale": True, "do_resize": True,
        "image_mean": [PIXEL_MEAN] * 3, "image_processor_type": "ViTImageProcessor",
        "image_std": [PIXEL_STD] * 3, "resample": 2, "rescale_factor": 1 / 255,
        "size": {"height": IMAGE, "width": IMAGE},
    }, indent=2, sort_keys=True) + "\n")
    report = {
        "model": "jetlens-vit-tiny-jets",
        "pretrained_on": "simulated jets (tools/jetsim, Pythia 8), not ImageNet",
        "classes": CLASSES,
        "images": {"pixels": IMAGE, "radius": RADIUS, "channels": "1 (pT), replicated to 3",
                   "weighting": "pT, sum to one",
                   "preprocessing": f"max-scale, mean {PIXEL_MEAN}, std {PIXEL_STD}"},
        "data": {"jetsim_command": args.jetsim_command, "jets_per_class": counts,
                 "held_out_fraction": args.held_out, "train": len(x_train), "held_out": len(x_test),
                 "files": files},
        "settings": {k: v for k, v in vars(args).items() if k not in ("data", "out")},
        "parameters": sum(p.numel() for p in model.parameters()),
        "curve": curve,
        "held_out_accuracy": curve[-1]["held_out_accuracy"],
        "torch": torch.__version__,
        # The data folder is the caller's; the card names it DIR like the jetsim commands do.
        "command": " ".join(["tools/.venv-torch/bin/python", "tools/pretrain/pretrain.py",
                             "--data DIR", f"--out {args.out.name}",
                             f"--jets-per-class {args.jets_per_class}",
                             f"--epochs {args.epochs}", f"--seed {args.seed}"]),
    }
    (args.out / "training.json").write_text(json.dumps(report, indent=2) + "\n")
    write_model_card(args.out / "README.md", report, config.to_dict())
    print(f"wrote {args.out} (held-out accuracy {report['held_out_accuracy']:.3f})")


if __name__ == "__main__":
    main()
