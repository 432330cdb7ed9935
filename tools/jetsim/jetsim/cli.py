"""Command line: ``python -m jetsim generate ...`` and ``python -m jetsim validate ...``."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .processes import PROCESSES


def _parse_classes(text: str) -> list[str]:
    if text == "all":
        return list(PROCESSES)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PROCESSES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown process(es) {', '.join(unknown)}; expected JetClass names: "
            f"{', '.join(PROCESSES)} (or 'all')")
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jetsim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate", help="simulate jets into JetClass-style ROOT files")
    gen.add_argument("--classes", type=_parse_classes, default=list(PROCESSES),
                     help="comma-separated JetClass process names, e.g. TTBar,ZJetsToNuNu "
                          "(default: all ten)")
    gen.add_argument("--jets", type=int, required=True, help="selected jets per class")
    gen.add_argument("--seed", type=int, default=1, help="master seed")
    gen.add_argument("--out", type=Path, required=True, help="output folder")
    gen.add_argument("--workers", type=int, default=1, help="processes, one Pythia each")
    gen.add_argument("--jets-per-file", type=int, default=100_000,
                     help="jets per output file, as JetClass's 100k (default)")
    gen.add_argument("--first-index", type=int, default=0,
                     help="index NNN of the first file, e.g. 100 for JetClass's test split")
    gen.add_argument("--no-tracking-efficiency", action="store_true",
                     help="reconstruct every charged particle in the tracker acceptance")
    gen.add_argument("--mantissa-bits", type=int, default=None,
                     help="round per-particle floats to this many mantissa bits (of 23) "
                          "for smaller files; they stay float32")
    gen.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    val = commands.add_parser("validate", help="plots and numbers from generated files")
    val.add_argument("input", type=Path, help="folder with <Process>_<NNN>.root files")
    val.add_argument("--out", type=Path, required=True, help="report folder")
    return parser


def run_generate(args: argparse.Namespace, argv: list[str]) -> int:
    from . import detector, generate, manifest

    for option, value in (("--jets", args.jets), ("--workers", args.workers),
                          ("--jets-per-file", args.jets_per_file)):
        if value <= 0:
            raise SystemExit(f"{option} must be positive, got {value}")
    if args.mantissa_bits is not None and not 1 <= args.mantissa_bits <= 23:
        raise SystemExit(f"--mantissa-bits must be within 1..23, got {args.mantissa_bits}")
    args.out.mkdir(parents=True, exist_ok=True)
    config = detector.DetectorConfig(tracking_efficiency=not args.no_tracking_efficiency)
    plan = generate.plan_chunks(args.classes, args.jets, args.jets_per_file, args.first_index)
    tasks = [
        generate.ChunkTask(process=name, chunk=chunk, n_jets=n, master_seed=args.seed,
                           out_dir=str(args.out), detector=config,
                           mantissa_bits=args.mantissa_bits)
        for name, chunk, n in plan
    ]
    results = generate.run_tasks(tasks, args.workers, show_progress=not args.no_progress)

    command = ["python", "-m", "jetsim"] + argv
    data = manifest.build_manifest(command, results, args.out, args.seed, config,
                                   args.mantissa_bits)
    manifest.write_manifest(args.out / "manifest.json", data)
    print(generate.format_summary(generate.summarise(results)))
    print(f"wrote {len(results)} file(s), {data['total_bytes'] / 1e6:.2f} MB, to {args.out}")
    print(f"command: {shlex.join(command)}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from . import validate

    try:
        report = validate.validate(args.input, args.out)
    except FileNotFoundError as error:
        raise SystemExit(f"validate: {error}") from None
    print(validate.format_report(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        return run_generate(args, argv)
    return run_validate(args)
