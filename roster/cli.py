"""The `roster` command: solve, check, generate, bench, serve, admin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from roster.cli_types import (
    agent_counts,
    horizon_weeks,
    iana_zone,
    iso_date,
    positive_int,
    positive_seconds,
)
from roster.curtois.arguments import add_bench_curtois_arguments
from roster.errors import RosterError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except RosterError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roster", description=__doc__)
    commands = parser.add_subparsers(title="commands")
    _add_solve(commands)
    _add_check(commands)
    _add_generate(commands)
    _add_bench(commands)
    _add_serve(commands)
    _add_admin(commands)
    _add_loadbench(commands)
    return parser


def _lazy(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """Import a command's module only when it runs, so `roster check` stays fast."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), function)(args)

    return run


def _add_solve(commands) -> None:
    p = commands.add_parser("solve", help="build a weekly roster from a scenario folder")
    p.add_argument("scenario", type=Path, help="scenario folder (scenario.toml, agents.csv, ...)")
    p.add_argument("--out", type=Path, required=True, help="folder for roster.json, roster.csv")
    add_history_option(p)
    add_solver_options(p)
    p.add_argument("--quiet", action="store_true", help="print no summary")
    p.set_defaults(run=_lazy("roster.solve_command", "main_solve"))


def add_history_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="PREVIOUS_ROSTER_JSON",
        help="the previous roster.json: rest, one start per local day, runs of days and "
        "forbidden successions then hold across the boundary with it",
    )


def add_solver_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--time-limit",
        type=positive_seconds,
        default=60.0,
        help="search budget (60): CP-SAT deterministic seconds, so a seed gives the same "
        "roster on every run, but wall time varies with the machine and its load (about "
        "1.5x on a busy 2-core machine, plus up to a fifth of the limit for the LP's "
        "bound on large weeks); see --wall-clock",
    )
    p.add_argument("--workers", type=positive_int, default=2, help="CP-SAT search workers (2)")
    p.add_argument("--seed", type=int, default=0, help="random seed (0)")
    p.add_argument(
        "--wall-clock",
        action="store_true",
        help="limit by wall-clock time instead of CP-SAT's deterministic time "
        "(faster to stop, but the roster may differ between runs)",
    )
    p.add_argument("--log-search", action="store_true", help="print CP-SAT's search log")


def _add_check(commands) -> None:
    p = commands.add_parser("check", help="verify a roster.json against its scenario")
    p.add_argument("scenario", type=Path)
    p.add_argument("roster", type=Path)
    add_history_option(p)
    p.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from roster.check import run_check

    history = str(args.history) if args.history is not None else None
    return run_check(str(args.scenario), str(args.roster), history)


def _add_generate(commands) -> None:
    p = commands.add_parser("generate", help="write a realistic seeded scenario folder")
    p.add_argument("out", type=Path)
    p.add_argument("--agents", type=positive_int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--interval", type=int, choices=(15, 30, 60), default=30)
    p.add_argument(
        "--week-start", type=iso_date, default=None, help="YYYY-MM-DD (default 2026-11-30)"
    )
    p.add_argument(
        "--weeks", type=horizon_weeks, default=1, help="horizon in weeks, 1 to 12 (default 1)"
    )
    p.add_argument(
        "--timezone", type=iana_zone, default=None, help="planning zone (default Europe/Paris)"
    )
    p.add_argument("--name", default=None)
    p.set_defaults(run=_lazy("roster.generate", "main_generate"))


def _add_bench(commands) -> None:
    p = commands.add_parser("bench", help="solver benchmarks (see docs/benchmarks.md)")
    p.add_argument(
        "--sizes",
        type=agent_counts,
        default=[50, 200, 500, 1000],
        help="agent counts (50,200,500,1000)",
    )
    p.add_argument("--time-limit", type=positive_seconds, default=None, help="seconds per size")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=positive_int, default=2)
    p.add_argument("--out", type=Path, default=None, help="keep scenarios and rosters here")
    p.set_defaults(run=_lazy("roster.bench", "main_bench"))
    sub = p.add_subparsers(title="suites")
    c = sub.add_parser("curtois", help="the Curtois-Qu nurse rostering benchmark")
    add_bench_curtois_arguments(c)
    c.set_defaults(run=_lazy("roster.curtois.bench", "main_bench_curtois"))


# The command line is the outermost edge: it wires in the HTTP service's commands, whose
# arguments live in api/arguments.py (light to import); the service loads only when run.


def _add_serve(commands) -> None:
    from api.arguments import add_serve_arguments

    p = commands.add_parser("serve", help="run the HTTP API and pages")
    add_serve_arguments(p)
    p.set_defaults(run=_lazy("api.cli", "main_serve"))


def _add_admin(commands) -> None:
    from api.arguments import add_admin_arguments

    p = commands.add_parser("admin", help="manage API keys and agent links")
    add_admin_arguments(p)
    p.set_defaults(run=_lazy("api.cli", "main_admin"))


def _add_loadbench(commands) -> None:
    from api.arguments import add_loadbench_arguments

    p = commands.add_parser("loadbench", help="load benchmark of the calendar feeds")
    add_loadbench_arguments(p)
    p.set_defaults(run=_lazy("api.loadbench", "main_loadbench"))


if __name__ == "__main__":
    sys.exit(main())
