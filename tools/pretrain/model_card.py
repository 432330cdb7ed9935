"""Writes the model card (README.md) of a pretrained backbone from its training report."""

import pathlib


def config_means(report: dict) -> tuple:
    pre = report["images"]["preprocessing"]  # "max-scale, mean M, std S"
    parts = dict(p.strip().split(" ") for p in pre.split(",")[1:])
    return parts["mean"], parts["std"]


def write_model_card(path: pathlib.Path, report: dict, config: dict) -> None:
    curve = "\n".join(
        f"| {r['epoch']} | {r['train_loss']:.4f} | {r['held_out_accuracy']:.4f} | {r['seconds']} |"
        for r in report["curve"]
    )
    data = report["data"]
    counts = ", ".join(f"{c} {n}" for c, n in zip(report["classes"], data["jets_per_class"]))
    s = report["settings"]
    s_mean, s_std = config_means(report)
    grid = config["image_size"] // config["patch_size"]
    pixels = report["images"]["pixels"]
    text = f"""# jetlens-vit-tiny-jets

JetLens's default backbone: a small Vision Transformer with 12 encoder layers, so that the
study's "fine-tune layers 11 and 12" keeps its meaning. **It was pretrained on simulated jets
(Pythia 8 through JetLens's jetsim), not on ImageNet.** It is a 6-class classifier of jet
images of the six JetClass processes the study does not use; the study's four classes
(TTBar, ZJetsToNuNu, HToBB, HToCC) were never shown to it.

## Architecture (Hugging Face `ViTForImageClassification`)

| setting | value |
| --- | --- |
| image | {config['image_size']} x {config['image_size']} pixels, {config['num_channels']} channels |
| patch | {config['patch_size']} (a {grid} x {grid} grid, {grid ** 2 + 1} tokens with CLS) |
| hidden size | {config['hidden_size']} |
| layers | {config['num_hidden_layers']} |
| heads | {config['num_attention_heads']} |
| intermediate size | {config['intermediate_size']} |
| activation | {config['hidden_act']} (exact erf GELU) |
| layer norm eps | {config['layer_norm_eps']} |
| parameters | {report['parameters']:,} |

## Images

Jet images as JetLens builds them: the (deta, dphi) plane around the jet axis, a window of
2R x 2R with R = {report['images']['radius']}, {pixels} x {pixels} pixels,
pT-weighted and normalised to sum to one; rows follow dphi (top = +dphi), columns deta
(left = -deta); no centring, rotation or flip beyond JetClass's own deta sign convention.
Preprocessing (`preprocessor_config.json`, as JetLens's runtime applies it): divide each
image by its maximum, replicate the channel to 3, subtract the mean {s_mean} and divide by the
std {s_std} (empty pixels stay at 0; the usual mean = std = 0.5 left a ViT trained from
scratch on these few thousand jets at chance level).

## Data

Pretraining jets: {counts} (JetClass layout, from `tools/jetsim`),
generated into one folder DIR with:

```sh
{data['jetsim_command']}
```

Stratified split with seed {s['seed']}: {data['train']} jets for training, {data['held_out']}
held out ({data['held_out_fraction']:.0%} of each class). File names and SHA-256 digests are in
`training.json`.

## Training

AdamW (lr {s['lr']}, weight decay {s['weight_decay']} on matrices, betas 0.9/0.999),
batch {s['batch']}, {s['epochs']} epochs, one epoch of linear warmup then cosine decay,
gradient norm clipped at 1, random flips of deta and dphi, seed {s['seed']}, torch
{report['torch']} on {s['threads']} CPU thread(s).

| epoch | train loss | held-out accuracy | seconds |
| --- | --- | --- | --- |
{curve}

**Held-out accuracy (6 classes): {report['held_out_accuracy']:.4f}.**

## Reproduce

```sh
python3 -m venv tools/.venv-torch
tools/.venv-torch/bin/pip install -r tools/pretrain/requirements.txt
{data['jetsim_command']}
{report['command'].replace('--out jetlens-vit-tiny-jets', '--out models/jetlens-vit-tiny-jets')}
```
"""
    path.write_text(text)
