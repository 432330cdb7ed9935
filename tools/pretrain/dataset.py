"""Reads JetClass-layout ROOT files (as tools/jetsim writes them) into jet images."""

import pathlib

import awkward as ak
import numpy as np
import uproot

from jet_images import jet_image

BRANCHES = ["part_deta", "part_dphi", "part_px", "part_py"]


def class_files(data_dir: pathlib.Path, process: str) -> list:
    files = sorted(data_dir.glob(f"{process}_*.root"))
    if not files:
        raise FileNotFoundError(f"no {process}_*.root files in {data_dir}")
    return files


def load_class(data_dir: pathlib.Path, process: str, pixels: int, limit: int) -> np.ndarray:
    """Up to `limit` jet images `[n, 1, pixels, pixels]` of one process, in file order."""
    images = []
    for path in class_files(data_dir, process):
        with uproot.open(path) as f:
            arrays = f["tree"].arrays(BRANCHES, library="ak")
        for deta, dphi, px, py in zip(arrays["part_deta"], arrays["part_dphi"],
                                      arrays["part_px"], arrays["part_py"]):
            # pT in float64, stored as float32: what JetLens's ROOT reader hands the builder.
            pt = np.hypot(ak.to_numpy(px).astype(np.float64), ak.to_numpy(py).astype(np.float64))
            images.append(jet_image(ak.to_numpy(deta), ak.to_numpy(dphi),
                                    pt.astype(np.float32), pixels))
            if len(images) == limit:
                return np.stack(images)
    return np.stack(images)
