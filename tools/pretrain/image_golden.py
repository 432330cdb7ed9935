"""Golden jet images from tools/pretrain's numpy builder, for JetLens's TypeScript builder to match.

    tools/.venv-torch/bin/python tools/pretrain/image_golden.py ROOT_FILE \
        packages/core/test/golden/train/pretrain_images.safetensors

Stores the constituents of the first 16 jets of ROOT_FILE (px, py, pz, energy, pt, deta, dphi
as float32, per jet) and the 32 x 32 images jet_images.jet_image makes of them, so the
TypeScript test rebuilds the same images from the same numbers without the ROOT file.
"""

import argparse
import pathlib
import sys

import awkward as ak
import numpy as np
import uproot
from safetensors.numpy import save_file

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from jet_images import jet_image  # noqa: E402

JETS = 16
PIXELS = 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root_file", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    args = parser.parse_args()
    with uproot.open(args.root_file) as f:
        a = f["tree"].arrays(["part_px", "part_py", "part_pz", "part_energy", "part_deta",
                              "part_dphi"], entry_stop=JETS, library="ak")
    tensors, images = {}, []
    for i in range(JETS):
        px, py = ak.to_numpy(a["part_px"][i]), ak.to_numpy(a["part_py"][i])
        pt = np.hypot(px.astype(np.float64), py.astype(np.float64)).astype(np.float32)
        cols = {"px": px, "py": py, "pz": ak.to_numpy(a["part_pz"][i]),
                "energy": ak.to_numpy(a["part_energy"][i]), "pt": pt,
                "deta": ak.to_numpy(a["part_deta"][i]), "dphi": ak.to_numpy(a["part_dphi"][i])}
        for key, value in cols.items():
            tensors[f"jet{i}.{key}"] = np.ascontiguousarray(value, dtype=np.float32)
        images.append(jet_image(cols["deta"], cols["dphi"], pt, PIXELS))
    tensors["images"] = np.stack(images)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(args.out), metadata={"source": args.root_file.name,
                                                "generator": "tools/pretrain/image_golden.py"})
    print(f"wrote {JETS} jets to {args.out}")


if __name__ == "__main__":
    main()
