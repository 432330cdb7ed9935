"""(b) The same seed gives identical arrays; seeds derive from (seed, process, chunk)."""

from __future__ import annotations

import numpy as np
import uproot

from jetsim import generate, manifest, schema


def _generate(folder, seed: int, chunk: int = 0):
    task = generate.ChunkTask(process="HToCC", chunk=chunk, n_jets=2, master_seed=seed,
                              out_dir=str(folder))
    result = generate.generate_chunk(task)
    path = folder / result.file
    return result, uproot.open(path)[schema.TREE_NAME].arrays(library="np"), path


def test_same_seed_same_arrays(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result_a, arrays_a, path_a = _generate(tmp_path / "a", seed=3)
    result_b, arrays_b, path_b = _generate(tmp_path / "b", seed=3)
    assert result_a.events == result_b.events
    assert arrays_a.keys() == arrays_b.keys()
    for name in arrays_a:
        flat_a = np.concatenate(arrays_a[name]) if arrays_a[name].dtype == object \
            else arrays_a[name]
        flat_b = np.concatenate(arrays_b[name]) if arrays_b[name].dtype == object \
            else arrays_b[name]
        assert np.array_equal(flat_a, flat_b), name
    assert manifest.content_sha256(path_a) == manifest.content_sha256(path_b)


def test_other_seed_other_jets(tmp_path):
    _, arrays_a, _ = _generate(tmp_path, seed=3)
    _, arrays_b, _ = _generate(tmp_path, seed=4)
    assert not np.array_equal(arrays_a["jet_pt"], arrays_b["jet_pt"])


def test_seed_derivation_is_stable():
    # Pinned values: changing the derivation would silently change every sample.
    assert generate.derive_seed(1, "TTBar", 0) == generate.derive_seed(1, "TTBar", 0)
    assert generate.derive_seed(1, "TTBar", 0) == 132292997
    seeds = {generate.derive_seed(1, name, chunk)
             for name in ("TTBar", "HToBB") for chunk in range(3)}
    assert len(seeds) == 6
    assert all(1 <= seed <= generate.PYTHIA_SEED_MAX for seed in seeds)


def test_chunk_plan():
    plan = generate.plan_chunks(["TTBar"], n_jets=250, jets_per_file=100, first_index=100)
    assert plan == [("TTBar", 100, 100), ("TTBar", 101, 100), ("TTBar", 102, 50)]


def test_worker_count_does_not_change_the_output(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    hashes = {}
    for folder, workers in (("one", 1), ("two", 2)):
        tasks = [generate.ChunkTask(process="WToQQ", chunk=chunk, n_jets=2, master_seed=5,
                                    out_dir=str(tmp_path / folder)) for chunk in (0, 1)]
        results = generate.run_tasks(tasks, workers=workers, show_progress=False)
        hashes[folder] = [manifest.content_sha256(tmp_path / folder / r.file)
                          for r in results]
    assert hashes["one"] == hashes["two"]
    assert hashes["one"][0] != hashes["one"][1]
