"""Independent evaluator: re-scores a written Curtois-Qu roster and checks every hard rule.

It reads only the instance (through the parser) and the roster CSV (`employee,day,shift`,
one row per worked day, day counted from 0), and never imports the solver or the model,
so a modelling bug shows up here as a violation or a different objective.

Benchmark conventions, as in the original definition: every instance starts on a Monday
(weekend k = days 7k+5 and 7k+6, worked when either is); runs of work and runs of days off
that touch the first or the last day are exempt from the minimum lengths, because the
horizon is taken to be preceded and followed by endless work (for the minimum run of
shifts) and endless days off (for the minimum run of days off).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from roster.curtois.parser import Instance, Staff

ROSTER_COLUMNS = ("employee", "day", "shift")


@dataclass
class Evaluation:
    on_requests: int = 0  # weight of shift-on requests not granted
    off_requests: int = 0  # weight of shift-off requests not granted
    under_cover: int = 0  # weighted people short, over all days and shift types
    over_cover: int = 0  # weighted people beyond the requirement
    violations: list[str] = field(default_factory=list)  # hard rules broken

    @property
    def objective(self) -> int:
        return self.on_requests + self.off_requests + self.under_cover + self.over_cover

    @property
    def valid(self) -> bool:
        return not self.violations


def write_roster_csv(path: Path, assignments: list[tuple[str, int, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ROSTER_COLUMNS)
        writer.writerows(sorted(assignments, key=lambda a: (a[0], a[1])))


def evaluate_file(instance: Instance, roster_csv: Path) -> Evaluation:
    """Evaluate a roster CSV; unreadable rows count as hard-rule violations."""
    evaluation = Evaluation()
    rows = list(_read_rows(roster_csv, evaluation.violations))
    return evaluate(instance, rows, evaluation)


def evaluate(
    instance: Instance,
    assignments: list[tuple[str, int, str]],
    evaluation: Evaluation | None = None,
) -> Evaluation:
    """Objective and hard-rule violations of a roster given as (employee, day, shift)."""
    evaluation = evaluation or Evaluation()
    plan = _plan_by_employee(instance, assignments, evaluation.violations)
    for staff in instance.staff:
        evaluation.violations += _staff_violations(instance, staff, plan[staff.id])
    _score_requests(instance, plan, evaluation)
    _score_cover(instance, plan, evaluation)
    return evaluation


def _read_rows(path: Path, violations: list[str]) -> Iterator[tuple[str, int, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != ROSTER_COLUMNS:
            violations.append(f"{path.name}: header must be {','.join(ROSTER_COLUMNS)}")
            return
        for number, row in enumerate(reader, start=2):
            if len(row) != 3 or not row[1].strip().isdigit():
                violations.append(f"{path.name} row {number}: expected employee,day,shift")
                continue
            yield row[0].strip(), int(row[1]), row[2].strip()


def _plan_by_employee(
    instance: Instance, assignments: list[tuple[str, int, str]], violations: list[str]
) -> dict[str, dict[int, str]]:
    """employee -> {day: shift}; unknown names, days beyond the horizon and a second
    shift on one day are violations."""
    known_shifts = {s.id for s in instance.shifts}
    plan: dict[str, dict[int, str]] = {s.id: {} for s in instance.staff}
    for employee, day, shift in assignments:
        if employee not in plan:
            violations.append(f"unknown employee {employee!r}")
        elif shift not in known_shifts:
            violations.append(f"{employee}: unknown shift type {shift!r} on day {day}")
        elif not 0 <= day < instance.days:
            violations.append(f"{employee}: day {day} is outside the {instance.days}-day horizon")
        elif day in plan[employee]:
            violations.append(f"{employee}: more than one shift on day {day}")
        else:
            plan[employee][day] = shift
    return plan


def _staff_violations(instance: Instance, staff: Staff, days: dict[int, str]) -> list[str]:
    who = staff.id
    found = []
    for day in sorted(instance.days_off[who] & days.keys()):
        found.append(f"{who}: works on day {day}, a required day off")
    counts: dict[str, int] = defaultdict(int)
    for shift in days.values():
        counts[shift] += 1
    for shift, count in sorted(counts.items()):
        if count > staff.max_shifts.get(shift, instance.days):
            found.append(f"{who}: {count} {shift} shifts, max {staff.max_shifts[shift]}")
    minutes = sum(instance.shift(shift).minutes for shift in days.values())
    if not staff.min_total_minutes <= minutes <= staff.max_total_minutes:
        found.append(
            f"{who}: {minutes} minutes worked, allowed "
            f"{staff.min_total_minutes}..{staff.max_total_minutes}"
        )
    found += _run_violations(instance.days, staff, set(days))
    weekends = sum(1 for sat, sun in instance.weekends if sat in days or sun in days)
    if weekends > staff.max_weekends:
        found.append(f"{who}: {weekends} weekends worked, max {staff.max_weekends}")
    found += _succession_violations(instance, who, days)
    return found


def _runs(n_days: int, worked: set[int], working: bool) -> Iterator[tuple[int, int]]:
    """(first day, length) of every maximal run of worked (or free) days."""
    start = None
    for day in range(n_days + 1):
        inside = day < n_days and (day in worked) == working
        if inside and start is None:
            start = day
        elif not inside and start is not None:
            yield start, day - start
            start = None


def _run_violations(n_days: int, staff: Staff, worked: set[int]) -> list[str]:
    who = staff.id
    found = []
    for start, length in _runs(n_days, worked, working=True):
        touches_edge = start == 0 or start + length == n_days
        if length > staff.max_consecutive_shifts:
            found.append(
                f"{who}: {length} shifts in a row from day {start}, max "
                f"{staff.max_consecutive_shifts}"
            )
        if length < staff.min_consecutive_shifts and not touches_edge:
            found.append(
                f"{who}: {length} shifts in a row from day {start}, min "
                f"{staff.min_consecutive_shifts}"
            )
    for start, length in _runs(n_days, worked, working=False):
        touches_edge = start == 0 or start + length == n_days
        if length < staff.min_consecutive_days_off and not touches_edge:
            found.append(
                f"{who}: {length} days off in a row from day {start}, min "
                f"{staff.min_consecutive_days_off}"
            )
    return found


def _succession_violations(instance: Instance, who: str, days: dict[int, str]) -> list[str]:
    found = []
    for day, shift in sorted(days.items()):
        following = days.get(day + 1)
        if following is not None and following in instance.shift(shift).cannot_follow:
            found.append(f"{who}: {following} on day {day + 1} cannot follow {shift}")
    return found


def _score_requests(
    instance: Instance, plan: dict[str, dict[int, str]], evaluation: Evaluation
) -> None:
    for r in instance.on_requests:
        if plan[r.employee].get(r.day) != r.shift:
            evaluation.on_requests += r.weight
    for r in instance.off_requests:
        if plan[r.employee].get(r.day) == r.shift:
            evaluation.off_requests += r.weight


def _score_cover(
    instance: Instance, plan: dict[str, dict[int, str]], evaluation: Evaluation
) -> None:
    on_shift: dict[tuple[int, str], int] = defaultdict(int)
    for days in plan.values():
        for day, shift in days.items():
            on_shift[day, shift] += 1
    for c in instance.cover:
        present = on_shift[c.day, c.shift]
        evaluation.under_cover += c.under_weight * max(0, c.requirement - present)
        evaluation.over_cover += c.over_weight * max(0, present - c.requirement)
