"""Truth codes of JetClass's matching, on hand-made resonances."""

from __future__ import annotations

import math

from jetsim.truth import GenParticle, Resonance, delta_phi, truth_code

JET_ETA, JET_PHI = 0.5, 3.0


def near(pid: int, offset: float = 0.1) -> GenParticle:
    return GenParticle(pid, 100.0, JET_ETA + offset, JET_PHI)


def far(pid: int) -> GenParticle:
    return GenParticle(pid, 100.0, JET_ETA + 1.5, JET_PHI)


def top(quark, w_products) -> Resonance:
    return Resonance(particle=GenParticle(6, 600.0, JET_ETA, JET_PHI),
                     products=[quark] + w_products, top_quark=quark,
                     w_products=w_products)


def test_delta_phi_wraps():
    assert math.isclose(delta_phi(3.1, -3.1), 6.2 - 2 * math.pi)
    assert -math.pi <= delta_phi(math.pi, 0.0) < math.pi


def test_top_codes():
    assert truth_code(top(near(5), [near(4), near(-3)]), JET_ETA, JET_PHI) == 11
    assert truth_code(top(near(5), [near(2), near(-1)]), JET_ETA, JET_PHI) == 12
    # b outside: only the W is matched, which top samples reject.
    assert truth_code(top(far(5), [near(2), near(-1)]), JET_ETA, JET_PHI) == 22
    assert truth_code(top(near(5), [far(2), near(-1)]), JET_ETA, JET_PHI) == 0
    assert truth_code(top(near(5), [near(-11)]), JET_ETA, JET_PHI) == 15
    assert truth_code(top(near(5), [near(-13)]), JET_ETA, JET_PHI) == 16


def boson(pid, products, w_products=()) -> Resonance:
    return Resonance(particle=GenParticle(pid, 600.0, JET_ETA, JET_PHI),
                     products=list(products), w_products=list(w_products))


def test_boson_codes():
    assert truth_code(boson(24, [near(4), near(-3)]), JET_ETA, JET_PHI) == 21
    assert truth_code(boson(24, [near(2), near(-1)]), JET_ETA, JET_PHI) == 22
    assert truth_code(boson(23, [near(5), near(-5)]), JET_ETA, JET_PHI) == 31
    assert truth_code(boson(23, [near(4), near(-4)]), JET_ETA, JET_PHI) == 32
    assert truth_code(boson(23, [near(1), near(-1)]), JET_ETA, JET_PHI) == 33
    assert truth_code(boson(25, [near(5), near(-5)]), JET_ETA, JET_PHI) == 41
    assert truth_code(boson(25, [near(4), near(-4)]), JET_ETA, JET_PHI) == 42
    assert truth_code(boson(25, [near(21), near(21)]), JET_ETA, JET_PHI) == 44
    assert truth_code(boson(25, [near(5), far(-5)]), JET_ETA, JET_PHI) == 0


def test_higgs_to_ww_codes():
    four = [near(2), near(-1), near(1), near(-2)]
    assert truth_code(boson(25, four, four), JET_ETA, JET_PHI) == 45
    three = [near(2), near(-1), near(1), far(-2)]
    assert truth_code(boson(25, three, three), JET_ETA, JET_PHI) == 0
    qql = [near(2), near(-1), near(13)]
    assert truth_code(boson(25, qql, qql), JET_ETA, JET_PHI) == 46
    lepton_out = [near(2), near(-1), far(13)]
    assert truth_code(boson(25, lepton_out, lepton_out), JET_ETA, JET_PHI) == 0
