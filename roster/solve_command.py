"""`roster solve SCENARIO --out DIR [--history PREVIOUS]`: load, solve with live progress,
write, summarise. A bad history file stops the command before anything is solved or written."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from roster.engine import SolveOptions, solve
from roster.folders import check_output_folder
from roster.history import load_history
from roster.kpi import format_summary, summarize
from roster.output import write_outputs
from roster.scenario import load_scenario
from roster.solver.problem import Progress


def solve_options(args: argparse.Namespace) -> SolveOptions:
    return SolveOptions(
        time_limit_seconds=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        deterministic=not args.wall_clock,
        log_search=args.log_search,
    )


def main_solve(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    for warning in scenario.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    history = load_history(args.history, scenario) if args.history is not None else None
    check_output_folder(args.out)  # a wrong path should not cost a solve
    progress = ProgressLine(sys.stderr)
    roster = solve(scenario, solve_options(args), on_progress=progress, history=history)
    progress.close()
    summary = summarize(scenario, roster)
    write_outputs(args.out, scenario, roster, summary)
    if not args.quiet:
        if history is not None:
            print(history.summary_line())
        print(format_summary(summary, show_agents=len(scenario.agents) <= 80))
        print(f"\nwrote {args.out}/roster.json, roster.csv, summary.json, summary.txt")
    return 0


class ProgressLine:
    """Live solver progress on one terminal line; silent when output is not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, p: Progress) -> None:
        if not self.live:
            return
        self.stream.write(
            f"\r  solutions {p.solutions:>4}  objective {p.objective:>16,.0f}  "
            f"bound {p.bound:>16,.0f}  gap {p.gap:>7.2%}  {p.elapsed_seconds:6.1f} s"
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
