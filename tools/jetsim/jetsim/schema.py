"""JetClass's ROOT schema and the writer for it.

uproot cannot write ``std::vector<T>`` branches, so the per-particle arrays are written as
leaf-count arrays: the ``part_*`` fields share one int32 counter ``npart`` and the truth
prongs share ``naux_prong``. uproot (and the particle_transformer data loader) read both
layouts as jagged arrays and select branches by name, so the extra counters are harmless.
"""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from .processes import LABEL_DTYPES, LABELS

TREE_NAME = "tree"

PART_FLOAT_FIELDS: tuple[str, ...] = (
    "px", "py", "pz", "energy", "deta", "dphi",
    "d0val", "d0err", "dzval", "dzerr", "charge",
)
PART_FLAG_FIELDS: tuple[str, ...] = (
    "isChargedHadron", "isNeutralHadron", "isPhoton", "isElectron", "isMuon",
)
JET_FIELDS: tuple[str, ...] = (
    "pt", "eta", "phi", "energy", "nparticles", "sdmass", "tau1", "tau2", "tau3", "tau4",
)
AUX_FIELDS: tuple[str, ...] = (
    "genpart_eta", "genpart_phi", "genpart_pid", "genpart_pt", "truth_match",
)
# Extra branches, not in JetClass: the resonance's decay products (truth prongs).
PRONG_FIELDS: tuple[str, ...] = ("pt", "eta", "phi", "pid", "deta", "dphi")

# Branch name -> numpy dtype of its values (jagged for part_* and aux_prong_*).
JETCLASS_BRANCHES: dict[str, str] = {
    **{f"part_{name}": "float32" for name in PART_FLOAT_FIELDS},
    **{f"part_{name}": "int32" for name in PART_FLAG_FIELDS},
    **{f"label_{name}": LABEL_DTYPES[name] for name in LABELS},
    **{f"jet_{name}": "float32" for name in JET_FIELDS},
    **{f"aux_{name}": "float32" for name in AUX_FIELDS},
}
EXTRA_BRANCHES: dict[str, str] = {
    "npart": "int32",
    "naux_prong": "int32",
    **{f"aux_prong_{name}": "float32" for name in PRONG_FIELDS},
}
JAGGED_PREFIXES = ("part_", "aux_prong_")


def round_mantissa(values: np.ndarray, bits: int | None) -> np.ndarray:
    """Round float32 values to ``bits`` mantissa bits (of 23), so LZ4 compresses them better.

    The values stay float32; with 14 bits the relative rounding error is below 3e-5, far
    below any detector resolution modelled here.
    """
    values = np.ascontiguousarray(values, dtype=np.float32)
    if bits is None or bits >= 23:
        return values
    drop = 23 - bits
    as_int = values.view(np.uint32)
    half = np.uint32(1 << (drop - 1))
    mask = np.uint32((0xFFFFFFFF >> drop) << drop)
    rounded = ((as_int + half) & mask).astype(np.uint32)
    # Leave infinities and NaNs (exponent all ones) untouched.
    special = (as_int & np.uint32(0x7F800000)) == np.uint32(0x7F800000)
    return np.where(special, as_int, rounded).view(np.float32)


def write_tree(
    path: Path,
    counts: np.ndarray,
    part: dict[str, np.ndarray],
    prong_counts: np.ndarray,
    prong: dict[str, np.ndarray],
    scalars: dict[str, np.ndarray],
    mantissa_bits: int | None = None,
) -> None:
    """Write one JetClass-style file. ``part`` and ``prong`` hold flat per-particle arrays."""
    def jagged(flat: np.ndarray, dtype: str, n: np.ndarray) -> ak.Array:
        if dtype == "float32":
            flat = round_mantissa(flat, mantissa_bits)
        return ak.unflatten(np.ascontiguousarray(flat, dtype=dtype), n)

    part_record = ak.zip(
        {name: jagged(part[name], JETCLASS_BRANCHES[f"part_{name}"], counts)
         for name in PART_FLOAT_FIELDS + PART_FLAG_FIELDS},
    )
    prong_record = ak.zip(
        {name: jagged(prong[name], "float32", prong_counts) for name in PRONG_FIELDS},
    )
    branches: dict[str, object] = {"part": part_record}
    for name in LABELS:
        branches[f"label_{name}"] = np.asarray(scalars[f"label_{name}"],
                                               dtype=LABEL_DTYPES[name])
    for name in JET_FIELDS:
        branches[f"jet_{name}"] = np.asarray(scalars[f"jet_{name}"], dtype=np.float32)
    for name in AUX_FIELDS:
        branches[f"aux_{name}"] = np.asarray(scalars[f"aux_{name}"], dtype=np.float32)
    branches["aux_prong"] = prong_record

    with uproot.recreate(path, compression=uproot.LZ4(4)) as out:
        # mktree, not assignment: since uproot 5.7 assignment writes an RNTuple.
        out.mktree(TREE_NAME, branches, title=TREE_NAME)
