"""Golden gradients for JetLens' training graphs, computed with PyTorch autograd.

    tools/.venv-torch/bin/python tools/reference/grad_golden.py \
        packages/core/test/golden/train/grad_golden.json

For each operator JetLens differentiates, and for the whole trainable top of a Hugging Face
ViT (two ViTLayers, the final layer norm and the classifier, from transformers itself), this
records float32 inputs, a fixed projection `r` of the output (the loss is sum(f(x) * r)) and
the gradients autograd computes in float64 from those same float32 inputs. A last case runs
one torch.optim.AdamW step (float32, moments already warm, step 3) on the top.
"""

import argparse
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F
from transformers import ViTConfig, ViTForImageClassification

SEED = 20261203

# A tiny top: what the tests build with JetLens' tape, layer indices as in a 12-layer ViT.
TOP = dict(hidden=8, heads=2, intermediate=16, tokens=5, labels=3, batch=3, layers=[10, 11])
ADAM = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, step=3)


def tensor_json(t: torch.Tensor) -> dict:
    a = t.detach().to(torch.float64).cpu().numpy()
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def rand(rng: np.random.Generator, shape, scale=1.0) -> torch.Tensor:
    return torch.from_numpy((scale * rng.standard_normal(shape)).astype(np.float32))


def op_case(rng, name, inputs: dict, fn, grad_of=None) -> dict:
    """Gradients of sum(fn(*inputs) * r) in float64 for the inputs named in grad_of."""
    grad_of = list(inputs) if grad_of is None else grad_of
    leaves = {k: v.to(torch.float64).requires_grad_(k in grad_of) for k, v in inputs.items()}
    out = fn(**leaves)
    case = {"name": name, "inputs": {k: tensor_json(v) for k, v in inputs.items()}}
    if out.dim() == 0:
        loss = out
    else:
        r = rand(rng, tuple(out.shape))
        case["projection"] = tensor_json(r)
        loss = (out * r.to(torch.float64)).sum()
    loss.backward()
    case["loss"] = float(loss.detach())
    case["grads"] = {k: tensor_json(leaves[k].grad) for k in grad_of}
    return case


