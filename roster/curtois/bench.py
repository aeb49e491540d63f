"""`roster bench curtois`: the Curtois-Qu instances on our CP-SAT core, scored independently.

Per instance, within its time limit: a constructive roster (one employee at a time), then
on small instances the full model hinted with it, on the others CP-SAT re-solving a few
employees at a time against the rest (see `full_model_pays`).
The better roster is written to DIR/InstanceN.roster.csv and re-scored by
`roster.curtois.evaluate`, which never sees the solver: its objective goes into
DIR/results.csv, and a broken hard rule makes the row `invalid`.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from roster.curtois.arguments import add_bench_curtois_arguments
from roster.curtois.construct import construct, improve
from roster.curtois.evaluate import evaluate, evaluate_file, write_roster_csv
from roster.curtois.model import Assignment, Settings, build_model, solve
from roster.curtois.parser import Instance, read_instance
from roster.errors import RosterError

RESULT_COLUMNS = ("instance", "objective", "best_known", "gap_pct", "seconds", "status")
# The constructive roster may take the first 15 % of the time limit; the full model or
# the groups of employees have the rest.
CONSTRUCT_SHARE = 0.15
# Beyond four weeks the full model's search could not repair the constructive roster
# within a minute (Instance14: 6056, Instance18: 9388), but re-solving single employees
# first, until 40 % of the limit, gave it a start it could use (1822 and 6567). On four
# weeks the time is better spent in the full model (Instance9: 563 against 1038,
# Instance10: 4635 against 5508 with that pass).
SHORT_HORIZON_DAYS = 28
IMPROVE_SHARE = 0.4
MIN_SOLVE_SECONDS = 2.0
# Shift literals up to which the whole instance goes to CP-SAT (see full_model_pays).
FULL_MODEL_LITERALS = 5_000


@dataclass(frozen=True)
class BenchRow:
    instance: str
    objective: int | None
    best_known: int | None
    seconds: float
    status: str  # optimal, feasible, invalid or none
    source: str  # which step produced the roster: full model, groups or construct

    @property
    def gap_pct(self) -> float | None:
        if self.objective is None or not self.best_known:
            return None
        return 100.0 * (self.objective - self.best_known) / self.best_known

    def csv_row(self) -> list[str]:
        gap = self.gap_pct
        return [
            self.instance,
            "" if self.objective is None else str(self.objective),
            "" if self.best_known is None else str(self.best_known),
            "" if gap is None else f"{gap:.2f}",
            f"{self.seconds:.1f}",
            self.status,
        ]


def main_bench_curtois(args: argparse.Namespace) -> int:
    """Run the benchmark; 0 when every roster is valid, 1 otherwise, 2 on bad input."""
    try:
        numbers = parse_instance_numbers(args.instances)
        best_known = read_best_known(args.data / "best_known.csv")
    except (ValueError, RosterError) as error:
        print(f"roster bench curtois: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings(time_limit_seconds=args.time_limit, workers=args.workers, seed=args.seed)
    rows = []
    print(_format_header())
    for n in numbers:
        name = f"Instance{n}"
        try:
            row = run_instance(args.data / f"{name}.txt", settings, args.out, best_known.get(name))
        except RosterError as error:
            print(f"{name}: {error}", file=sys.stderr)
            return 2
        rows.append(row)
        _write_results(args.out / "results.csv", rows)
        print(_format_row(row), flush=True)
    return 0 if all(r.status in ("optimal", "feasible") for r in rows) else 1


def parse_instance_numbers(text: str) -> list[int]:
    """'1-5,9' -> [1, 2, 3, 4, 5, 9]; instances are numbered 1 to 24."""
    numbers: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"--instances: {part!r} is not a number or a range like 1-24")
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= 24:
            raise ValueError(f"--instances: {part!r} is outside 1-24")
        numbers += [n for n in range(low, high + 1) if n not in numbers]
    if not numbers:
        raise ValueError("--instances: no instance given")
    return numbers


def read_best_known(path: Path) -> dict[str, int]:
    """instance name -> best known objective (upper bound) from best_known.csv."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["instance"]: int(row["best_known_objective"])
            for row in csv.DictReader(handle)
            if row["best_known_objective"]
        }


