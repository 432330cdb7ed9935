"""The ten JetClass processes: their labels, Pythia 8 settings and accepted truth codes.

Each JetClass sample was made with MadGraph + Pythia 8; here the hard process comes from
Pythia's own 2 -> 2 matrix elements, with a 450 GeV pT-hat cut standing in for the
450 GeV resonance-pT / MET cut of the JetClass gridpacks.
"""

from __future__ import annotations

from dataclasses import dataclass

# Settings shared by every process: 13 TeV, default (Monash) tune, MPI, ISR, FSR and
# hadronisation left on, as in JetClass's Pythia step.
COMMON_SETTINGS: tuple[str, ...] = (
    "Beams:eCM = 13000.",
    "PartonLevel:MPI = on",
    "PartonLevel:ISR = on",
    "PartonLevel:FSR = on",
    "HadronLevel:all = on",
    "PhaseSpace:pTHatMin = 450.",
    "Next:numberCount = 0",
    "Print:quiet = on",
)

# Z -> nu nu recoil, used by QCD (Z + jet) and by the HZ, ZW and ZZ processes, so the
# signal jets recoil against missing energy as in JetClass.
Z_TO_NUNU: tuple[str, ...] = (
    "WeakZ0:gmZmode = 2",
    "23:onMode = off",
    "23:onIfAny = 12 14 16",
)

W_TO_QUARKS = ("24:onMode = off", "24:onIfAny = 1 2 3 4 5")

HIGGS_Z = ("HiggsSM:ffbar2HZ = on",) + Z_TO_NUNU + ("25:onMode = off",)

TOP_PAIR = ("Top:gg2ttbar = on", "Top:qqbar2ttbar = on")


@dataclass(frozen=True)
class Process:
    """One JetClass class: its file prefix, label branch and how to generate it."""

    name: str
    label: str
    resonance_id: int
    accepted_codes: frozenset[int]
    # One Pythia instance is made per variant and events alternate between them; only
    # HToWW2Q1L uses two, to generate W+ -> qq, W- -> l nu and its charge conjugate.
    variants: tuple[tuple[str, ...], ...]
    description: str = ""
    # ZZ production decays both Z bosons with one table: keep only events where exactly
    # one Z goes to quarks and the other to neutrinos.
    require_one_hadronic_one_invisible_z: bool = False


def _codes(*codes: int) -> frozenset[int]:
    return frozenset(codes)


PROCESSES: dict[str, Process] = {
    "ZJetsToNuNu": Process(
        name="ZJetsToNuNu",
        label="QCD",
        resonance_id=0,
        accepted_codes=_codes(50),
        variants=((
            "WeakBosonAndParton:qqbar2gmZg = on",
            "WeakBosonAndParton:qg2gmZq = on",
        ) + Z_TO_NUNU,),
        description="Z(->nu nu) + jet, q qbar -> Z g and q g -> Z q",
    ),
    "HToBB": Process(
        name="HToBB",
        label="Hbb",
        resonance_id=25,
        accepted_codes=_codes(41),
        variants=(HIGGS_Z + ("25:onIfMatch = 5 -5",),),
        description="f fbar -> H Z, H -> b bbar, Z -> nu nu",
    ),
    "HToCC": Process(
        name="HToCC",
        label="Hcc",
        resonance_id=25,
        accepted_codes=_codes(42),
        variants=(HIGGS_Z + ("25:onIfMatch = 4 -4",),),
        description="f fbar -> H Z, H -> c cbar, Z -> nu nu",
    ),
    "HToGG": Process(
        name="HToGG",
        label="Hgg",
        resonance_id=25,
        accepted_codes=_codes(44),
        variants=(HIGGS_Z + ("25:onIfMatch = 21 21",),),
        description="f fbar -> H Z, H -> g g, Z -> nu nu",
    ),
    "HToWW4Q": Process(
        name="HToWW4Q",
        label="H4q",
        resonance_id=25,
        accepted_codes=_codes(45),
        variants=(HIGGS_Z + ("25:onIfMatch = 24 -24",) + W_TO_QUARKS,),
        description="f fbar -> H Z, H -> W W* -> 4 quarks, Z -> nu nu",
    ),
    "HToWW2Q1L": Process(
        name="HToWW2Q1L",
        label="Hqql",
        resonance_id=25,
        accepted_codes=_codes(46),
        variants=(
            HIGGS_Z + (
                "25:onIfMatch = 24 -24",
                "24:onMode = off",
                "24:onPosIfAny = 1 2 3 4 5",
                "24:onNegIfAny = 11 13",
            ),
            HIGGS_Z + (
                "25:onIfMatch = 24 -24",
                "24:onMode = off",
                "24:onPosIfAny = 11 13",
                "24:onNegIfAny = 1 2 3 4 5",
            ),
        ),
        description="f fbar -> H Z, H -> W W* -> q q' l nu (l = e, mu), Z -> nu nu",
    ),
    "ZToQQ": Process(
        name="ZToQQ",
        label="Zqq",
        resonance_id=23,
        accepted_codes=_codes(31, 32, 33),
        variants=((
            "WeakDoubleBoson:ffbar2gmZgmZ = on",
            "WeakZ0:gmZmode = 2",
            "23:onMode = off",
            "23:onIfAny = 1 2 3 4 5 12 14 16",
        ),),
        description="f fbar -> Z Z, one Z -> q qbar and the other Z -> nu nu",
        require_one_hadronic_one_invisible_z=True,
    ),
    "WToQQ": Process(
        name="WToQQ",
        label="Wqq",
        resonance_id=24,
        accepted_codes=_codes(21, 22),
        variants=(("WeakDoubleBoson:ffbar2ZW = on",) + Z_TO_NUNU + W_TO_QUARKS,),
        description="f fbar -> Z W, W -> q qbar', Z -> nu nu",
    ),
    "TTBar": Process(
        name="TTBar",
        label="Tbqq",
        resonance_id=6,
        accepted_codes=_codes(11, 12),
        variants=(TOP_PAIR + W_TO_QUARKS,),
        description="t tbar, both W -> q qbar'",
    ),
    "TTBarLep": Process(
        name="TTBarLep",
        label="Tbl",
        resonance_id=6,
        accepted_codes=_codes(15, 16),
        variants=(TOP_PAIR + ("24:onMode = off", "24:onIfAny = 11 13"),),
        description="t tbar, both W -> l nu (l = e, mu)",
    ),
}

# Label branches in JetClass's order, with the mixed types RDataFrame gave them.
LABELS: tuple[str, ...] = (
    "QCD", "Hbb", "Hcc", "Hgg", "H4q", "Hqql", "Zqq", "Wqq", "Tbqq", "Tbl",
)
LABEL_DTYPES: dict[str, str] = {
    "QCD": "float32",
    "Hbb": "bool", "Hcc": "bool", "Hgg": "bool", "H4q": "bool", "Hqql": "bool",
    "Zqq": "int32", "Wqq": "int32", "Tbqq": "int32", "Tbl": "int32",
}


def get_process(name: str) -> Process:
    """Look a process up by its JetClass name, e.g. ``TTBar``."""
    try:
        return PROCESSES[name]
    except KeyError:
        known = ", ".join(PROCESSES)
        raise ValueError(f"unknown JetClass process {name!r}; expected one of {known}") from None
