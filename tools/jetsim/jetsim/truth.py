"""Truth record: the resonance, its decay products, and JetClass's jet-matching codes.

The rules follow JetClass's ``makeNtuples.C``: a jet is matched when the decay products
lie within Delta R < 0.8 (from eta and phi) of the jet axis. Quarks are the resonance's
immediate decay daughters; charged leptons are followed to their last copy, after QED
final-state radiation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MATCH_RADIUS = 0.8

QUARK_IDS = frozenset((1, 2, 3, 4, 5))
CHARGED_LEPTON_IDS = frozenset((11, 13))
NEUTRINO_IDS = frozenset((12, 14, 16))
# What the matching looks at: quarks, gluons (H -> g g) and charged leptons.
MATCHABLE_IDS = QUARK_IDS | CHARGED_LEPTON_IDS | frozenset((21,))

# Truth codes of the JetClass label bins, also written as aux_truth_match.
CODE_UNMATCHED = 0
CODE_QCD = 50


@dataclass(frozen=True)
class GenParticle:
    """A generator-level particle: signed PDG id and (pT, eta, phi)."""

    pid: int
    pt: float
    eta: float
    phi: float


@dataclass
class Resonance:
    """A t, H, W or Z at its last copy before decay, with what it decayed into.

    ``products`` are the quarks and charged leptons whose directions the matching tests
    (for a top: the b first, then the W's products); neutrinos are left out.
    """

    particle: GenParticle
    products: list[GenParticle] = field(default_factory=list)
    # For a top only: the quark from t -> W q (almost always a b) and the W's products.
    top_quark: GenParticle | None = None
    w_products: list[GenParticle] = field(default_factory=list)


def delta_phi(phi_a: float, phi_b: float) -> float:
    """phi_a - phi_b wrapped into [-pi, pi)."""
    return (phi_a - phi_b + math.pi) % (2.0 * math.pi) - math.pi


def delta_r(a_eta: float, a_phi: float, b_eta: float, b_phi: float) -> float:
    return math.hypot(a_eta - b_eta, delta_phi(a_phi, b_phi))


def _gen(prt) -> GenParticle:
    return GenParticle(int(prt.id()), float(prt.pT()), float(prt.eta()), float(prt.phi()))


def _decay_products(event, index: int) -> list:
    """Immediate daughters of the last copy of entry ``index``; leptons at their last copy."""
    last = event[event[index].iBotCopyId()]
    products = []
    for daughter_index in last.daughterList():
        daughter = event[daughter_index]
        if daughter.idAbs() in CHARGED_LEPTON_IDS or daughter.idAbs() in NEUTRINO_IDS:
            daughter = event[daughter.iBotCopyId()]
        products.append(daughter)
    return products


def _w_products(event, w_index: int) -> list[GenParticle]:
    return [_gen(prt) for prt in _decay_products(event, w_index)
            if prt.idAbs() in QUARK_IDS or prt.idAbs() in CHARGED_LEPTON_IDS]


# The hard process sits at the start of Pythia's event record (entries 3, 4 incoming,
# then the outgoing particles and their resonance decays), so a short scan finds it.
HARD_RECORD_SCAN = 40


def find_resonances(event, resonance_id: int) -> list[Resonance]:
    """Resonances with |id| == resonance_id produced in the hard process (status -22)."""
    resonances = []
    for index in range(min(event.size(), HARD_RECORD_SCAN)):
        prt = event[index]
        if prt.idAbs() != resonance_id or prt.status() != -22:
            continue
        last = event[prt.iBotCopyId()]
        resonance = Resonance(particle=_gen(last))
        for product in _decay_products(event, index):
            if product.idAbs() == 24:
                resonance.w_products.extend(_w_products(event, product.index()))
            elif product.idAbs() in QUARK_IDS and resonance_id == 6:
                resonance.top_quark = _gen(product)
            elif product.idAbs() in MATCHABLE_IDS:
                resonance.products.append(_gen(product))
        if resonance_id == 6:
            resonance.products = ([resonance.top_quark] if resonance.top_quark else [])
            resonance.products += resonance.w_products
        elif resonance.w_products:
            # H -> W W*: the products are those of both W bosons.
            resonance.products = resonance.w_products
        resonances.append(resonance)
    return resonances


def z_decay_kinds(event) -> tuple[int, int]:
    """Number of hard-process Z bosons decaying to quarks and to neutrinos."""
    n_hadronic = n_invisible = 0
    for index in range(min(event.size(), HARD_RECORD_SCAN)):
        prt = event[index]
        if prt.idAbs() != 23 or prt.status() != -22:
            continue
        daughter_ids = {d.idAbs() for d in _decay_products(event, index)}
        n_hadronic += bool(daughter_ids & QUARK_IDS)
        n_invisible += bool(daughter_ids & NEUTRINO_IDS)
    return n_hadronic, n_invisible


def hard_partons(process_record) -> list[GenParticle]:
    """Outgoing quarks and gluons of the hard 2 -> 2 process (for the QCD prong)."""
    partons = []
    for index in range(process_record.size()):
        prt = process_record[index]
        if prt.status() == 23 and (prt.idAbs() in QUARK_IDS or prt.idAbs() == 21):
            partons.append(_gen(prt))
    return partons


def _inside(products: list[GenParticle], jet_eta: float, jet_phi: float) -> list[bool]:
    return [delta_r(p.eta, p.phi, jet_eta, jet_phi) < MATCH_RADIUS for p in products]


def _quark_pair_code(products: list[GenParticle], base: int) -> int:
    """W (base 20) and Z (base 30) codes from the flavours of the two quarks."""
    flavours = {abs(p.pid) for p in products}
    if base == 20:
        return 21 if flavours & {4, 5} else 22
    if flavours == {5}:
        return 31
    if flavours == {4}:
        return 32
    return 33


def truth_code(resonance: Resonance, jet_eta: float, jet_phi: float) -> int:
    """JetClass's gen_match code of a jet against one resonance (0 when unmatched)."""
    pid = abs(resonance.particle.pid)
    if pid == 6:
        return _top_code(resonance, jet_eta, jet_phi)

    products = resonance.products
    if not products:
        return CODE_UNMATCHED
    inside = _inside(products, jet_eta, jet_phi)
    quarks_in = sum(ok for ok, p in zip(inside, products) if abs(p.pid) in QUARK_IDS)
    leptons_in = sum(ok for ok, p in zip(inside, products)
                     if abs(p.pid) in CHARGED_LEPTON_IDS)

    if pid == 25 and resonance.w_products:
        n_quarks = sum(abs(p.pid) in QUARK_IDS for p in products)
        if quarks_in >= 4:
            return 45
        if n_quarks == 2 and quarks_in == 2 and leptons_in == 1:
            return 46
        return CODE_UNMATCHED

    if len(products) != 2 or not all(inside):
        return CODE_UNMATCHED
    if pid == 24:
        return _quark_pair_code(products, 20)
    if pid == 23:
        return _quark_pair_code(products, 30)
    flavours = {abs(p.pid) for p in products}
    return {frozenset({5}): 41, frozenset({4}): 42, frozenset({21}): 44}.get(
        frozenset(flavours), CODE_UNMATCHED)


def _top_code(resonance: Resonance, jet_eta: float, jet_phi: float) -> int:
    quark = resonance.top_quark
    w_products = resonance.w_products
    if quark is None or len(w_products) == 0:
        return CODE_UNMATCHED
    quark_in = _inside([quark], jet_eta, jet_phi)[0]
    w_inside = _inside(w_products, jet_eta, jet_phi)
    w_quarks = [p for p in w_products if abs(p.pid) in QUARK_IDS]
    w_leptons = [p for p in w_products if abs(p.pid) in CHARGED_LEPTON_IDS]

    if len(w_quarks) == 2:
        if not all(w_inside):
            return CODE_UNMATCHED
        if quark_in:
            return 11 if any(abs(p.pid) == 4 for p in w_quarks) else 12
        # The b falls outside: only the W is matched, a code top samples reject.
        return _quark_pair_code(w_quarks, 20)
    if len(w_leptons) == 1 and quark_in and all(w_inside):
        return 15 if abs(w_leptons[0].pid) == 11 else 16
    return CODE_UNMATCHED


def match_jet(
    resonances: list[Resonance], jet_eta: float, jet_phi: float
) -> tuple[int, Resonance | None]:
    """The first resonance the jet matches, JetClass-style, and its code."""
    for resonance in resonances:
        code = truth_code(resonance, jet_eta, jet_phi)
        if code != CODE_UNMATCHED:
            return code, resonance
    return CODE_UNMATCHED, None