def op_cases(rng) -> list:
    onehot = torch.tensor([[1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=torch.float32)
    return [
        op_case(rng, "add_bias", {"x": rand(rng, (2, 3, 4)), "b": rand(rng, (4,))},
                lambda x, b: x + b),
        op_case(rng, "mul", {"x": rand(rng, (3, 4)), "y": rand(rng, (3, 4))},
                lambda x, y: x * y),
        op_case(rng, "gelu", {"x": rand(rng, (5, 6), 2.0)},
                lambda x: F.gelu(x, approximate="none")),
        op_case(rng, "linear",
                {"x": rand(rng, (5, 4)), "w": rand(rng, (3, 4)), "b": rand(rng, (3,))},
                lambda x, w, b: F.linear(x, w, b)),
        op_case(rng, "matmul", {"a": rand(rng, (2, 3, 4, 5)), "b": rand(rng, (2, 3, 5, 2))},
                lambda a, b: a @ b),
        op_case(rng, "layer_norm",
                {"x": rand(rng, (4, 6), 3.0), "gamma": rand(rng, (6,)), "beta": rand(rng, (6,))},
                lambda x, gamma, beta: F.layer_norm(x, (6,), gamma, beta, eps=1e-12)),
        op_case(rng, "softmax", {"x": rand(rng, (3, 5), 2.0)}, lambda x: torch.softmax(x, -1)),
        op_case(rng, "reshape_transpose", {"x": rand(rng, (6, 4))},
                lambda x: x.reshape(2, 3, 2, 2).permute(0, 2, 3, 1)),
        op_case(rng, "gather", {"x": rand(rng, (2, 4, 3))}, lambda x: x[:, 2, :]),
        op_case(rng, "cross_entropy",
                {"z": rand(rng, (3, 3), 2.0), "t": onehot,
                 "w": torch.tensor([0.5, 0.2, 0.3])},
                lambda z, t, w: -(w * (t * torch.log_softmax(z, -1)).sum(-1)).sum(),
                grad_of=["z"]),
    ]


def legacy_names(layer_index: int, layer) -> dict:
    """Modules of a transformers-5 ViTLayer under the checkpoint (HF legacy) names."""
    p = f"vit.encoder.layer.{layer_index}"
    a = layer.attention
    return {
        f"{p}.layernorm_before": layer.layernorm_before,
        f"{p}.layernorm_after": layer.layernorm_after,
        f"{p}.attention.attention.query": a.q_proj,
        f"{p}.attention.attention.key": a.k_proj,
        f"{p}.attention.attention.value": a.v_proj,
        f"{p}.attention.output.dense": a.o_proj,
        f"{p}.intermediate.dense": layer.mlp.fc1,
        f"{p}.output.dense": layer.mlp.fc2,
    }


def top_model(rng, dtype):
    config = ViTConfig(
        hidden_size=TOP["hidden"], num_hidden_layers=12, num_attention_heads=TOP["heads"],
        intermediate_size=TOP["intermediate"], image_size=16, patch_size=8, num_channels=1,
        num_labels=TOP["labels"], attn_implementation="eager",
    )
    model = ViTForImageClassification(config).eval()
    modules = {}
    for i in TOP["layers"]:
        modules.update(legacy_names(i, model.vit.layers[i]))
    modules["vit.layernorm"] = model.vit.layernorm
    modules["classifier"] = model.classifier
    params = {}
    # Weights drawn at a scale where every block matters (not the 0.02 init).
    for name, module in modules.items():
        for kind in ("weight", "bias"):
            t = getattr(module, kind)
            value = rand(rng, tuple(t.shape), 0.5)
            if isinstance(module, torch.nn.LayerNorm) and kind == "weight":
                value = 1.0 + value * 0.2
            with torch.no_grad():
                t.copy_(value)
            params[f"{name}.{kind}"] = t
    model = model.to(dtype)
    return model, params


def top_forward(model, hidden):
    x = hidden
    for i in TOP["layers"]:
        x = model.vit.layers[i](x)
    return model.classifier(model.vit.layernorm(x)[:, 0, :])


def top_case(rng) -> dict:
    b, t, h, c = TOP["batch"], TOP["tokens"], TOP["hidden"], TOP["labels"]
    model, params = top_model(rng, torch.float64)
    hidden32 = rand(rng, (b, t, h))
    labels = torch.tensor([0, 2, 1])
    target = F.one_hot(labels, c).to(torch.float32)
    weight = torch.full((b,), 1.0 / b)
    hidden = hidden32.to(torch.float64).requires_grad_(True)
    logits = top_forward(model, hidden)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    grads = {k: tensor_json(p.grad) for k, p in params.items()}
    grads["hidden"] = tensor_json(hidden.grad)
    return {
        "name": "vit_top",
        "config": TOP,
        "inputs": {"hidden": tensor_json(hidden32), "target": tensor_json(target),
                   "weight": tensor_json(weight),
                   **{k: tensor_json(p.to(torch.float32)) for k, p in params.items()}},
        "loss": float(loss.detach()),
        "logits": tensor_json(logits),
        "grads": grads,
    }


def adamw_case(rng, top: dict) -> dict:
    """One torch.optim.AdamW step (float32) from warm moments, on the vit_top case."""
    model, params = top_model(np.random.default_rng(0), torch.float32)
    with torch.no_grad():
        for k, p in params.items():
            p.copy_(torch.tensor(top["inputs"][k]["data"]).reshape(p.shape))
    decay = [p for k, p in params.items() if k.endswith(".weight") and p.dim() == 2]
    no_decay = [p for k, p in params.items() if not (k.endswith(".weight") and p.dim() == 2)]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": ADAM["weight_decay"]},
         {"params": no_decay, "weight_decay": 0.0}],
        lr=ADAM["lr"], betas=ADAM["betas"], eps=ADAM["eps"], foreach=False,
    )
    exp_avg, exp_avg_sq = {}, {}
    for k, p in params.items():
        exp_avg[k] = rand(rng, tuple(p.shape), 0.01)
        exp_avg_sq[k] = rand(rng, tuple(p.shape), 0.01) ** 2
        opt.state[p] = {"step": torch.tensor(float(ADAM["step"] - 1)),
                        "exp_avg": exp_avg[k].clone(), "exp_avg_sq": exp_avg_sq[k].clone()}
    hidden = torch.tensor(top["inputs"]["hidden"]["data"]).reshape(top["inputs"]["hidden"]["shape"])
    labels = torch.tensor([0, 2, 1])
    loss = F.cross_entropy(top_forward(model, hidden), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return {
        "name": "adamw_step",
        "adam": {**ADAM, "betas": list(ADAM["betas"])},
        "exp_avg": {k: tensor_json(v) for k, v in exp_avg.items()},
        "exp_avg_sq": {k: tensor_json(v) for k, v in exp_avg_sq.items()},
        "loss": float(loss.detach()),
        "next": {k: tensor_json(p) for k, p in params.items()},
        "next_exp_avg": {k: tensor_json(opt.state[p]["exp_avg"]) for k, p in params.items()},
        "next_exp_avg_sq": {k: tensor_json(opt.state[p]["exp_avg_sq"]) for k, p in params.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    args = parser.parse_args()
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    cases = op_cases(rng)
    top = top_case(rng)
    cases.append(top)
    cases.append(adamw_case(rng, top))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {"generator": "tools/reference/grad_golden.py", "seed": SEED,
           "torch": torch.__version__, "cases": cases}
    args.out.write_text(json.dumps(doc) + "\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