def run_instance(path: Path, settings: Settings, out_dir: Path, best_known: int | None) -> BenchRow:
    """Solve one instance within the time limit, write its roster, score it independently."""
    started = time.monotonic()
    instance = read_instance(path)
    roster, status, source = _best_roster(instance, settings, started)
    seconds = time.monotonic() - started
    roster_path = out_dir / f"{instance.name}.roster.csv"
    write_roster_csv(roster_path, roster)
    evaluation = evaluate_file(instance, roster_path)
    if roster and not evaluation.valid:
        status = "invalid"
    objective = evaluation.objective if roster else None
    return BenchRow(instance.name, objective, best_known, seconds, status, source)


def _best_roster(
    instance: Instance, settings: Settings, started: float
) -> tuple[list[Assignment], str, str]:
    """(roster, status, source): a constructive roster, then either the full model hinted
    with it (small instances; beyond four weeks the roster is first improved employee by
    employee) or groups of employees re-solved in turn (the others). The status is
    `none` when no roster was found."""
    limit = settings.time_limit_seconds
    roster = construct(instance, CONSTRUCT_SHARE * limit, settings.seed) or []
    if not full_model_pays(instance):
        if not roster:
            return [], "none", ""
        roster = improve(instance, roster, _seconds_left(started, limit), settings.seed)
        return roster, "feasible", "groups"
    if roster and instance.days > SHORT_HORIZON_DAYS:
        budget = IMPROVE_SHARE * limit - (time.monotonic() - started)
        roster = improve(instance, roster, budget, settings.seed, groups=False)
    built = build_model(instance)
    left = max(MIN_SOLVE_SECONDS, _seconds_left(started, limit))
    outcome = solve(built, replace(settings, time_limit_seconds=left), roster or None)
    if outcome.roster and (
        not roster or _objective(instance, outcome.roster) <= _objective(instance, roster)
    ):
        return outcome.roster, outcome.status.lower(), "full model"
    return (roster, "feasible", "construct") if roster else ([], "none", "")


def full_model_pays(instance: Instance) -> bool:
    """Whether to hand the whole instance to CP-SAT. Its LP (with the run-length automaton)
    is strong enough to reach or prove the optimum on the small instances, but past a few
    thousand shift literals the LP at level 2 slows every worker, and re-solving a few
    employees at a time improved far more within a minute (Instances 11, 19, 20)."""
    literals = sum(
        (instance.days - len(instance.days_off[staff.id]))
        * sum(1 for s in instance.shifts if staff.max_shifts.get(s.id, instance.days) > 0)
        for staff in instance.staff
    )
    return literals <= FULL_MODEL_LITERALS


def _objective(instance: Instance, roster: list[Assignment]) -> int:
    return evaluate(instance, roster).objective


def _seconds_left(started: float, limit: float) -> float:
    return limit - (time.monotonic() - started)


def _write_results(path: Path, rows: list[BenchRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_COLUMNS)
        writer.writerows(row.csv_row() for row in rows)


def _format_header() -> str:
    return (
        f"{'instance':<11}{'objective':>10}{'best_known':>11}{'gap_pct':>9}"
        f"{'seconds':>9}  {'status':<9}source"
    )


def _format_row(row: BenchRow) -> str:
    cells = row.csv_row()
    return (
        f"{cells[0]:<11}{cells[1]:>10}{cells[2]:>11}{cells[3]:>9}{cells[4]:>9}  "
        f"{row.status:<9}{row.source}"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m roster.curtois.bench ...`, until the CLI wires `roster bench curtois`."""
    parser = argparse.ArgumentParser(prog="roster bench curtois", description=__doc__)
    add_bench_curtois_arguments(parser)
    return main_bench_curtois(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
