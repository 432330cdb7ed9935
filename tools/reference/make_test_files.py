"""Write the small ROOT files that JetLens' reader tests use, and large ones for benchmarks.

    python make_test_files.py OUTDIR            # the committed test fixtures
    python make_test_files.py --large FILE --jets 100000 [--compression lz4]

Every file has the JetClass layout that uproot can write: one TTree `tree`, a shared counter
`npart` and `part_*[npart]` leaf-count arrays (uproot cannot write std::vector<float>
TBranchElements), scalar jet_*, label_* (mixed float/bool/int32 as in JetClass) and aux_*
branches. The bad-input files each break exactly one thing.
"""

import argparse
import pathlib

import awkward as ak
import numpy as np
import uproot

import substructure
import synthetic_jets as sj

COMPRESSIONS = {
    "zlib": lambda: uproot.ZLIB(4),
    "lz4": lambda: uproot.LZ4(4),
    "zstd": lambda: uproot.ZSTD(4),
    "lzma": lambda: uproot.LZMA(4),
}


def add_substructure(columns):
    """jet_sdmass and jet_tau1..4 from FastJet, configured as Delphes does for JetClass."""
    n = len(columns["jet_pt"])
    parts = [{k: np.asarray(columns["part"][k][i]) for k in ("px", "py", "pz", "energy")}
             for i in range(n)]
    columns["jet_sdmass"] = substructure.softdrop_mass(parts).astype(np.float32)
    taus = substructure.nsubjettiness(parts)
    for k in range(4):
        columns[f"jet_tau{k + 1}"] = np.asarray(taus[:, k], dtype=np.float32)
    return columns


def to_branches(columns, drop=()):
    """Column lists -> the arrays uproot writes, with JetClass' branch types."""
    part = {}
    for k in sj.PART_FLOAT:
        part[k] = ak.values_astype(ak.Array(columns["part"][k]), np.float32)
    for k in sj.PART_INT:
        part[k] = ak.values_astype(ak.Array(columns["part"][k]), np.int32)
    branches = {"part": ak.zip({k: v for k, v in part.items() if f"part_{k}" not in drop})}
    for key, values in columns.items():
        if key == "part" or key in drop:
            continue
        if key in sj.LABELS_BOOL:
            branches[key] = np.asarray(values).astype(bool)
        elif key in sj.LABELS_INT:
            branches[key] = np.asarray(values).astype(np.int32)
        else:
            branches[key] = np.asarray(values).astype(np.float32)
    return branches


