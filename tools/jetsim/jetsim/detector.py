"""A simple CMS-like detector response that stands in for Delphes.

Input: the stable visible particles of one event as numpy arrays. Output: E-flow-like
candidates (tracks, ECAL photons, HCAL neutral hadrons) with smeared kinematics and, for
tracks, smeared impact parameters and their errors. All lengths are in mm, energies in GeV.

What it does, step by step:
  1. Neutrinos (and anything else Pythia calls invisible) were removed by the caller.
  2. Charged particles with |eta| < 2.5 become tracks with the CMS-like tracking
     efficiency of JetClass's Delphes card (optional). Lost or out-of-acceptance charged
     hadrons and electrons deposit their energy in the calorimeters instead; such muons are
     dropped (minimum ionising).
  3. Tracks get a pT resolution sigma(pT)/pT = a (+) b pT and a small angular smearing;
     d0 and dz come from the true production vertex and direction (straight line, no
     magnetic field), smeared with a pT- and |eta|-dependent resolution fitted to the
     CMS tracker numbers (arXiv:1405.6569, Fig. 15), which is stored as the error.
  4. Photons and electrons without a track go to the ECAL, hadrons to the HCAL, each with
     a stochastic (+) constant energy resolution, a position smearing of about a cell
     size over sqrt(12), an energy threshold (0.5 and 1 GeV), and zero mass.

What it does not do: no pileup, no calorimeter granularity (no tower merging of nearby
particles, no shared tracks and towers), no magnetic field (no looper losses, no bending
of soft tracks out of the jet), no material interactions (conversions, nuclear
interactions, bremsstrahlung), no fake tracks, and no beam spot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRACKER_ETA_MAX = 2.5
CALORIMETER_ETA_MAX = 5.0
BARREL_ETA_MAX = 1.5
ENDCAP_CALO_ETA_MAX = 3.0

ECAL_THRESHOLD_GEV = 0.5
HCAL_THRESHOLD_GEV = 1.0
TRACK_PT_MIN_GEV = 0.1

CHARGED_HADRON_IDS = (211, 321, 2212)

# Candidate kinds, for the particle-ID flags.
KIND_CHARGED_HADRON = 0
KIND_NEUTRAL_HADRON = 1
KIND_PHOTON = 2
KIND_ELECTRON = 3
KIND_MUON = 4
KIND_OTHER_TRACK = 5


@dataclass(frozen=True)
class DetectorConfig:
    """Switches of the response; the defaults are what the bundled sample used."""

    tracking_efficiency: bool = True
    smear: bool = True


@dataclass
class Candidates:
    """Reconstructed candidates of one event, one array entry per candidate."""

    pt: np.ndarray
    eta: np.ndarray
    phi: np.ndarray
    mass: np.ndarray
    charge: np.ndarray
    kind: np.ndarray
    d0: np.ndarray
    d0_err: np.ndarray
    dz: np.ndarray
    dz_err: np.ndarray

    def __len__(self) -> int:
        return len(self.pt)

    def four_momenta(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        px = self.pt * np.cos(self.phi)
        py = self.pt * np.sin(self.phi)
        pz = self.pt * np.sinh(self.eta)
        energy = np.sqrt(px * px + py * py + pz * pz + self.mass * self.mass)
        return px, py, pz, energy


def tracking_efficiency(abs_pid: np.ndarray, pt: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """CMS-like efficiencies from JetClass's Delphes card (step functions in pT, |eta|)."""
    barrel = abs_eta <= BARREL_ETA_MAX
    soft = pt < 1.0
    is_muon = abs_pid == 13
    hadron_eff = np.where(barrel, np.where(soft, 0.70, 0.95), np.where(soft, 0.60, 0.85))
    muon_eff = np.where(barrel, np.where(soft, 0.75, 0.99), np.where(soft, 0.70, 0.98))
    eff = np.where(is_muon, muon_eff, hadron_eff)
    return np.where((pt > TRACK_PT_MIN_GEV) & (abs_eta <= TRACKER_ETA_MAX), eff, 0.0)


