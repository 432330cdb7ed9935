"""Write the golden files that JetLens' ViT parity tests compare against.

    tools/.venv-torch/bin/python tools/reference/vit_parity.py packages/core/test/golden/vit

Makes small random-weight ViTs with Hugging Face transformers (eager attention, float32, fixed
seed), saves them with `save_pretrained`, and records what transformers computes for fixed
inputs:

  tiny/                 ViTForImageClassification (3 layers, 3 heads, hidden 48, image 32,
                        patch 8, 3 labels) + preprocessor_config.json
  tiny-bare/            ViTModel with its pooler, as hub backbones (in21k) are saved
  expected.safetensors  pixel_values, logits, attentions [batch, layer, head, query, key],
                        hidden_states [layer + 1, batch, token, hidden], bare_last_hidden_state,
                        and the preprocessing check: jet_images [2, 1, 20, 20] (each sums to 1)
                        -> jet_pixel_values [2, 3, 32, 32] (per-image max rescale, bilinear
                        resize with half-pixel centres, 3 channels, mean/std 0.5)
  dtypes.safetensors    one tensor stored as F32, F16, BF16 and F64
"""

import argparse
import json
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import ViTConfig, ViTForImageClassification, ViTModel

SEED = 20240611
BATCH = 2


def tiny_config():
    return ViTConfig(
        hidden_size=48,
        num_hidden_layers=3,
        num_attention_heads=3,
        intermediate_size=96,
        hidden_act="gelu",
        image_size=32,
        patch_size=8,
        num_channels=3,
        qkv_bias=True,
        layer_norm_eps=1e-12,
        id2label={0: "TTBar", 1: "ZJetsToNuNu", 2: "HToBB"},
        label2id={"TTBar": 0, "ZJetsToNuNu": 1, "HToBB": 2},
        attn_implementation="eager",
    )


def randomise(model, generator):
    # HF's init (std 0.02, unit layer norms) gives nearly uniform attention, which would hide
    # errors in the softmax or the head split; wider weights make the attention peaked.
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if "layernorm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * noise)
            else:
                p.copy_(0.3 * noise)


def write_preprocessor_config(path):
    # What ViTImageProcessor.save_pretrained writes (it needs PIL and torchvision, which this
    # environment leaves out), with the hub checkpoints' keys and a 32-pixel size.
    settings = {
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "ViTImageProcessor",
        "image_std": [0.5, 0.5, 0.5],
        "resample": 2,
        "rescale_factor": 1 / 255,
        "size": {"height": 32, "width": 32},
    }
    path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n")


def preprocess_jet_images(jet_images):
    # JetLens' documented preprocessing for jet images: rescale each image by its maximum,
    # resize bilinearly (half-pixel centres, no antialiasing), replicate the channel,
    # normalise with mean 0.5 and std 0.5.
    peak = jet_images.amax(dim=(1, 2, 3), keepdim=True)
    scaled = jet_images / peak
    resized = F.interpolate(scaled, size=(32, 32), mode="bilinear", align_corners=False)
    rgb = resized.repeat(1, 3, 1, 1)
    return (rgb - 0.5) / 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=pathlib.Path)
    args = parser.parse_args()
    out = args.outdir
    out.mkdir(parents=True, exist_ok=True)

    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)

    config = tiny_config()
    model = ViTForImageClassification(config).eval()
    randomise(model, generator)
    model.save_pretrained(out / "tiny")
    write_preprocessor_config(out / "tiny" / "preprocessor_config.json")

    bare = ViTModel(config, add_pooling_layer=True).eval()
    randomise(bare, generator)
    bare.save_pretrained(out / "tiny-bare")

    pixel_values = torch.randn((BATCH, 3, 32, 32), generator=generator)
    with torch.no_grad():
        result = model(pixel_values, output_attentions=True, output_hidden_states=True)
        bare_result = bare(pixel_values)

    jet_images = torch.rand((BATCH, 1, 20, 20), generator=generator) ** 8
    jet_images = jet_images / jet_images.sum(dim=(1, 2, 3), keepdim=True)

    expected = {
        "pixel_values": pixel_values,
        "logits": result.logits,
        "attentions": torch.stack(result.attentions, dim=1),
        "hidden_states": torch.stack(result.hidden_states, dim=0),
        "bare_last_hidden_state": bare_result.last_hidden_state,
        "jet_images": jet_images,
        "jet_pixel_values": preprocess_jet_images(jet_images),
    }
    save_file({k: v.contiguous() for k, v in expected.items()}, out / "expected.safetensors")

    values = torch.tensor([0.0, 1.0, -2.0, 0.333251953125, 65504.0, 6.103515625e-05, -1e-3])
    save_file(
        {
            "f32": values,
            "f16": values.to(torch.float16),
            "bf16": values.to(torch.bfloat16),
            "f64": values.to(torch.float64),
        },
        out / "dtypes.safetensors",
    )

    for name, tensor in expected.items():
        print(f"{name}: {list(tensor.shape)}")


if __name__ == "__main__":
    main()
