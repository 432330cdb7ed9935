"""(c) Physics of the committed sample in data/jetclass-sample."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jetsim import manifest, validate

SAMPLE_CLASSES = ("TTBar", "ZJetsToNuNu", "HToBB", "HToCC")


@pytest.fixture(scope="module")
def sample(sample_dir):
    files = validate.find_files(sample_dir)
    assert set(files) == set(SAMPLE_CLASSES)
    return {process: validate.observables(paths) for process, paths in files.items()}


def _peak(values, name):
    _, value_range, bins = validate.OBSERVABLES[name]
    return validate.peak_position(values, value_range, bins)


def test_manifest_matches_files(sample_dir):
    data = json.loads((sample_dir / "manifest.json").read_text())
    for entry in data["files"]:
        path = sample_dir / entry["file"]
        assert manifest.file_sha256(path) == entry["sha256"], entry["file"]
        assert entry["jets"] >= 1000
    assert data["total_bytes"] < 15e6


def test_top_mass_peak(sample):
    assert 160.0 <= _peak(sample["TTBar"]["sdmass"], "sdmass") <= 185.0


@pytest.mark.parametrize("process", ["HToBB", "HToCC"])
def test_higgs_mass_peak(sample, process):
    assert 110.0 <= _peak(sample[process]["sdmass"], "sdmass") <= 135.0


def test_qcd_mass_falls_from_a_low_peak(sample):
    mass = sample["ZJetsToNuNu"]["sdmass"]
    assert _peak(mass, "sdmass") < 60.0
    assert np.median(mass) < 80.0
    counts, _ = np.histogram(mass, bins=6, range=(0.0, 300.0))
    assert counts[0] > counts[2] > counts[5]


def test_top_jets_are_three_pronged(sample):
    top, qcd = sample["TTBar"]["tau32"], sample["ZJetsToNuNu"]["tau32"]
    assert np.mean(top) < np.mean(qcd) - 0.1


def test_higgs_jets_are_two_pronged(sample):
    assert np.mean(sample["HToBB"]["tau21"]) < np.mean(sample["ZJetsToNuNu"]["tau21"]) - 0.1


def test_hbb_and_hcc_alike_in_mass_but_not_in_displacement(sample):
    bb, cc = sample["HToBB"], sample["HToCC"]
    assert abs(np.median(bb["sdmass"]) - np.median(cc["sdmass"])) < 10.0
    # b hadrons fly further (c tau ~ 0.45 mm) than charm hadrons (~0.03-0.3 mm).
    assert np.mean(bb["d0sig_tracks"]) > 1.3 * np.mean(cc["d0sig_tracks"])
    assert np.mean(bb["abs_d0_tracks_mm"]) > np.mean(cc["abs_d0_tracks_mm"])


def test_jet_window(sample):
    for process in SAMPLE_CLASSES:
        pt = sample[process]["pt"]
        assert pt.min() > 500.0 and pt.max() < 1000.0
