"""The PyTorch peer of the vit-inference benchmark: times the same checkpoint in transformers.

    tools/.venv-torch/bin/python bench/vit-inference/torch_peer.py CHECKPOINT_DIR \
        --threads 2 --min-seconds 2

Eager PyTorch (no torch.compile) under inference_mode, float32, on the CPU. Without attention
outputs it uses transformers' default attention (SDPA); with them, the eager attention that
output_attentions needs. Prints one JSON line: images/s per case, peak RSS, the logits of a
fixed input (to check both sides ran the same weights) and the versions used.
"""

import argparse
import json
import resource
import time

import torch
import transformers
from transformers import ViTForImageClassification


def fixed_pixels(batch, channels, size):
    # the same deterministic input the JetLens side builds: sin(0.001 * i)
    count = batch * channels * size * size
    return torch.sin(torch.arange(count, dtype=torch.float64) * 0.001).float().reshape(
        batch, channels, size, size
    )


def throughput(model, pixels, attentions, min_seconds):
    def once():
        out = model(pixel_values=pixels, output_attentions=attentions)
        torch.softmax(out.logits, dim=-1)

    once()  # warm-up
    runs = 0
    start = time.perf_counter()
    while True:
        once()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and runs >= 2:
            return runs * pixels.shape[0] / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--batches", default="1,32")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    batches = [int(b) for b in args.batches.split(",")]
    results = {}
    check = None

    for attentions, implementation in ((False, "sdpa"), (True, "eager")):
        model = ViTForImageClassification.from_pretrained(
            args.checkpoint, attn_implementation=implementation, dtype=torch.float32
        ).eval()
        config = model.config
        with torch.inference_mode():
            if check is None:
                check = model(fixed_pixels(2, config.num_channels, config.image_size)).logits
            for batch in batches:
                pixels = fixed_pixels(batch, config.num_channels, config.image_size)
                key = f"batch {batch}, {'with' if attentions else 'without'} attentions"
                results[key] = throughput(model, pixels, attentions, args.min_seconds)
        del model

    print(
        json.dumps(
            {
                "imagesPerSecond": results,
                "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "checkLogits": check.flatten().tolist(),
                "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
            }
        )
    )


if __name__ == "__main__":
    main()