def track_pt_resolution(pt: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """Relative resolution sigma(pT)/pT: 0.6% (+) 0.015%/GeV barrel, doubled beyond 1.5."""
    barrel = abs_eta <= BARREL_ETA_MAX
    constant = np.where(barrel, 0.006, 0.012)
    slope = np.where(barrel, 1.5e-4, 3.0e-4)
    return np.hypot(constant, slope * pt)


def _eta_factor(abs_eta: np.ndarray, factors: tuple[float, float, float]) -> np.ndarray:
    # The three |eta| bins of the Delphes TrackSmearing tables: 0-0.9, 0.9-1.4, 1.4-2.5.
    return np.where(abs_eta < 0.9, factors[0], np.where(abs_eta < 1.4, factors[1], factors[2]))


def d0_resolution(pt: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """sigma(d0) in mm: 10 um (+) 80 um GeV / pT in the barrel.

    Gives 0.40, 0.041 and 0.010 mm at 0.2, 2 and 80 GeV, against the CMS barrel values
    0.35, 0.045 and 0.011 mm quoted for the JetClass card.
    """
    return np.hypot(0.010, 0.080 / pt) * _eta_factor(abs_eta, (1.0, 1.3, 1.8))


def dz_resolution(pt: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """sigma(dz) in mm: 25 um (+) 100 um GeV / pT in the barrel, about 0.08 mm forward."""
    return np.hypot(0.025, 0.100 / pt) * _eta_factor(abs_eta, (1.0, 1.5, 3.0))


def ecal_resolution(energy: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """sigma(E)/E: 3%/sqrt(E) (+) 0.5% (+) 0.2 GeV/E; 100%/sqrt(E) (+) 10% beyond |eta| 3."""
    central = np.sqrt(0.03**2 / energy + 0.005**2 + (0.2 / energy) ** 2)
    forward = np.sqrt(1.0 / energy + 0.10**2)
    return np.where(abs_eta <= ENDCAP_CALO_ETA_MAX, central, forward)


def hcal_resolution(energy: np.ndarray, abs_eta: np.ndarray) -> np.ndarray:
    """sigma(E)/E: 100%/sqrt(E) (+) 5%; 150%/sqrt(E) (+) 10% beyond |eta| 3."""
    central = np.sqrt(1.0 / energy + 0.05**2)
    forward = np.sqrt(1.5**2 / energy + 0.10**2)
    return np.where(abs_eta <= ENDCAP_CALO_ETA_MAX, central, forward)


# Position smearing of calorimeter deposits, about a cell size over sqrt(12):
# ECAL cells 0.0174 x 1 degree, HCAL cells 0.087 x 5 degrees.
ECAL_POSITION_SIGMA = 0.005
HCAL_POSITION_SIGMA = 0.025


def _track_angle_sigma(pt: np.ndarray) -> np.ndarray:
    # Multiple scattering dominates at low pT: 0.2 mrad (+) 2 mrad GeV / pT.
    return np.hypot(2e-4, 2e-3 / pt)


def impact_parameters(
    x: np.ndarray, y: np.ndarray, z: np.ndarray,
    px: np.ndarray, py: np.ndarray, pz: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Transverse and longitudinal impact parameters of straight tracks, in mm.

    d0 = (x py - y px) / pT, Delphes's sign convention; dz is z at the point of closest
    transverse approach to the beam line.
    """
    pt = np.hypot(px, py)
    d0 = (x * py - y * px) / pt
    dz = z - (x * px + y * py) / pt * (pz / pt)
    return d0, dz


def respond(
    particles: dict[str, np.ndarray], rng: np.random.Generator, config: DetectorConfig
) -> Candidates:
    """Turn the stable visible particles of an event into reconstructed candidates.

    ``particles`` holds arrays pid, px, py, pz, e, m, charge, x, y, z (vertex in mm).
    """
    pid = particles["pid"]
    abs_pid = np.abs(pid)
    px, py, pz = particles["px"], particles["py"], particles["pz"]
    pt = np.hypot(px, py)
    keep = pt > 0.0
    pt_safe = np.where(keep, pt, 1.0)
    eta = np.where(keep, np.arcsinh(pz / pt_safe), 0.0)
    phi = np.arctan2(py, px)
    abs_eta = np.abs(eta)
    charged = (particles["charge"] != 0) & keep

    # Step 2: which charged particles are reconstructed as tracks.
    efficiency = tracking_efficiency(abs_pid, pt, abs_eta)
    if not config.tracking_efficiency:
        efficiency = np.where(efficiency > 0.0, 1.0, 0.0)
    tracked = charged & (rng.random(len(pt)) < efficiency)

    to_ecal = ~tracked & keep & ((abs_pid == 22) | (abs_pid == 11))
    to_hcal = ~tracked & keep & ~to_ecal & (abs_pid != 13)
    in_calo = abs_eta <= CALORIMETER_ETA_MAX
    to_ecal &= in_calo
    to_hcal &= in_calo

    # Step 3: tracks.
    t_pt, t_eta, t_phi = pt[tracked], eta[tracked], phi[tracked]
    t_abs_eta = abs_eta[tracked]
    d0_true, dz_true = impact_parameters(
        particles["x"][tracked], particles["y"][tracked], particles["z"][tracked],
        px[tracked], py[tracked], pz[tracked])
    d0_err = d0_resolution(t_pt, t_abs_eta)
    dz_err = dz_resolution(t_pt, t_abs_eta)
    if config.smear:
        n_tracks = len(t_pt)
        t_pt = t_pt * np.abs(1.0 + track_pt_resolution(t_pt, t_abs_eta)
                             * rng.standard_normal(n_tracks))
        angle_sigma = _track_angle_sigma(pt[tracked])
        t_eta = t_eta + angle_sigma * rng.standard_normal(n_tracks)
        t_phi = t_phi + angle_sigma * rng.standard_normal(n_tracks)
        d0 = d0_true + d0_err * rng.standard_normal(n_tracks)
        dz = dz_true + dz_err * rng.standard_normal(n_tracks)
    else:
        d0, dz = d0_true, dz_true
    t_abs_pid = abs_pid[tracked]
    t_kind = np.full(len(t_pt), KIND_OTHER_TRACK, dtype=np.int8)
    t_kind[np.isin(t_abs_pid, CHARGED_HADRON_IDS)] = KIND_CHARGED_HADRON
    t_kind[t_abs_pid == 11] = KIND_ELECTRON
    t_kind[t_abs_pid == 13] = KIND_MUON

    # Step 4: calorimeter deposits.
    deposits = []
    for mask, resolution, sigma_pos, threshold, kind in (
        (to_ecal, ecal_resolution, ECAL_POSITION_SIGMA, ECAL_THRESHOLD_GEV, KIND_PHOTON),
        (to_hcal, hcal_resolution, HCAL_POSITION_SIGMA, HCAL_THRESHOLD_GEV, KIND_NEUTRAL_HADRON),
    ):
        c_energy = particles["e"][mask]
        c_eta, c_phi = eta[mask], phi[mask]
        if config.smear:
            n = len(c_energy)
            c_energy = c_energy * (1.0 + resolution(c_energy, abs_eta[mask])
                                   * rng.standard_normal(n))
            c_eta = c_eta + sigma_pos * rng.standard_normal(n)
            c_phi = c_phi + sigma_pos * rng.standard_normal(n)
        above = c_energy > threshold
        c_energy, c_eta, c_phi = c_energy[above], c_eta[above], c_phi[above]
        deposits.append((c_energy / np.cosh(c_eta), c_eta, c_phi, kind))

    n_deposits = sum(len(d[0]) for d in deposits)
    zeros = np.zeros(n_deposits)
    return Candidates(
        pt=np.concatenate([t_pt] + [d[0] for d in deposits]),
        eta=np.concatenate([t_eta] + [d[1] for d in deposits]),
        phi=_wrap(np.concatenate([t_phi] + [d[2] for d in deposits])),
        mass=np.concatenate([particles["m"][tracked], zeros]),
        charge=np.concatenate([particles["charge"][tracked], zeros]),
        kind=np.concatenate([t_kind] + [np.full(len(d[0]), d[3], np.int8) for d in deposits]),
        d0=np.concatenate([d0, zeros]),
        d0_err=np.concatenate([d0_err, zeros]),
        dz=np.concatenate([dz, zeros]),
        dz_err=np.concatenate([dz_err, zeros]),
    )


def _wrap(phi: np.ndarray) -> np.ndarray:
    return (phi + np.pi) % (2.0 * np.pi) - np.pi
