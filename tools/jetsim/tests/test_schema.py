"""(a) Files written by jetsim have JetClass's branch names, types and conventions."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from jetsim import schema
from jetsim.processes import LABELS, PROCESSES

# What particle_transformer's JetClass configs (data/JetClass/JetClass_full.yaml) read.
PARTICLE_TRANSFORMER_INPUTS = (
    [f"part_{name}" for name in (
        "px", "py", "pz", "energy", "deta", "dphi", "d0val", "d0err", "dzval", "dzerr",
        "charge", "isChargedHadron", "isNeutralHadron", "isPhoton", "isElectron", "isMuon")]
    + [f"label_{name}" for name in LABELS]
    + ["jet_pt", "jet_eta", "jet_phi", "jet_energy", "jet_nparticles", "jet_sdmass",
       "jet_tau1", "jet_tau2", "jet_tau3", "jet_tau4"]
    + ["aux_genpart_eta", "aux_genpart_phi", "aux_genpart_pid", "aux_genpart_pt",
       "aux_truth_match"]
)


def _tree(folder, process):
    return uproot.open(folder / f"{process}_000.root")[schema.TREE_NAME]


def test_branch_list_is_jetclass_plus_documented_extras(tiny_dir):
    tree = _tree(tiny_dir, "TTBar")
    names = set(tree.keys())
    assert set(PARTICLE_TRANSFORMER_INPUTS) <= names
    assert len(schema.JETCLASS_BRANCHES) == 41
    assert names == set(schema.JETCLASS_BRANCHES) | set(schema.EXTRA_BRANCHES)


@pytest.mark.parametrize("process", list(PROCESSES))
def test_branch_types(tiny_dir, process):
    tree = _tree(tiny_dir, process)
    assert tree.num_entries == 3
    for name, dtype in {**schema.JETCLASS_BRANCHES, **schema.EXTRA_BRANCHES}.items():
        interpretation = tree[name].interpretation
        jagged = name.startswith(schema.JAGGED_PREFIXES)
        assert isinstance(interpretation, uproot.AsJagged) == jagged, name
        content = interpretation.content if jagged else interpretation
        assert content.to_dtype == np.dtype(dtype), (name, content.to_dtype, dtype)


@pytest.mark.parametrize("process", list(PROCESSES))
def test_labels_are_one_hot_for_the_process(tiny_dir, process):
    data = _tree(tiny_dir, process).arrays(library="np")
    expected = PROCESSES[process].label
    for label in LABELS:
        values = data[f"label_{label}"].astype(np.float64)
        assert np.all(values == (1.0 if label == expected else 0.0)), label
    codes = set(data["aux_truth_match"].astype(int))
    assert codes <= set(PROCESSES[process].accepted_codes)


@pytest.mark.parametrize("process", ["TTBar", "ZJetsToNuNu", "HToBB", "HToWW2Q1L"])
def test_particle_conventions(tiny_dir, process):
    data = _tree(tiny_dir, process).arrays()
    n = ak.num(data["part_px"])
    assert ak.all(n == data["jet_nparticles"])
    assert ak.all(n == data["npart"])

    pt = np.hypot(data["part_px"], data["part_py"])
    assert ak.all(pt[:, :-1] >= pt[:, 1:]), "constituents are sorted by descending pT"

    # deta = (eta - jet_eta) * sign(jet_eta) and dphi wrapped into [-pi, pi).
    eta = np.arcsinh(data["part_pz"] / pt)
    phi = np.arctan2(data["part_py"], data["part_px"])
    sign = np.where(data["jet_eta"] > 0, 1.0, -1.0)
    assert ak.all(abs(data["part_deta"] - (eta - data["jet_eta"]) * sign) < 1e-3)
    dphi = (phi - data["jet_phi"] + np.pi) % (2 * np.pi) - np.pi
    assert ak.all(abs(data["part_dphi"] - dphi) < 1e-3)
    assert ak.all((data["part_dphi"] >= -np.pi) & (data["part_dphi"] < np.pi))
    # FastJet measures distances in rapidity, so a soft massive hadron can sit beyond
    # Delta R = 0.8 in pseudorapidity; almost all constituents lie inside.
    distance = ak.flatten(np.hypot(data["part_deta"], data["part_dphi"]))
    assert np.mean(distance < 0.8) > 0.97

    flags = sum(data[f"part_{name}"] for name in schema.PART_FLAG_FIELDS)
    assert ak.all(flags <= 1), "particle-ID flags are exclusive"
    neutral = data["part_charge"] == 0
    for name in ("d0val", "d0err", "dzval", "dzerr"):
        assert ak.all(data[f"part_{name}"][neutral] == 0), name
    assert ak.all(data["part_d0err"][~neutral] > 0)

    assert ak.all((data["jet_pt"] > 500) & (data["jet_pt"] < 1000))
    assert ak.all(abs(data["jet_eta"]) < 2)
    assert ak.all(data["jet_sdmass"] <= np.sqrt(
        data["jet_energy"] ** 2 - data["jet_pt"] ** 2 * np.cosh(data["jet_eta"]) ** 2) + 1.0)


def test_truth_prongs_of_top_and_qcd(tiny_dir):
    top = _tree(tiny_dir, "TTBar").arrays()
    assert ak.all(top["naux_prong"] == 3)
    assert ak.all(abs(top["aux_prong_pid"][:, 0]) == 5), "the b comes first"
    assert ak.all(np.hypot(top["aux_prong_deta"], top["aux_prong_dphi"]) < 0.8)
    assert ak.all(abs(top["aux_genpart_pid"]) == 6)

    qcd = _tree(tiny_dir, "ZJetsToNuNu").arrays()
    assert ak.all(qcd["naux_prong"] <= 1)
    assert ak.all(qcd["aux_genpart_pt"] == 0)
    assert ak.all(qcd["aux_truth_match"] == 50)


@pytest.mark.parametrize("process", ["TTBar", "HToBB"])
def test_reads_like_particle_transformer_dataloader(tiny_dir, process):
    # The steps of particle_transformer's dataloader.read_file: the whole tree into
    # awkward, vector 4-momenta, zero-padded particle arrays, one-hot labels.
    import vector

    vector.register_awkward()
    table = _tree(tiny_dir, process).arrays()
    p4 = vector.zip({"px": table["part_px"], "py": table["part_py"],
                     "pz": table["part_pz"], "energy": table["part_energy"]})
    table["part_pt"] = p4.pt
    table["part_eta"] = p4.eta
    padded = [
        ak.to_numpy(ak.values_astype(ak.fill_none(ak.pad_none(table[name], 128, clip=True),
                                                  0), "float32"))
        for name in ("part_pt", "part_eta", "part_deta", "part_d0val", "part_isPhoton")
    ]
    x_particles = np.stack(padded, axis=1)
    assert x_particles.shape == (3, 5, 128)
    y = np.stack([ak.to_numpy(table[f"label_{name}"]).astype(int) for name in LABELS],
                 axis=1)
    assert np.all(y.sum(axis=1) == 1)
    assert np.all(y.argmax(axis=1) == LABELS.index(PROCESSES[process].label))
