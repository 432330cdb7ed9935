"""The Python side of the read-to-images benchmark: uproot reads a JetClass file in chunks
and jet images are made either with EnergyFlow's pixelate (one call per jet) or with NumPy
vectorised over the chunk. Prints one JSON line with timings and a few images to compare.

    python uproot_peer.py FILE --chunk 5000 --mode energyflow|numpy [--max-entries N]
"""

import argparse
import json
import resource
import time

import awkward as ak
import energyflow as ef
import numpy as np
import uproot

NPIX = 33
WIDTH = 1.6

# every branch JetLens' reader reads with its JetClass mapping
PARTICLE = ["part_px", "part_py", "part_pz", "part_energy", "part_deta", "part_dphi",
            "part_charge", "part_isChargedHadron", "part_isNeutralHadron", "part_isPhoton",
            "part_isElectron", "part_isMuon", "part_d0val", "part_d0err", "part_dzval",
            "part_dzerr"]
SCALAR = ["jet_pt", "jet_eta", "jet_phi", "jet_energy", "jet_sdmass", "jet_tau1", "jet_tau2",
          "jet_tau3", "jet_tau4", "jet_nparticles", "label_QCD", "label_Hbb", "label_Hcc",
          "label_Hgg", "label_H4q", "label_Hqql", "label_Zqq", "label_Wqq", "label_Tbqq",
          "label_Tbl", "aux_genpart_pt", "aux_genpart_eta", "aux_genpart_phi", "aux_genpart_pid",
          "aux_truth_match"]


def flat(chunk, name):
    """A jagged branch as (values, offsets) NumPy arrays."""
    layout = ak.to_layout(chunk[name])
    offsets = np.asarray(layout.offsets.data)
    values = np.asarray(layout.content.data)[offsets[0]:offsets[-1]]
    return values, offsets - offsets[0]


def images_energyflow(pt, deta, dphi, offsets):
    out = np.zeros((len(offsets) - 1, NPIX, NPIX), dtype=np.float32)
    for i in range(len(offsets) - 1):
        lo, hi = offsets[i], offsets[i + 1]
        jet = np.stack([pt[lo:hi], deta[lo:hi], dphi[lo:hi]], axis=1)
        # EnergyFlow's rows go up in dphi; JetLens' top row is +dphi
        out[i] = ef.utils.pixelate(jet, npix=NPIX, img_width=WIDTH, norm=True)[::-1, :, 0]
    return out


def images_numpy(pt, deta, dphi, offsets):
    """The same images as EnergyFlow's (centroid snapped to the pixel grid), for a whole chunk."""
    n = len(offsets) - 1
    counts = np.diff(offsets)
    jet = np.repeat(np.arange(n), counts)
    pix = WIDTH / NPIX
    sum_pt = np.add.reduceat(pt, offsets[:-1])
    cx = np.add.reduceat(pt * deta, offsets[:-1]) / sum_pt
    cy = np.add.reduceat(pt * dphi, offsets[:-1]) / sum_pt
    ix = np.ceil(deta / pix - 0.5) - (np.ceil(cx / pix - 0.5) - NPIX // 2)[jet]
    iy = np.ceil(dphi / pix - 0.5) - (np.ceil(cy / pix - 0.5) - NPIX // 2)[jet]
    keep = (ix >= 0) & (ix < NPIX) & (iy >= 0) & (iy < NPIX)
    out = np.zeros((n, NPIX, NPIX), dtype=np.float64)
    np.add.at(out, (jet[keep], NPIX - 1 - iy[keep].astype(int), ix[keep].astype(int)), pt[keep])
    out /= out.sum(axis=(1, 2), keepdims=True)
    return out.astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--mode", choices=["energyflow", "numpy"], required=True)
    parser.add_argument("--max-entries", type=int, default=None)
    args = parser.parse_args()

    make = images_energyflow if args.mode == "energyflow" else images_numpy
    start = time.perf_counter()
    cpu_start = time.process_time()
    read = 0.0
    jets = 0
    first = None
    tree = uproot.open(args.file)["tree"]
    stop = args.max_entries or tree.num_entries
    t = time.perf_counter()
    for chunk in tree.iterate(PARTICLE + SCALAR, step_size=args.chunk, entry_stop=stop):
        px, offsets = flat(chunk, "part_px")
        py, _ = flat(chunk, "part_py")
        deta, _ = flat(chunk, "part_deta")
        dphi, _ = flat(chunk, "part_dphi")
        pt = np.hypot(px, py).astype(np.float32).astype(np.float64)
        deta = deta.astype(np.float64)
        dphi = dphi.astype(np.float64)
        read += time.perf_counter() - t
        images = make(pt, deta, dphi, offsets)
        if first is None:
            first = images[:8]
        jets += images.shape[0]
        t = time.perf_counter()
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({
        "jets": jets,
        "seconds": total,
        "cpu_seconds": cpu,
        "read_seconds": read,
        "image_seconds": total - read,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first_images": first.reshape(first.shape[0], -1).tolist(),
        "versions": {"uproot": uproot.__version__, "awkward": ak.__version__,
                     "numpy": np.__version__, "energyflow": ef.__version__},
    }))


if __name__ == "__main__":
    main()
