"""Options of `roster bench curtois`, kept free of heavy imports so that the `roster`
command can list them without loading the benchmark's model."""

from __future__ import annotations

import argparse
from pathlib import Path

from roster.cli_types import positive_int, positive_seconds

DATA_DIR = Path(__file__).parents[3] / "shared/data/curtois"


def add_bench_curtois_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `roster bench curtois` (for the CLI to attach to its subparser)."""
    parser.add_argument("--instances", default="1-24", help="e.g. 1-24, 1-5,9 (default 1-24)")
    parser.add_argument(
        "--time-limit", type=positive_seconds, default=60.0, help="seconds per instance"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=2,
        help="CP-SAT workers of the full model, threads of the search (default 2)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder of InstanceN.txt")
    parser.add_argument("--out", type=Path, required=True, help="folder for rosters and results")
