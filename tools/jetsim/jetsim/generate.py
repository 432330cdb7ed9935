"""Event generation: Pythia 8 -> detector response -> anti-kT jets -> JetClass files.

Work is split into chunks, one output file each (``<Process>_<NNN>.root``). A chunk has
its own Pythia instance and random seeds derived from the master seed, the process name
and the chunk index, so the output does not depend on how chunks are spread over workers.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import queue as queue_module
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import awkward as ak
import fastjet
import numpy as np

from . import detector, schema, truth
from .processes import COMMON_SETTINGS, LABELS, Process, get_process

JET_R = 0.8
JET_PT_MIN = 500.0
JET_PT_MAX = 1000.0
JET_ABS_ETA_MAX = 2.0

SOFT_DROP = {"beta": 0.0, "symmetry_cut": 0.1, "R0": 0.8}
NSUBJETTINESS = {
    "measure_definition": "NormalizedMeasure",
    "axes_definition": "OnePass_KT_Axes",
    "beta": 1.0,
    "R0": 0.8,
}
# Reclustering radius for substructure: every constituent of an R = 0.8 jet lies within
# 1.6 of every other, so C/A with R = 2 and exclusive_jets(1) keeps the whole jet.
RECLUSTER_R = 2.0

# Pythia accepts seeds 1 .. 900 000 000; 0 would mean "seed from the clock".
PYTHIA_SEED_MAX = 900_000_000


def derive_seed(master_seed: int, process: str, chunk: int, variant: int = 0) -> int:
    """A reproducible seed in [1, 9e8] for one (process, chunk, Pythia variant)."""
    key = f"jetsim:{master_seed}:{process}:{chunk}:{variant}".encode()
    digest = int.from_bytes(hashlib.sha256(key).digest()[:8], "little")
    return digest % PYTHIA_SEED_MAX + 1


@dataclass(frozen=True)
class ChunkTask:
    process: str
    chunk: int
    n_jets: int
    master_seed: int
    out_dir: str
    detector: detector.DetectorConfig = detector.DetectorConfig()
    mantissa_bits: int | None = None
    # Guard against a process whose selection never passes (a wrong setting).
    max_events_per_jet: int = 200


@dataclass
class ChunkResult:
    process: str
    chunk: int
    file: str
    jets: int
    events: int
    events_vetoed: int
    cpu_seconds: float
    wall_seconds: float
    pythia_seeds: list[int]
    detector_seed: int
    sigma_gen_mb: float
    jets_per_truth_code: dict[str, int] = field(default_factory=dict)


def make_pythia(settings: tuple[str, ...], seed: int):
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in COMMON_SETTINGS + settings + ("Random:setSeed = on", f"Random:seed = {seed}"):
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejected the setting {line!r}")
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise with {settings!r}")
    return pythia


# Columns of the final-state table read from Pythia, one row per particle.
FINAL_STATE_COLUMNS = ("pid", "px", "py", "pz", "e", "m", "charge", "x", "y", "z")


def final_state(event) -> dict[str, np.ndarray]:
    """Stable visible particles (neutrinos removed) as column arrays.

    This loop over the event record is the one per-particle Python loop in the chain;
    everything after it works on numpy arrays.
    """
    rows = [
        (prt.id(), prt.px(), prt.py(), prt.pz(), prt.e(), prt.m(), prt.charge(),
         prt.xProd(), prt.yProd(), prt.zProd())
        for prt in event if prt.isFinal() and prt.isVisible()
    ]
    table = np.array(rows, dtype=np.float64).reshape(-1, len(FINAL_STATE_COLUMNS))
    columns = {name: table[:, i] for i, name in enumerate(FINAL_STATE_COLUMNS)}
    columns["pid"] = columns["pid"].astype(np.int64)
    return columns


def wrap_phi(phi):
    return (phi + np.pi) % (2.0 * np.pi) - np.pi


class ChunkBuffer:
    """Jets of one chunk, accumulated as lists of per-jet arrays."""

    def __init__(self) -> None:
        self.counts: list[int] = []
        self.part: dict[str, list[np.ndarray]] = {
            name: [] for name in schema.PART_FLOAT_FIELDS + schema.PART_FLAG_FIELDS}
        self.prong_counts: list[int] = []
        self.prong: dict[str, list[np.ndarray]] = {name: [] for name in schema.PRONG_FIELDS}
        self.scalars: dict[str, list[float]] = {}
        # Unrounded float64 four-momenta for the substructure step.
        self.four_momenta: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.counts)

    def add_scalar(self, name: str, value: float) -> None:
        self.scalars.setdefault(name, []).append(value)

    def add_jet(self, jet, candidates: detector.Candidates, process: Process, code: int,
                resonance: truth.Resonance | None, prongs: list[truth.GenParticle]) -> None:
        jet_pt, jet_eta, jet_phi = jet.pt(), jet.eta(), jet.phi_std()
        index = np.array([c.user_index() for c in jet.constituents()], dtype=np.int64)
        index = index[np.argsort(-candidates.pt[index], kind="stable")]

        pt, eta, phi = candidates.pt[index], candidates.eta[index], candidates.phi[index]
        px, py, pz, energy = (v[index] for v in candidates.four_momenta())
        kind = candidates.kind[index]
        # JetClass's frame: deta flips sign with the jet so forward and backward jets align.
        eta_sign = 1.0 if jet_eta > 0 else -1.0
        values = {
            "px": px, "py": py, "pz": pz, "energy": energy,
            "deta": (eta - jet_eta) * eta_sign,
            "dphi": wrap_phi(phi - jet_phi),
            "d0val": candidates.d0[index], "d0err": candidates.d0_err[index],
            "dzval": candidates.dz[index], "dzerr": candidates.dz_err[index],
            "charge": candidates.charge[index],
            "isChargedHadron": kind == detector.KIND_CHARGED_HADRON,
            "isNeutralHadron": kind == detector.KIND_NEUTRAL_HADRON,
            "isPhoton": kind == detector.KIND_PHOTON,
            "isElectron": kind == detector.KIND_ELECTRON,
            "isMuon": kind == detector.KIND_MUON,
        }
        for name, array in values.items():
            self.part[name].append(array)
        self.counts.append(len(index))
        self.four_momenta.append(np.stack([px, py, pz, energy], axis=1))

        self.add_scalar("jet_pt", jet_pt)
        self.add_scalar("jet_eta", jet_eta)
        self.add_scalar("jet_phi", jet_phi)
        self.add_scalar("jet_energy", jet.e())
        self.add_scalar("jet_nparticles", float(len(index)))
        is_signal = process.label != "QCD"
        for label in LABELS:
            # label_QCD = 1 - is_signal, as in JetClass; the signal labels are one-hot.
            value = (not is_signal) if label == "QCD" else (label == process.label)
            self.add_scalar(f"label_{label}", float(value))
        genpart = resonance.particle if resonance is not None else None
        self.add_scalar("aux_genpart_pt", genpart.pt if genpart else 0.0)
        self.add_scalar("aux_genpart_eta", genpart.eta if genpart else 0.0)
        self.add_scalar("aux_genpart_phi", genpart.phi if genpart else 0.0)
        self.add_scalar("aux_genpart_pid", float(genpart.pid) if genpart else 0.0)
        self.add_scalar("aux_truth_match", float(code))

        self.prong_counts.append(len(prongs))
        self.prong["pt"].append(np.array([p.pt for p in prongs]))
        self.prong["eta"].append(np.array([p.eta for p in prongs]))
        self.prong["phi"].append(np.array([p.phi for p in prongs]))
        self.prong["pid"].append(np.array([float(p.pid) for p in prongs]))
        prong_eta = np.array([p.eta for p in prongs])
        prong_phi = np.array([p.phi for p in prongs])
        self.prong["deta"].append((prong_eta - jet_eta) * eta_sign)
        self.prong["dphi"].append(wrap_phi(prong_phi - jet_phi))

    def substructure(self) -> None:
        """Soft-drop mass and N-subjettiness of all jets at once (FastJet contrib)."""
        if not self.counts:
            for name in ("jet_sdmass", "jet_tau1", "jet_tau2", "jet_tau3", "jet_tau4"):
                self.scalars[name] = []
            return
        flat = np.concatenate(self.four_momenta)
        counts = np.array(self.counts)
        fields = ("px", "py", "pz", "E")
        constituents = ak.zip(
            {name: ak.unflatten(flat[:, i], counts) for i, name in enumerate(fields)},
            with_name="Momentum4D",
        )
        definition = fastjet.JetDefinition(fastjet.cambridge_algorithm, RECLUSTER_R)
        with warnings.catch_warnings():
            # FastJet warns that exclusive jets need care for non-kt algorithms; C/A is fine.
            warnings.simplefilter("ignore")
            sequence = fastjet.ClusterSequence(constituents, definition)
            groomed = sequence.exclusive_jets_softdrop_grooming(njets=1, **SOFT_DROP)
            taus = sequence.njettiness(njets=[1, 2, 3, 4], **NSUBJETTINESS)
        self.scalars["jet_sdmass"] = list(np.asarray(groomed.msoftdrop, dtype=np.float64))
        taus = np.asarray(ak.to_numpy(taus), dtype=np.float64).reshape(-1, 4)
        for n in range(4):
            self.scalars[f"jet_tau{n + 1}"] = list(taus[:, n])

    def write(self, path: Path, mantissa_bits: int | None) -> None:
        def flat(arrays: list[np.ndarray]) -> np.ndarray:
            return np.concatenate(arrays) if arrays else np.zeros(0)

        schema.write_tree(
            path,
            counts=np.array(self.counts, dtype=np.int64),
            part={name: flat(arrays) for name, arrays in self.part.items()},
            prong_counts=np.array(self.prong_counts, dtype=np.int64),
            prong={name: flat(arrays) for name, arrays in self.prong.items()},
            scalars={name: np.array(values) for name, values in self.scalars.items()},
            mantissa_bits=mantissa_bits,
        )


def nearest_parton(partons: list[truth.GenParticle], jet_eta: float, jet_phi: float):
    """The hard-process parton closest to the jet, if within the matching radius."""
    best, best_dr = None, truth.MATCH_RADIUS
    for parton in partons:
        dr = truth.delta_r(parton.eta, parton.phi, jet_eta, jet_phi)
        if dr < best_dr:
            best, best_dr = parton, dr
    return best


_banner_shown = False


def quiet_fastjet_banner() -> None:
    """Let FastJet print its banner into /dev/null, once per process.

    FastJet prints it on the first clustering, from C++, where it would break into the
    progress bar; a throw-away clustering with stdout redirected uses it up.
    """
    global _banner_shown
    if _banner_shown:
        return
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        definition = fastjet.JetDefinition(fastjet.antikt_algorithm, JET_R)
        fastjet.ClusterSequence([fastjet.PseudoJet(1.0, 0.0, 0.0, 1.0)], definition)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _banner_shown = True


def generate_chunk(task: ChunkTask, progress=None) -> ChunkResult:
    """Generate ``task.n_jets`` selected jets of one process into one ROOT file."""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    quiet_fastjet_banner()
    process = get_process(task.process)
    pythia_seeds = [derive_seed(task.master_seed, process.name, task.chunk, variant)
                    for variant in range(len(process.variants))]
    pythias = [make_pythia(settings, seed)
               for settings, seed in zip(process.variants, pythia_seeds)]
    detector_seed = derive_seed(task.master_seed, process.name, task.chunk, variant=99)
    rng = np.random.default_rng(detector_seed)
    jet_definition = fastjet.JetDefinition(fastjet.antikt_algorithm, JET_R)

    buffer = ChunkBuffer()
    n_events = n_vetoed = 0
    codes: dict[str, int] = {}
    max_events = task.max_events_per_jet * max(task.n_jets, 10)
    reported = 0
    while len(buffer) < task.n_jets:
        if n_events >= max_events:
            raise RuntimeError(
                f"{process.name}: only {len(buffer)} of {task.n_jets} jets after "
                f"{n_events} events; the selection efficiency is implausibly low")
        pythia = pythias[n_events % len(pythias)]
        n_events += 1
        if not pythia.next():
            n_vetoed += 1
            continue
        event = pythia.event

        if process.require_one_hadronic_one_invisible_z:
            if truth.z_decay_kinds(event) != (1, 1):
                n_vetoed += 1
                continue
        if process.resonance_id:
            resonances = truth.find_resonances(event, process.resonance_id)
            partons = []
        else:
            resonances = []
            partons = truth.hard_partons(pythia.process)

        candidates = detector.respond(final_state(event), rng, task.detector)
        keep = (candidates.pt > 0.0) & (np.abs(candidates.eta) < detector.CALORIMETER_ETA_MAX)
        px, py, pz, energy = candidates.four_momenta()
        pseudojets = []
        for i in np.flatnonzero(keep):
            pseudojet = fastjet.PseudoJet(px[i], py[i], pz[i], energy[i])
            pseudojet.set_user_index(int(i))
            pseudojets.append(pseudojet)
        sequence = fastjet.ClusterSequence(pseudojets, jet_definition)
        for jet in fastjet.sorted_by_pt(sequence.inclusive_jets(JET_PT_MIN)):
            if not (JET_PT_MIN < jet.pt() < JET_PT_MAX and abs(jet.eta()) < JET_ABS_ETA_MAX):
                continue
            if process.resonance_id:
                code, resonance = truth.match_jet(resonances, jet.eta(), jet.phi_std())
                if code not in process.accepted_codes:
                    continue
                prongs = resonance.products
            else:
                code, resonance = truth.CODE_QCD, None
                parton = nearest_parton(partons, jet.eta(), jet.phi_std())
                prongs = [parton] if parton is not None else []
            buffer.add_jet(jet, candidates, process, code, resonance, prongs)
            codes[str(code)] = codes.get(str(code), 0) + 1
            if len(buffer) == task.n_jets:
                # A second passing jet of the last event is dropped to hit n_jets exactly.
                break

        if progress is not None and len(buffer) - reported >= 10:
            progress.put(len(buffer) - reported)
            reported = len(buffer)

    buffer.substructure()
    out_path = Path(task.out_dir) / f"{process.name}_{task.chunk:03d}.root"
    buffer.write(out_path, task.mantissa_bits)
    if progress is not None and len(buffer) > reported:
        progress.put(len(buffer) - reported)

    sigma_gen_mb = float(np.mean([p.infoPython().sigmaGen() for p in pythias]))
    return ChunkResult(
        process=process.name, chunk=task.chunk, file=out_path.name, jets=len(buffer),
        events=n_events, events_vetoed=n_vetoed,
        cpu_seconds=time.process_time() - cpu_start,
        wall_seconds=time.perf_counter() - wall_start,
        pythia_seeds=pythia_seeds, detector_seed=detector_seed,
        sigma_gen_mb=sigma_gen_mb, jets_per_truth_code=codes,
    )


def plan_chunks(process_names: list[str], n_jets: int, jets_per_file: int,
                first_index: int) -> list[tuple[str, int, int]]:
    """(process, chunk index, jets) for every output file."""
    plan = []
    for name in process_names:
        get_process(name)
        n_files = math.ceil(n_jets / jets_per_file)
        for k in range(n_files):
            jets = min(jets_per_file, n_jets - k * jets_per_file)
            plan.append((name, first_index + k, jets))
    return plan


_worker_queue = None


def _init_worker(progress_queue) -> None:
    global _worker_queue
    _worker_queue = progress_queue


def _run_in_worker(task: ChunkTask) -> ChunkResult:
    return generate_chunk(task, _worker_queue)


def run_tasks(tasks: list[ChunkTask], workers: int, show_progress: bool = True
              ) -> list[ChunkResult]:
    """Run the chunks on ``workers`` processes (one Pythia each), with a progress bar."""
    from tqdm import tqdm

    total = sum(task.n_jets for task in tasks)
    bar = tqdm(total=total, unit="jet", disable=not show_progress, file=sys.stderr,
               dynamic_ncols=True)
    if workers <= 1:
        progress = _BarUpdater(bar)
        results = [generate_chunk(task, progress) for task in tasks]
        bar.close()
        return results

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    progress_queue = context.Queue()
    with context.Pool(workers, initializer=_init_worker, initargs=(progress_queue,)) as pool:
        pending = pool.map_async(_run_in_worker, tasks, chunksize=1)
        while not pending.ready():
            try:
                bar.update(progress_queue.get(timeout=0.5))
            except queue_module.Empty:
                pass
        results = pending.get()
    while True:
        try:
            bar.update(progress_queue.get_nowait())
        except queue_module.Empty:
            break
    bar.close()
    return results


class _BarUpdater:
    """Queue-like sink for the single-process path."""

    def __init__(self, bar) -> None:
        self.bar = bar

    def put(self, n: int) -> None:
        self.bar.update(n)


def summarise(results: list[ChunkResult]) -> dict[str, dict]:
    """Per process: jets kept, events generated, efficiency, jets per CPU second."""
    summary: dict[str, dict] = {}
    for result in results:
        entry = summary.setdefault(result.process, {
            "jets": 0, "events": 0, "events_vetoed": 0, "cpu_seconds": 0.0, "files": []})
        entry["jets"] += result.jets
        entry["events"] += result.events
        entry["events_vetoed"] += result.events_vetoed
        entry["cpu_seconds"] += result.cpu_seconds
        entry["files"].append(result.file)
    for entry in summary.values():
        entry["jets_per_event"] = entry["jets"] / max(entry["events"], 1)
        entry["jets_per_cpu_second"] = entry["jets"] / max(entry["cpu_seconds"], 1e-9)
    return summary


def format_summary(summary: dict[str, dict]) -> str:
    lines = [f"{'process':<12} {'jets':>7} {'events':>8} {'jets/event':>10} "
             f"{'jets/s/core':>11}"]
    for name, entry in summary.items():
        lines.append(
            f"{name:<12} {entry['jets']:>7} {entry['events']:>8} "
            f"{entry['jets_per_event']:>10.3f} {entry['jets_per_cpu_second']:>11.2f}")
    return "\n".join(lines)
