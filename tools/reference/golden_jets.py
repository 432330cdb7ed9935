"""Reference numbers for JetLens' prongs, substructure and jet images, from FastJet and EnergyFlow.

    python golden_jets.py ../../packages/core/test/fixtures/golden-jets.root \
        ../../packages/core/test/golden/jets/golden-jets.json

The jets are read from the committed ROOT fixture (float32, as JetLens reads them), so both
sides start from the same numbers.
"""

import json
import sys

import energyflow as ef
import fastjet
import numpy as np
import uproot

import substructure

ALGORITHMS = {"kt": fastjet.kt_algorithm, "cambridge": fastjet.cambridge_algorithm}

# (npix, img_width, norm): the EnergyFlow options JetLens' images also have
IMAGE_CASES = [(33, 1.6, True), (15, 1.0, False)]


def read_jets(path):
    tree = uproot.open(path)["tree"]
    arrays = tree.arrays(["part_px", "part_py", "part_pz", "part_energy", "part_deta",
                          "part_dphi"], library="np")
    jets = []
    for i in range(len(arrays["part_px"])):
        jet = {k[len("part_"):]: np.asarray(v[i], dtype=np.float64) for k, v in arrays.items()}
        # JetLens keeps pT as float32, computed from the stored px, py
        jet["pt"] = np.hypot(jet["px"], jet["py"]).astype(np.float32).astype(np.float64)
        jets.append(jet)
    return jets


def sparse(image):
    """EnergyFlow's (npix, npix, 1) image as [row, col, value] with JetLens' orientation:
    row 0 is the largest dphi (EnergyFlow's row 0 is the smallest)."""
    img = image[:, :, 0][::-1, :]
    rows, cols = np.nonzero(img)
    return [[int(r), int(c), float(img[r, c])] for r, c in zip(rows, cols)]


def main(root_path, out_path):
    jets = read_jets(root_path)
    golden = {"source": "golden-jets.root", "jets": []}
    kt_taus = substructure.nsubjettiness(jets, "KT_Axes")
    onepass_taus = substructure.nsubjettiness(jets, "OnePass_KT_Axes")
    sdmass = substructure.softdrop_mass(jets)

    subjets = {(name, n): substructure.exclusive_subjets(jets, algo, n)
               for name, algo in ALGORITHMS.items() for n in (1, 2, 3)}

    for i, jet in enumerate(jets):
        entry = {
            "entry": i,
            "tau_kt_axes": [float(t) for t in kt_taus[i]],
            "tau_onepass_kt_axes": [float(t) for t in onepass_taus[i]],
            "sdmass": float(sdmass[i]),
            "subjets": {},
            "images": [],
        }
        for (name, n), per_jet in subjets.items():
            entry["subjets"].setdefault(name, {})[str(n)] = [
                {"pt": s["pt"], "rapidity": s["rap"], "phi": s["phi"], "members": s["members"]}
                for s in per_jet[i]
            ]
        particles = np.stack([jet["pt"], jet["deta"], jet["dphi"]], axis=1)
        for npix, width, norm in IMAGE_CASES:
            image = ef.utils.pixelate(particles, npix=npix, img_width=width, nb_chan=1, norm=norm)
            entry["images"].append({"npix": npix, "img_width": width, "norm": norm,
                                    "pixels": sparse(image)})
        golden["jets"].append(entry)

    with open(out_path, "w") as f:
        json.dump(golden, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{out_path}: {len(jets)} jets")


if __name__ == "__main__":
    main(*sys.argv[1:3])
