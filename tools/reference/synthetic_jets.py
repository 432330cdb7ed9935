"""Synthetic jets in the JetClass schema, for small test files and reference numbers.

A jet is made of one to three prongs (narrow sprays of constituents around prong axes) plus
soft radiation spread over the jet cone. The kinematics follow the JetClass conventions:
part_deta = (eta - jet_eta) * sign(jet_eta), part_dphi = phi - jet_phi wrapped to [-pi, pi),
constituents sorted by descending pT, jet_* from the summed four-vector.
"""

import numpy as np

PION_MASS = 0.13957

# process name -> (label branch, number of prongs, truth code, resonance PDG id)
PROCESSES = {
    "ZJetsToNuNu": ("label_QCD", 1, 50, 0),
    "HToBB": ("label_Hbb", 2, 41, 25),
    "HToCC": ("label_Hcc", 2, 42, 25),
    "TTBar": ("label_Tbqq", 3, 11, 6),
    "WToQQ": ("label_Wqq", 2, 22, 24),
}

LABELS_FLOAT = ["label_QCD"]
LABELS_BOOL = ["label_Hbb", "label_Hcc", "label_Hgg", "label_H4q", "label_Hqql"]
LABELS_INT = ["label_Zqq", "label_Wqq", "label_Tbqq", "label_Tbl"]
LABELS = LABELS_FLOAT + LABELS_BOOL + LABELS_INT

PART_FLOAT = ["px", "py", "pz", "energy", "deta", "dphi", "d0val", "d0err", "dzval", "dzerr",
              "charge"]
PART_INT = ["isChargedHadron", "isNeutralHadron", "isPhoton", "isElectron", "isMuon"]


def wrap_phi(phi):
    """Wrap an azimuth to [-pi, pi)."""
    return (phi + np.pi) % (2 * np.pi) - np.pi


def synth_jet(rng, n_prongs, n_constituents):
    """One jet as a dict of per-constituent float64 arrays plus jet-level values."""
    jet_pt = rng.uniform(550.0, 950.0)
    jet_eta = rng.uniform(-1.9, 1.9)
    jet_phi = rng.uniform(-np.pi, np.pi)

    # prong axes around the jet axis; the first prong is the hardest
    if n_prongs == 1:
        offsets = np.zeros((1, 2))
    else:
        radius = rng.uniform(0.15, 0.45, n_prongs)
        angle = rng.uniform(0, 2 * np.pi) + np.arange(n_prongs) * 2 * np.pi / n_prongs
        offsets = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    fractions = np.sort(rng.dirichlet([4.0] * n_prongs))[::-1]

    # 85% of the constituents in prongs, the rest soft and wide
    n_soft = max(2, int(0.15 * n_constituents))
    n_core = n_constituents - n_soft
    per_prong = np.maximum(3, np.round(fractions * n_core).astype(int))
    deta, dphi, pt = [], [], []
    for k in range(n_prongs):
        w = rng.exponential(1.0, per_prong[k]) ** 2
        pt.append(0.95 * jet_pt * fractions[k] * w / w.sum())
        deta.append(offsets[k, 0] + rng.normal(0, 0.03, per_prong[k]))
        dphi.append(offsets[k, 1] + rng.normal(0, 0.03, per_prong[k]))
    r = 0.75 * np.sqrt(rng.uniform(0, 1, n_soft))
    a = rng.uniform(0, 2 * np.pi, n_soft)
    w = rng.exponential(1.0, n_soft)
    pt.append(0.05 * jet_pt * w / w.sum())
    deta.append(r * np.cos(a))
    dphi.append(r * np.sin(a))
    pt, deta, dphi = (np.concatenate(x) for x in (pt, deta, dphi))

    eta = jet_eta + deta
    phi = wrap_phi(jet_phi + dphi)
    charge = rng.choice([-1.0, 0.0, 1.0], size=pt.size, p=[0.3, 0.4, 0.3])
    mass = np.where(charge != 0, PION_MASS, 0.0)
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    energy = np.sqrt(px**2 + py**2 + pz**2 + mass**2)

    # jet axis from the summed four-vector, then the JetClass relative coordinates
    jpx, jpy, jpz, je = px.sum(), py.sum(), pz.sum(), energy.sum()
    jpt = np.hypot(jpx, jpy)
    jeta = np.arcsinh(jpz / jpt)
    jphi = np.arctan2(jpy, jpx)
    sign = 1.0 if jeta > 0 else -1.0
    order = np.argsort(-pt, kind="stable")

    neutral = charge == 0
    photon = neutral & (rng.uniform(0, 1, pt.size) < 0.6)
    electron = (~neutral) & (rng.uniform(0, 1, pt.size) < 0.03)
    muon = (~neutral) & (~electron) & (rng.uniform(0, 1, pt.size) < 0.03)
    d0err = np.where(neutral, 0.0, rng.uniform(0.01, 0.3, pt.size))
    dzerr = np.where(neutral, 0.0, rng.uniform(0.01, 0.3, pt.size))
    part = {
        "px": px, "py": py, "pz": pz, "energy": energy,
        "deta": (eta - jeta) * sign, "dphi": wrap_phi(phi - jphi),
        "d0val": np.where(neutral, 0.0, rng.normal(0, 1, pt.size) * d0err),
        "d0err": d0err,
        "dzval": np.where(neutral, 0.0, rng.normal(0, 1, pt.size) * dzerr),
        "dzerr": dzerr,
        "charge": charge,
        "isChargedHadron": ((~neutral) & ~electron & ~muon).astype(np.int32),
        "isNeutralHadron": (neutral & ~photon).astype(np.int32),
        "isPhoton": photon.astype(np.int32),
        "isElectron": electron.astype(np.int32),
        "isMuon": muon.astype(np.int32),
    }
    part = {k: v[order] for k, v in part.items()}
    jet = {"jet_pt": jpt, "jet_eta": jeta, "jet_phi": jphi, "jet_energy": je,
           "jet_nparticles": float(pt.size)}
    return part, jet


def synth_sample(rng, process, n_jets, n_min=20, n_max=40):
    """n_jets jets of one process as column lists, ready for uproot."""
    label, n_prongs, truth, pid = PROCESSES[process]
    parts, jets = [], []
    for _ in range(n_jets):
        part, jet = synth_jet(rng, n_prongs, int(rng.integers(n_min, n_max + 1)))
        parts.append(part)
        jets.append(jet)

    columns = {"part": {k: [p[k] for p in parts] for k in PART_FLOAT + PART_INT}}
    for key in jets[0]:
        columns[key] = np.array([j[key] for j in jets], dtype=np.float32)
    for name in LABELS:
        columns[name] = np.full(n_jets, 1 if name == label else 0)

    # the matched resonance, near the jet axis; all zero for QCD as in JetClass
    signal = pid != 0
    columns["aux_genpart_pt"] = np.array([j["jet_pt"] * 1.02 if signal else 0 for j in jets])
    columns["aux_genpart_eta"] = np.array([j["jet_eta"] + 0.01 if signal else 0 for j in jets])
    columns["aux_genpart_phi"] = np.array([j["jet_phi"] - 0.01 if signal else 0 for j in jets])
    columns["aux_genpart_pid"] = np.full(n_jets, float(pid))
    columns["aux_truth_match"] = np.full(n_jets, float(truth))
    return columns
