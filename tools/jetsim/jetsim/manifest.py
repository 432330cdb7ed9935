"""manifest.json: what was generated, how, with which versions, and file checksums."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from . import __version__, detector, generate, schema
from .processes import COMMON_SETTINGS, get_process

PACKAGES = ("pythia8mc", "fastjet", "uproot", "awkward", "numpy", "cramjam", "xxhash")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "jetsim": __version__}
    for name in PACKAGES:
        versions[name] = importlib.metadata.version(name)
    return versions


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_sha256(path: Path) -> str:
    """Hash of the branch values (not the bytes, which carry uproot's timestamps and UUID).

    Two runs with the same seed give the same content hash.
    """
    digest = hashlib.sha256()
    tree = uproot.open(path)[schema.TREE_NAME]
    for name in sorted(tree.keys()):
        array = tree[name].array(library="ak")
        for buffer in (ak.to_numpy(ak.flatten(array, axis=None)),
                       ak.to_numpy(ak.num(array)) if array.ndim > 1 else np.zeros(0)):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(buffer).tobytes())
    return digest.hexdigest()


def build_manifest(command: list[str], results: list[generate.ChunkResult],
                   out_dir: Path, seed: int, config: detector.DetectorConfig,
                   mantissa_bits: int | None) -> dict:
    summary = generate.summarise(results)
    processes = {}
    for name in summary:
        process = get_process(name)
        processes[name] = {
            "label": process.label,
            "description": process.description,
            "accepted_truth_codes": sorted(process.accepted_codes),
            "pythia_settings": [list(COMMON_SETTINGS) + list(v) for v in process.variants],
            **{k: v for k, v in summary[name].items() if k != "files"},
        }
    files = []
    for result in sorted(results, key=lambda r: (r.process, r.chunk)):
        path = out_dir / result.file
        files.append({
            "file": result.file,
            "process": result.process,
            "jets": result.jets,
            "events": result.events,
            "pythia_seeds": result.pythia_seeds,
            "detector_seed": result.detector_seed,
            "sigma_gen_mb": result.sigma_gen_mb,
            "jets_per_truth_code": result.jets_per_truth_code,
            "bytes": path.stat().st_size,
            "sha256": file_sha256(path),
            "content_sha256": content_sha256(path),
        })
    return {
        "generator": "jetsim",
        "command": command,
        "master_seed": seed,
        "seed_derivation": "sha256('jetsim:{seed}:{process}:{chunk}:{variant}') mod 9e8 + 1; "
                           "variant 99 seeds the detector response",
        "versions": package_versions(),
        "jets": {
            "algorithm": "anti-kT", "R": generate.JET_R,
            "pt_min_gev": generate.JET_PT_MIN, "pt_max_gev": generate.JET_PT_MAX,
            "abs_eta_max": generate.JET_ABS_ETA_MAX,
            "soft_drop": generate.SOFT_DROP, "nsubjettiness": generate.NSUBJETTINESS,
        },
        "detector": {"tracking_efficiency": config.tracking_efficiency,
                     "smear": config.smear, "float_mantissa_bits": mantissa_bits},
        "processes": processes,
        "files": files,
        "total_bytes": sum(entry["bytes"] for entry in files),
    }


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=2) + "\n")
