"""`roster bench`: solve generated helpdesk weeks of growing size and print the figures.

Each size runs in its own process so that its peak memory is its own. Figures: time to
the first roster, final objective, bound and gap, coverage of the Erlang requirement, and
whether the independent validator accepts the roster.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from roster.folders import check_output_folder

DEFAULT_LIMITS = {50: 60.0, 200: 60.0, 500: 120.0, 1000: 120.0}


@dataclass
class BenchRow:
    agents: int
    queues: int
    intervals: int
    shift_options: int
    first_roster_seconds: float
    total_seconds: float
    status: str
    objective: float
    bound: float
    gap_pct: float
    coverage_pct: float
    peak_memory_mb: float
    valid: bool


def main_bench(args: argparse.Namespace) -> int:
    sizes = args.sizes
    if args.out is not None:
        check_output_folder(args.out)
    print(
        f"{'agents':>6} {'queues':>6} {'options':>8} {'first s':>8} {'total s':>8} "
        f"{'status':>8} {'objective':>14} {'bound':>14} {'gap %':>7} {'cover %':>8} "
        f"{'peak MB':>8} {'valid':>5}"
    )
    context = multiprocessing.get_context("spawn")
    for size in sizes:
        limit = args.time_limit or DEFAULT_LIMITS.get(size, 120.0)
        with context.Pool(1) as pool:
            row = pool.apply(_bench_one, (size, args.seed, limit, args.workers, args.out))
        print(
            f"{row.agents:>6} {row.queues:>6} {row.shift_options:>8} "
            f"{row.first_roster_seconds:>8.1f} {row.total_seconds:>8.1f} {row.status:>8} "
            f"{row.objective:>14,.0f} {row.bound:>14,.0f} {row.gap_pct:>7.2f} "
            f"{row.coverage_pct:>8.2f} {row.peak_memory_mb:>8.0f} {str(row.valid):>5}",
            flush=True,
        )
    return 0


def _bench_one(size: int, seed: int, limit: float, workers: int, keep: Path | None) -> BenchRow:
    from roster.check import check_roster
    from roster.engine import SolveOptions, solve, translate
    from roster.generate import generate_scenario
    from roster.kpi import summarize
    from roster.output import write_outputs
    from roster.scenario import load_scenario

    base = keep or Path(tempfile.mkdtemp(prefix="roster-bench-"))
    folder = generate_scenario(base / f"agents-{size}", size, seed)
    scenario = load_scenario(folder)
    started = time.monotonic()
    options = SolveOptions(
        time_limit_seconds=limit, workers=workers, seed=seed, deterministic=False
    )
    roster = solve(scenario, options)
    total = time.monotonic() - started
    summary = summarize(scenario, roster)
    if keep:
        write_outputs(base / f"agents-{size}-roster", scenario, roster, summary)
    first = roster.extra.get("first_solution_seconds") or total
    return BenchRow(
        agents=size,
        queues=len(scenario.queues),
        intervals=scenario.grid.n_intervals,
        shift_options=sum(len(w.options) for w in translate(scenario).problem.workers),
        first_roster_seconds=first,
        total_seconds=total,
        status=roster.status,
        objective=roster.objective,
        bound=roster.bound,
        gap_pct=100 * summary.gap,
        coverage_pct=summary.coverage_pct,
        peak_memory_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        valid=check_roster(scenario, roster) == [],
    )
