"""Write the golden file that pins JetLens' ViT runtime to transformers on the default backbone.

    tools/.venv-torch/bin/python tools/reference/backbone_parity.py \
        models/jetlens-vit-tiny-jets data/jetclass-sample/TTBar_000.root \
        packages/core/test/golden/backbone

The torch venv needs tools/pretrain/requirements.txt (it adds uproot, and this script uses
tools/pretrain's jet image builder).

Loads the committed backbone with ViTForImageClassification.from_pretrained (eager attention,
float32) and records what transformers computes for three fixed inputs:

  rows 0-1  seeded standard-normal pixel values (every pixel and channel differs, so a
            mix-up of channels, patches or heads shows)
  row 2     the first jet of ROOT_FILE as the study feeds it: its 32 x 32 jet image
            (tools/pretrain/jet_images.jet_image, pinned to JetLens' TypeScript builder)
            through the checkpoint's preprocessing (divide by the maximum, 3 channels,
            mean and std of preprocessor_config.json)

expected.safetensors holds pixel_values [3, 3, 32, 32], jet_image [1, 1, 32, 32],
logits [3, 6] and attentions [batch, layer, head, query, key] = [3, 12, 4, 17, 17]; its
metadata names the jet (file, entry) and the SHA-256 of the backbone's model.safetensors, so a
retrained backbone fails the test until this script is run again.
"""

import argparse
import hashlib
import json
import pathlib
import sys

import numpy as np
import torch
import uproot
from safetensors.torch import save_file
from transformers import ViTForImageClassification

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pretrain"))
from jet_images import jet_image, vit_pixel_values  # noqa: E402

SEED = 20261204
RANDOM_IMAGES = 2
JET_ENTRY = 0


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_jet(root_file: pathlib.Path, entry: int):
    with uproot.open(root_file) as f:
        branches = f["tree"].arrays(["part_px", "part_py", "part_deta", "part_dphi"],
                                    entry_start=entry, entry_stop=entry + 1, library="np")
    px = branches["part_px"][0].astype(np.float64)
    py = branches["part_py"][0].astype(np.float64)
    # JetClass stores no constituent pT; JetLens' reader computes it from px, py in float64.
    pt = np.hypot(px, py).astype(np.float32)
    return branches["part_deta"][0], branches["part_dphi"][0], pt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backbone", type=pathlib.Path)
    parser.add_argument("root_file", type=pathlib.Path)
    parser.add_argument("outdir", type=pathlib.Path)
    args = parser.parse_args()
    out = args.outdir
    out.mkdir(parents=True, exist_ok=True)

    model = ViTForImageClassification.from_pretrained(
        args.backbone, attn_implementation="eager", dtype=torch.float32
    ).eval()
    config = model.config
    size = config.image_size
    preprocessor = json.loads((args.backbone / "preprocessor_config.json").read_text())

    generator = torch.Generator().manual_seed(SEED)
    random_pixels = torch.randn((RANDOM_IMAGES, config.num_channels, size, size),
                                generator=generator)

    deta, dphi, pt = read_jet(args.root_file, JET_ENTRY)
    image = jet_image(deta, dphi, pt, size)[None]
    jet_pixels = vit_pixel_values(image, config.num_channels, preprocessor["image_mean"][0],
                                  preprocessor["image_std"][0])
    pixel_values = torch.cat([random_pixels, torch.from_numpy(jet_pixels)], dim=0)

    with torch.no_grad():
        result = model(pixel_values, output_attentions=True)

    expected = {
        "pixel_values": pixel_values,
        "jet_image": torch.from_numpy(image),
        "logits": result.logits,
        "attentions": torch.stack(result.attentions, dim=1),
    }
    metadata = {
        "backbone_sha256": sha256(args.backbone / "model.safetensors"),
        "jet_file": args.root_file.name,
        "jet_entry": str(JET_ENTRY),
        "seed": str(SEED),
        "torch": torch.__version__,
    }
    save_file({k: v.contiguous() for k, v in expected.items()}, out / "expected.safetensors",
              metadata=metadata)

    for name, tensor in expected.items():
        print(f"{name}: {list(tensor.shape)}")
    print(f"logits: {result.logits.tolist()}")


if __name__ == "__main__":
    main()
