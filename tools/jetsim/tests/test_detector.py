"""The detector response's formulas at reference points."""

from __future__ import annotations

import numpy as np

from jetsim import detector, schema


def test_impact_parameters_of_straight_tracks():
    # A track from (x, y) = (1, 0) mm moving along +y has d0 = x py / pT = +1 mm.
    d0, dz = detector.impact_parameters(
        np.array([1.0]), np.array([0.0]), np.array([2.0]),
        np.array([0.0]), np.array([5.0]), np.array([5.0]))
    assert np.allclose(d0, 1.0)
    assert np.allclose(dz, 2.0)
    # Moving away radially: no transverse offset, and z is extrapolated back.
    d0, dz = detector.impact_parameters(
        np.array([1.0]), np.array([0.0]), np.array([2.0]),
        np.array([5.0]), np.array([0.0]), np.array([5.0]))
    assert np.allclose(d0, 0.0)
    assert np.allclose(dz, 1.0)


def test_d0_resolution_matches_cms_barrel_points():
    pt = np.array([0.2, 2.0, 80.0])
    sigma = detector.d0_resolution(pt, np.zeros(3))
    assert np.allclose(sigma, [0.35, 0.045, 0.011], rtol=0.2)


def test_response_removes_nothing_charged_without_efficiency():
    rng = np.random.default_rng(0)
    n = 50
    particles = {
        "pid": np.where(np.arange(n) % 2 == 0, 211, 22),
        "px": np.full(n, 10.0), "py": np.linspace(-5, 5, n), "pz": np.full(n, 3.0),
        "m": np.where(np.arange(n) % 2 == 0, 0.1396, 0.0),
        "charge": np.where(np.arange(n) % 2 == 0, 1.0, 0.0),
        "x": np.zeros(n), "y": np.zeros(n), "z": np.zeros(n),
    }
    particles["e"] = np.sqrt(particles["px"] ** 2 + particles["py"] ** 2
                             + particles["pz"] ** 2 + particles["m"] ** 2)
    config = detector.DetectorConfig(tracking_efficiency=False)
    candidates = detector.respond(particles, rng, config)
    assert np.sum(candidates.kind == detector.KIND_CHARGED_HADRON) == n // 2
    assert np.sum(candidates.kind == detector.KIND_PHOTON) == n // 2
    assert np.all(candidates.d0_err[candidates.charge != 0] > 0)
    assert np.all(candidates.d0[candidates.charge == 0] == 0)


def test_round_mantissa_keeps_float32_and_precision():
    values = np.array([1.2345678, -98.765432, 0.0, 3e-7], dtype=np.float32)
    rounded = schema.round_mantissa(values, 14)
    assert rounded.dtype == np.float32
    assert np.allclose(rounded, values, rtol=1e-4, atol=0)
    assert np.array_equal(schema.round_mantissa(values, None), values)
