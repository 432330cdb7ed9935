"""Jet substructure with FastJet (and fastjet-contrib through the scikit-hep bindings).

The conventions follow Delphes' FastJetFinder as used for JetClass: soft drop with beta = 0,
z_cut = 0.1, R0 = 0.8 on a Cambridge/Aachen reclustering; N-subjettiness with
NormalizedMeasure(beta = 1, R0 = 0.8).
"""

import awkward as ak
import fastjet
import numpy as np

BIG_R = 10.0  # one exclusive jet holds every constituent


def _sequence(parts, algorithm):
    """One event per jet, its constituents as the particles of the event."""
    arrays = ak.zip({k: ak.Array([p[k].astype(np.float64) for p in parts])
                     for k in ("px", "py", "pz", "energy")})
    arrays = ak.zip({"px": arrays.px, "py": arrays.py, "pz": arrays.pz, "E": arrays.energy},
                    with_name="Momentum4D")
    return fastjet.ClusterSequence(arrays, fastjet.JetDefinition(algorithm, BIG_R))


def softdrop_mass(parts):
    cs = _sequence(parts, fastjet.cambridge_algorithm)
    groomed = cs.exclusive_jets_softdrop_grooming(njets=1, beta=0.0, symmetry_cut=0.1, R0=0.8)
    return np.asarray(ak.flatten(groomed.msoftdrop, axis=None), dtype=np.float64)


def nsubjettiness(parts, axes="OnePass_KT_Axes"):
    cs = _sequence(parts, fastjet.cambridge_algorithm)
    return cs.njettiness(measure_definition="NormalizedMeasure", axes_definition=axes,
                        njets=[1, 2, 3, 4], beta=1.0, R0=0.8)


def exclusive_subjets(parts, algorithm, n):
    """Exclusive subjets (E-scheme) of each jet: list of (n, 4) arrays px, py, pz, E."""
    out = []
    jet_def = fastjet.JetDefinition(algorithm, BIG_R)
    for p in parts:
        pjs = [fastjet.PseudoJet(float(a), float(b), float(c), float(d))
               for a, b, c, d in zip(p["px"], p["py"], p["pz"], p["energy"])]
        for i, pj in enumerate(pjs):
            pj.set_user_index(i)
        cs = fastjet.ClusterSequence(pjs, jet_def)
        subjets = fastjet.sorted_by_pt(cs.exclusive_jets(n))
        out.append([{
            "px": s.px(), "py": s.py(), "pz": s.pz(), "e": s.e(), "pt": s.pt(),
            "rap": s.rap(), "phi": s.phi_std(),
            "members": sorted(c.user_index() for c in s.constituents()),
        } for s in subjets])
    return out
