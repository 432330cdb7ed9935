"""Validation: per-class distributions of jet observables, as PNG plots and JSON numbers."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from . import schema

FILE_PATTERN = re.compile(r"^(?P<process>[A-Za-z0-9]+)_(?P<index>\d{3})\.root$")

# Observable -> (axis label, histogram range, bin count). Peak positions are read from
# these histograms after a 3-bin moving average, so they do not chase single-bin noise.
OBSERVABLES: dict[str, tuple[str, tuple[float, float], int]] = {
    "sdmass": ("soft-drop mass [GeV]", (0.0, 300.0), 60),
    "pt": ("jet pT [GeV]", (450.0, 1050.0), 60),
    "nparticles": ("particle multiplicity", (0.0, 150.0), 50),
    "tau21": ("tau2 / tau1", (0.0, 1.2), 48),
    "tau32": ("tau3 / tau2", (0.0, 1.2), 48),
    "d0sig_tracks": ("tracks with |d0| / sigma(d0) > 3 per jet", (0.0, 20.0), 20),
}
QUANTILES = (0.05, 0.16, 0.25, 0.5, 0.75, 0.84, 0.95)

BRANCHES = (
    "jet_sdmass", "jet_pt", "jet_nparticles", "jet_tau1", "jet_tau2", "jet_tau3",
    "part_d0val", "part_d0err", "part_charge",
)


def find_files(folder: Path) -> dict[str, list[Path]]:
    """``<Process>_<NNN>.root`` files of a folder, grouped by process, in index order."""
    grouped: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(folder.iterdir()):
        match = FILE_PATTERN.match(path.name)
        if match:
            grouped[match["process"]].append(path)
    if not grouped:
        raise FileNotFoundError(f"no <Process>_<NNN>.root files in {folder}")
    return dict(grouped)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator > 0)


def observables(paths: list[Path]) -> dict[str, np.ndarray]:
    """Per-jet observables of one class, read from its files."""
    arrays = [uproot.open(path)[schema.TREE_NAME].arrays(BRANCHES) for path in paths]
    data = ak.concatenate(arrays)
    tau1, tau2, tau3 = (ak.to_numpy(data[f"jet_tau{n}"]).astype(np.float64) for n in (1, 2, 3))
    charged = data["part_charge"] != 0
    significance = np.abs(data["part_d0val"][charged]) / data["part_d0err"][charged]
    return {
        "sdmass": ak.to_numpy(data["jet_sdmass"]).astype(np.float64),
        "pt": ak.to_numpy(data["jet_pt"]).astype(np.float64),
        "nparticles": ak.to_numpy(data["jet_nparticles"]).astype(np.float64),
        "tau21": _ratio(tau2, tau1),
        "tau32": _ratio(tau3, tau2),
        "d0sig_tracks": ak.to_numpy(ak.sum(significance > 3.0, axis=1)).astype(np.float64),
        "abs_d0_tracks_mm": ak.to_numpy(ak.fill_none(ak.mean(
            np.abs(data["part_d0val"][charged]), axis=1), 0.0)).astype(np.float64),
    }


def peak_position(values: np.ndarray, value_range: tuple[float, float], bins: int) -> float:
    counts, edges = np.histogram(values, bins=bins, range=value_range)
    smoothed = np.convolve(counts, np.ones(3) / 3.0, mode="same")
    centre = 0.5 * (edges[:-1] + edges[1:])
    return float(centre[int(np.argmax(smoothed))])


def describe(values: np.ndarray, name: str) -> dict[str, float]:
    values = values[np.isfinite(values)]
    stats = {
        "n": int(len(values)),
        "mean": float(np.mean(values)),
        "std": float(np.std(values)),
        "median": float(np.median(values)),
        "quantiles": {f"{q:.2f}": float(np.quantile(values, q)) for q in QUANTILES},
    }
    if name in OBSERVABLES:
        _, value_range, bins = OBSERVABLES[name]
        stats["peak"] = peak_position(values, value_range, bins)
    return stats


def plot(per_class: dict[str, dict[str, np.ndarray]], out_dir: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for name, (label, value_range, bins) in OBSERVABLES.items():
        figure, axes = plt.subplots(figsize=(6.4, 4.4))
        for process, values in per_class.items():
            axes.hist(values[name], bins=bins, range=value_range, density=True,
                      histtype="step", linewidth=1.5, label=f"{process} ({len(values[name])})")
        axes.set_xlabel(label)
        axes.set_ylabel("density")
        axes.legend(fontsize=8)
        figure.tight_layout()
        filename = f"{name}.png"
        figure.savefig(out_dir / filename, dpi=100)
        plt.close(figure)
        written.append(filename)
    return written


def validate(input_dir: Path, out_dir: Path) -> dict:
    """Write ``report.json`` and one PNG per observable into ``out_dir``; return the report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = find_files(input_dir)
    per_class = {process: observables(paths) for process, paths in files.items()}
    report = {
        "input": str(input_dir),
        "files": {process: [p.name for p in paths] for process, paths in files.items()},
        "classes": {
            process: {name: describe(values, name) for name, values in obs.items()}
            for process, obs in per_class.items()
        },
    }
    report["plots"] = plot(per_class, out_dir)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def format_report(report: dict) -> str:
    lines = [f"{'process':<12} {'jets':>6} {'mSD peak':>9} {'mSD median':>11} "
             f"{'tau21':>6} {'tau32':>6} {'npart':>6} {'d0sig>3':>8}"]
    for process, stats in report["classes"].items():
        lines.append(
            f"{process:<12} {stats['sdmass']['n']:>6} {stats['sdmass']['peak']:>9.1f} "
            f"{stats['sdmass']['median']:>11.1f} {stats['tau21']['mean']:>6.3f} "
            f"{stats['tau32']['mean']:>6.3f} {stats['nparticles']['mean']:>6.1f} "
            f"{stats['d0sig_tracks']['mean']:>8.2f}")
    return "\n".join(lines)
