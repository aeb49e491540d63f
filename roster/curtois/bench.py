"""`roster bench curtois`: the Curtois-Qu instances on our CP-SAT core, scored independently.

Per instance, within its time limit: a constructive roster (one employee at a time); on
small instances the full model hinted with it (see `full_model_pays`), which proves the
smallest optimal; then, unless it did, a large-neighbourhood search driving CP-SAT on
parts of the roster (`lns`) for the time left.
The roster is written to DIR/InstanceN.roster.csv and re-scored by
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

from roster.curtois import lns
from roster.curtois.arguments import add_bench_curtois_arguments
from roster.curtois.construct import construct
from roster.curtois.evaluate import evaluate, evaluate_file, write_roster_csv
from roster.curtois.model import Assignment, Settings, build_model, solve
from roster.curtois.parser import Instance, read_instance
from roster.errors import RosterError
from roster.folders import check_output_folder

RESULT_COLUMNS = ("instance", "objective", "best_known", "gap_pct", "seconds", "status")
# The constructive roster may take the first 15 % of the time limit.
CONSTRUCT_SHARE = 0.15
# On small instances the full model may run until this share of the limit; the
# large-neighbourhood search has the rest (all of it on the other instances). On the
# smallest ones the full model has all the time: it proves them optimal, but on a
# loaded machine not always within half a minute (Instance6 ended at 2,042 after half a
# minute of full model and half of search, where the full model alone proves 1,950).
FULL_MODEL_SHARE = 0.5
FULL_MODEL_ALONE_LITERALS = 1_500
# Before the search, the full model stops early once it has not gained 1 % for this
# share of the limit. Seeds 0-2, 60 s: Instance8 1,317 / 1,329 / 1,456 against 1,444 /
# 1,431 / 1,431 without; 9 459 / 457 / 454 against 559 / 449 / 466; 10 (seeds 0-1) 4,645 /
# 4,668 against 4,760 / 4,748 (a tenth of the limit stopped 8 too soon: 1,547 / 1,526).
STALL_SHARE = 0.2
MIN_SOLVE_SECONDS = 2.0
MIN_SEARCH_SECONDS = 1.0
# Instances the whole of which goes to CP-SAT first (see full_model_pays).
FULL_MODEL_LITERALS = 5_000
FULL_MODEL_DAYS = 28


@dataclass(frozen=True)
class BenchRow:
    instance: str
    objective: int | None
    best_known: int | None
    seconds: float
    status: str  # optimal, feasible, invalid or none
    source: str  # which steps produced the roster: construct, full model, then lns

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
    except OSError as error:
        print(
            f"roster bench curtois: cannot read {error.filename}: {error.strerror} "
            "(--data names the folder of the benchmark's InstanceN.txt and best_known.csv)",
            file=sys.stderr,
        )
        return 2
    try:
        check_output_folder(args.out)
    except RosterError as error:
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
        if low > high:
            raise ValueError(f"--instances: {part!r} runs backwards (write {high}-{low})")
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
    """(roster, status, source): a constructive roster; on small instances the full model
    hinted with it, which may prove the optimum; then, for the time left, the
    large-neighbourhood search from the better roster. The status is `none` when no
    roster was found."""
    limit = settings.time_limit_seconds
    deadline = started + limit
    roster = construct(instance, CONSTRUCT_SHARE * limit, settings.seed) or []
    source = "construct"
    if full_model_pays(instance):
        alone = not roster or full_model_suffices(instance)
        share = 1.0 if alone else FULL_MODEL_SHARE
        budget = max(MIN_SOLVE_SECONDS, share * limit - (time.monotonic() - started))
        stall = None if alone else STALL_SHARE * limit
        full = replace(settings, time_limit_seconds=budget, stall_seconds=stall)
        outcome = solve(build_model(instance), full, roster or None)
        if outcome.roster and (
            not roster or _objective(instance, outcome.roster) <= _objective(instance, roster)
        ):
            roster, source = outcome.roster, "full model"
        if outcome.status == "OPTIMAL":
            return roster, "optimal", source
    if not roster:
        return [], "none", ""
    if deadline - time.monotonic() < MIN_SEARCH_SECONDS:
        return roster, "feasible", source
    roster = lns.improve(instance, roster, deadline, settings.seed, threads=settings.workers)
    return roster, "feasible", f"{source}, then lns"


def full_model_suffices(instance: Instance) -> bool:
    """Whether the full model gets the whole time limit (Instances 1-7)."""
    return _literal_count(instance) <= FULL_MODEL_ALONE_LITERALS


def full_model_pays(instance: Instance) -> bool:
    """Whether to hand the whole instance to CP-SAT first. Its LP (with the run-length
    automaton) is strong enough to reach or prove the optimum on the small instances, but
    past a few thousand shift literals, or beyond four weeks, the time is better spent on
    parts of the roster (Instances 14, 16, 18: 1,351, 3,525, 5,288 with the search alone,
    1,542, 3,626, 5,430 after half a minute of the full model)."""
    return instance.days <= FULL_MODEL_DAYS and _literal_count(instance) <= FULL_MODEL_LITERALS


def _literal_count(instance: Instance) -> int:
    """Shift literals of the full model, about: (employee, day, type) that can be worked."""
    return sum(
        (instance.days - len(instance.days_off[staff.id]))
        * sum(1 for s in instance.shifts if staff.max_shifts.get(s.id, instance.days) > 0)
        for staff in instance.staff
    )


def _objective(instance: Instance, roster: list[Assignment]) -> int:
    return evaluate(instance, roster).objective


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