def write(path, branches, compression="lz4", tree="tree", chunk=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    with uproot.recreate(path, compression=COMPRESSIONS[compression]()) as f:
        types = {k: (v.type if isinstance(v, ak.Array) else v.dtype) for k, v in branches.items()}
        t = f.mktree(tree, types)
        n = len(branches["jet_pt"])
        step = chunk or n
        for start in range(0, n, step):
            t.extend({k: v[start:start + step] for k, v in branches.items()})
    print(f"{path}: {path.stat().st_size} bytes")


def sample(seed, process, n_jets, n_min=20, n_max=40):
    rng = np.random.default_rng(seed)
    return add_substructure(sj.synth_sample(rng, process, n_jets, n_min, n_max))


def write_fixtures(out):
    # the reference sample: one file per JetClass process name, LZ4 as JetClass uses
    write(out / "jetclass" / "HToBB_120.root", to_branches(sample(1, "HToBB", 6)))

    # one content, four compressions
    ttbar = to_branches(sample(2, "TTBar", 5))
    for name in COMPRESSIONS:
        write(out / "compression" / name / "TTBar_000.root", ttbar, compression=name)

    # the jets that FastJet and EnergyFlow reference numbers are made from: 1, 2, 3 prongs
    mixed = {}
    for i, process in enumerate(["ZJetsToNuNu", "HToBB", "TTBar"]):
        cols = sample(10 + i, process, 3, 30, 90)
        for key, values in cols.items():
            if key == "part":
                part = mixed.setdefault("part", {k: [] for k in values})
                for k in values:
                    part[k].extend(values[k])
            else:
                mixed[key] = np.concatenate([mixed.get(key, np.zeros(0)), values])
    write(out / "golden-jets.root", to_branches(mixed))

    bad = out / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "not-root.root").write_text("jet_pt,jet_eta\n612.0,0.3\n")

    good = to_branches(sample(3, "HToBB", 3, 8, 12))
    write(bad / "no-tree.root", good, tree="events")
    write(bad / "missing-branch.root", to_branches(sample(3, "HToBB", 3, 8, 12),
                                                   drop=("part_deta",)))

    # cut the reference file in the middle of its baskets
    whole = (out / "jetclass" / "HToBB_120.root").read_bytes()
    (bad / "truncated.root").write_bytes(whole[: len(whole) * 2 // 3])

    # entry 1: part_deta has one value fewer than the other particle arrays
    cols = sample(3, "HToBB", 3, 8, 12)
    branches = to_branches(cols, drop=("part_deta",))
    deta = [np.asarray(x, dtype=np.float32) for x in cols["part"]["deta"]]
    deta[1] = deta[1][:-1]
    branches["part_deta"] = ak.Array(deta)
    write(bad / "unequal-lengths.root", branches)

    # entry 1: constituent 2 has a NaN px; entry 2: constituent 0 has an infinite energy
    cols = sample(3, "HToBB", 3, 8, 12)
    cols["part"]["px"][1][2] = np.nan
    cols["part"]["energy"][2][0] = np.inf
    write(bad / "nan-values.root", to_branches(cols))

    # entry 1 has no constituents at all
    cols = sample(3, "HToBB", 3, 8, 12)
    for k in cols["part"]:
        cols["part"][k][1] = cols["part"][k][1][:0]
    cols["jet_nparticles"][1] = 0
    write(bad / "empty-jet.root", to_branches(cols))

    # entry 2 is both Hbb and Tbqq
    cols = sample(3, "HToBB", 3, 8, 12)
    cols["label_Tbqq"][2] = 1
    write(bad / "not-one-hot.root", to_branches(cols))

    # TTBar jets in a file that calls itself HToBB
    write(bad / "process-mismatch" / "HToBB_000.root", to_branches(sample(3, "TTBar", 3, 8, 12)))

    write_nanoaod_style(out)


def write_nanoaod_style(out):
    """The jets of jetclass/HToBB_120.root as a NanoAOD-style ntuple: PFCands_pt/eta/phi/mass
    arrays per entry (counter nPFCands) and the jet axis as FatJet_eta/FatJet_phi scalars."""
    cols = sample(1, "HToBB", 6)
    part = cols["part"]
    pt, eta, phi, mass = [], [], [], []
    for px, py, pz, e in zip(part["px"], part["py"], part["pz"], part["energy"]):
        # from the float32 values JetClass-layout readers see
        px, py, pz, e = (np.asarray(x, dtype=np.float32).astype(np.float64)
                         for x in (px, py, pz, e))
        t = np.hypot(px, py)
        pt.append(t.astype(np.float32))
        eta.append(np.arcsinh(pz / t).astype(np.float32))
        phi.append(np.arctan2(py, px).astype(np.float32))
        mass.append(np.sqrt(np.maximum(e**2 - t**2 - pz**2, 0)).astype(np.float32))
    branches = {
        "PFCands": ak.zip({"pt": ak.Array(pt), "eta": ak.Array(eta), "phi": ak.Array(phi),
                           "mass": ak.Array(mass)}),
        "FatJet_eta": cols["jet_eta"].astype(np.float32),
        "FatJet_phi": cols["jet_phi"].astype(np.float32),
        "jet_pt": cols["jet_pt"].astype(np.float32),
    }
    write(out / "nanoaod-style.root", branches, tree="Events")


def write_large(path, n_jets, compression):
    """A benchmark file: n_jets jets, 30 to 120 constituents, written in 10k-jet clusters."""
    rng = np.random.default_rng(7)
    processes = ["ZJetsToNuNu", "HToBB", "TTBar"]
    pieces = []
    for start in range(0, n_jets, 10_000):
        n = min(10_000, n_jets - start)
        cols = sj.synth_sample(rng, processes[(start // 10_000) % 3], n, 30, 120)
        # substructure is not needed for reading speed; keep the file quick to make
        for name in ["jet_sdmass", "jet_tau1", "jet_tau2", "jet_tau3", "jet_tau4"]:
            cols[name] = np.zeros(n, dtype=np.float32)
        pieces.append(to_branches(cols))
    branches = {}
    for key in pieces[0]:
        if isinstance(pieces[0][key], ak.Array):
            branches[key] = ak.concatenate([p[key] for p in pieces])
        else:
            branches[key] = np.concatenate([p[key] for p in pieces])
    write(pathlib.Path(path), branches, compression=compression, chunk=10_000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=pathlib.Path)
    parser.add_argument("--large", type=pathlib.Path)
    parser.add_argument("--jets", type=int, default=100_000)
    parser.add_argument("--compression", choices=list(COMPRESSIONS), default="lz4")
    parser.add_argument("--only", choices=["nanoaod-style"],
                        help="write only this fixture (the others keep their bytes)")
    args = parser.parse_args()
    if args.large:
        write_large(args.large, args.jets, args.compression)
    elif args.outdir and args.only == "nanoaod-style":
        write_nanoaod_style(args.outdir)
    elif args.outdir:
        write_fixtures(args.outdir)
    else:
        parser.error("give OUTDIR or --large FILE")


if __name__ == "__main__":
    main()
