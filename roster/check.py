"""Independent hard-rule validator: `roster check SCENARIO ROSTER_JSON [--history PREVIOUS]`.

Every hard rule of the contract is recomputed here from the scenario and the roster's
shifts and coverage rows alone. This module never imports the solver, so a solver bug
shows up as a failed check instead of a silently wrong schedule. The rules are listed
together in `HARD_RULES`; each one is a function named after its rule id. With the
previous roster as history (`roster.history` reads it), `HISTORY_RULES` also check rest,
local days, runs of days and successions across the boundary with it.
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from roster.errors import RosterError
from roster.history import History, load_history
from roster.model import MINUTES_PER_DAY, Agent, QueueKey, Scenario
from roster.result import STATUSES, CoverageRow, Roster, Shift
from roster.scenario import load_scenario
from roster.staffing import required_agents
from roster.timegrid import (
    iso,
    local_dates_touched,
    local_datetime,
    window_closing_utc,
    window_opening_utc,
)

# `required` in roster.json is written with 2 decimals; allow that rounding and no more.
REQUIRED_TOLERANCE = 0.01 + 1e-9
# How many offending intervals a coverage-row message spells out before summarising.
EXAMPLES_SHOWN = 3
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with a sentence a workforce manager can act on."""

    rule: str
    message: str
    agent_id: str | None = None


Rule = Callable[[Scenario, Roster], list[Violation]]
HistoryRule = Callable[[Scenario, Roster, History], list[Violation]]


def check_roster(
    scenario: Scenario, roster: Roster, history: History | None = None
) -> list[Violation]:
    """Every hard-rule violation of `roster` against `scenario`; empty means valid. With
    `history` (the previous roster) the rules also hold across the boundary with it."""
    if history is None:
        return [violation for rule in HARD_RULES for violation in rule(scenario, roster)]
    within = [
        violation
        for rule in HARD_RULES
        if rule not in REPLACED_WITH_HISTORY
        for violation in rule(scenario, roster)
    ]
    return within + [v for rule in HISTORY_RULES for v in rule(scenario, roster, history)]


def boundary_violations(scenario: Scenario, roster: Roster, history: History) -> list[Violation]:
    """Only the rules that reach across the boundary between `history` and `roster`."""
    return [violation for rule in HISTORY_RULES for violation in rule(scenario, roster, history)]


def format_violations(violations: list[Violation]) -> str:
    """A readable report: a count, then one line per violation tagged with its rule id."""
    noun = "violation" if len(violations) == 1 else "violations"
    lines = [f"roster breaks the hard rules: {len(violations)} {noun}"]
    lines += [f"  [{v.rule}] {v.message}" for v in violations]
    return "\n".join(lines)


def run_check(scenario_dir: str, roster_path: str, history_path: str | None = None) -> int:
    """CLI glue: load the files, print the verdict to stdout, return the exit code."""
    try:
        scenario = load_scenario(scenario_dir)
        roster = Roster.read(Path(roster_path))
        history = load_history(Path(history_path), scenario) if history_path else None
        violations = check_roster(scenario, roster, history)
    except RosterError as error:
        print(f"error: {error}", file=sys.stderr)  # as `roster solve` words it
        return error.exit_code
    for warning in scenario.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if history is not None:
        print(history.summary_line())
    if violations:
        print(format_violations(violations))
        return 1
    across = " (also across the boundary with the previous roster)" if history else ""
    print(
        f"roster OK: {len(roster.shifts)} shifts, {len(scenario.agents)} agents, "
        f"all hard rules hold{across}"
    )
    return 0


# ---------------------------------------------------------------------------------------
# Roster-level rules


def check_status(scenario: Scenario, roster: Roster) -> list[Violation]:
    if roster.status in STATUSES:
        return []
    expected = " or ".join(STATUSES)
    return [Violation("status", f"status is '{roster.status}', expected {expected}")]


def check_known_agents(scenario: Scenario, roster: Roster) -> list[Violation]:
    unknown = Counter(s.agent_id for s in roster.shifts if s.agent_id not in scenario.agents_by_id)
    return [
        Violation(
            "known_agents",
            f"agent '{agent_id}' has {count} shift(s) but is not in agents.csv",
            agent_id,
        )
        for agent_id, count in unknown.items()
    ]


def check_shift_queues(scenario: Scenario, roster: Roster) -> list[Violation]:
    """A shift's optional `queue` (the queue it mostly serves) must be a queue label of the
    scenario, such as en-L1, that its agent can serve."""
    labels = {q.label: q.key for q in scenario.queues}
    known = ", ".join(labels)
    violations = []
    for shift in roster.shifts:
        agent = scenario.agents_by_id.get(shift.agent_id)
        if shift.queue is None or agent is None:  # no queue given; unknown agents: above
            continue
        key = labels.get(shift.queue)
        if key is None:
            problem = f"names queue '{shift.queue}', which is not a queue of the scenario ({known})"
        elif not agent.can_serve(key):
            problem = f"names queue {shift.queue}, which agent {agent.id} cannot serve"
        else:
            continue
        violations.append(_shift_violation("shift_queue", scenario, shift, problem))
    return violations


# ---------------------------------------------------------------------------------------
# Rules on each shift on its own


def check_shift_length(scenario: Scenario, roster: Roster) -> list[Violation]:
    allowed_seconds = {minutes * 60 for minutes in scenario.rules.shift_minutes}
    allowed = ", ".join(_num(h) for h in scenario.rules.shift_hours)
    return [
        _shift_violation(
            "shift_length",
            scenario,
            shift,
            f"lasts {_hours(shift.hours)} h, not one of shift_hours {allowed}",
        )
        for shift in roster.shifts
        if (shift.end - shift.start).total_seconds() not in allowed_seconds
    ]


def check_start_grid(scenario: Scenario, roster: Roster) -> list[Violation]:
    step_seconds = scenario.rules.shift_start_step_minutes * 60
    violations = []
    for shift in roster.shifts:
        offset_seconds = (shift.start - scenario.grid.start).total_seconds()
        if offset_seconds % step_seconds:
            problem = (
                f"starts {_num(offset_seconds / 60)} min after the week start "
                f"{_utc(scenario.grid.start)}, not a multiple of shift_start_step_minutes "
                f"{scenario.rules.shift_start_step_minutes}"
            )
            violations.append(_shift_violation("start_grid", scenario, shift, problem))
    return violations


def check_within_week(scenario: Scenario, roster: Roster) -> list[Violation]:
    grid = scenario.grid
    week = f"{_utc(grid.start)} to {_utc(grid.end)}"
    return [
        _shift_violation("within_week", scenario, shift, f"is not inside the week {week}")
        for shift in roster.shifts
        if shift.start < grid.start or shift.end > grid.end
    ]


# ---------------------------------------------------------------------------------------
# Rules on each agent's shifts


def check_availability(scenario: Scenario, roster: Roster) -> list[Violation]:
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        if agent.available_any_time:
            continue
        window = f"{_clock(agent.available_from_minute)}-{_clock(agent.available_to_minute)}"
        for shift in shifts:
            if not _inside_one_window(agent, shift):
                problem = f"is not inside one occurrence of the availability window {window}"
                violations.append(_shift_violation("availability", scenario, shift, problem))
    return violations


def check_time_off(scenario: Scenario, roster: Roster) -> list[Violation]:
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        for absence in scenario.time_off_of(agent.id):
            for shift in shifts:
                if shift.start < absence.end and absence.start < shift.end:
                    problem = (
                        f"overlaps time off {_utc(absence.start)} to {_utc(absence.end)} "
                        f"(local {_local(absence.start, agent)} to {_local(absence.end, agent)} "
                        f"{agent.timezone})"
                    )
                    violations.append(_shift_violation("time_off", scenario, shift, problem))
    return violations


def check_no_overlap(scenario: Scenario, roster: Roster) -> list[Violation]:
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        for i, first in enumerate(shifts):
            for second in shifts[i + 1 :]:
                if second.start < first.end:
                    overlap = _hours((min(first.end, second.end) - second.start) / HOUR)
                    message = (
                        f"agent {agent.id}: {_describe(first, agent)} and "
                        f"{_describe(second, agent)} overlap by {overlap} h"
                    )
                    violations.append(Violation("no_overlap", message, agent.id))
    return violations


def check_min_rest(scenario: Scenario, roster: Roster) -> list[Violation]:
    # Shifts are sorted by start; if a shift rests enough before its successor it rests
    # enough before every later one. Overlapping pairs belong to check_no_overlap.
    min_rest = scenario.rules.min_rest_hours
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        for before, after in zip(shifts, shifts[1:], strict=False):
            rest_hours = (after.start - before.end) / HOUR
            if 0 <= rest_hours < min_rest:
                message = (
                    f"agent {agent.id}: rest between shift ending {_utc(before.end)} "
                    f"(local {_local(before.end, agent)}) and shift starting "
                    f"{_utc(after.start)} (local {_local(after.start, agent)}, {agent.timezone}) "
                    f"is {_hours(rest_hours)} h, below min_rest_hours {_num(min_rest)}"
                )
                violations.append(Violation("min_rest", message, agent.id))
    return violations


def check_one_start_per_local_day(scenario: Scenario, roster: Roster) -> list[Violation]:
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        starts_per_day: dict[date, list[Shift]] = defaultdict(list)
        for shift in shifts:
            starts_per_day[local_datetime(shift.start, agent.timezone).date()].append(shift)
        for day, starts in sorted(starts_per_day.items()):
            if len(starts) > 1:
                listed = ", ".join(
                    f"{_utc(s.start)} (local {_local(s.start, agent)})" for s in starts
                )
                message = (
                    f"agent {agent.id}: {len(starts)} shifts start on local day {day} "
                    f"({agent.timezone}): {listed}; at most one is allowed"
                )
                violations.append(Violation("one_start_per_local_day", message, agent.id))
    return violations


def check_max_consecutive_days(scenario: Scenario, roster: Roster) -> list[Violation]:
    limit = scenario.rules.max_consecutive_days
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        days = {local_datetime(s.start, agent.timezone).date() for s in shifts}
        for first, last in _runs_of_days(days):
            length = (last - first).days + 1
            if length > limit:
                message = (
                    f"agent {agent.id}: shifts start on {length} consecutive local days "
                    f"({first} to {last}, {agent.timezone}), above max_consecutive_days {limit}"
                )
                violations.append(Violation("max_consecutive_days", message, agent.id))
    return violations


def check_min_consecutive_days(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Runs of local days with a start last at least min_consecutive_days; a run touching
    the week's first or last local day is exempt, as it may go on in the next week."""
    limit = scenario.rules.min_consecutive_days
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        worked = _start_days(shifts, agent)
        for first, last in _inner_runs(scenario, agent, worked):
            length = (last - first).days + 1
            if length < limit:
                message = (
                    f"agent {agent.id}: shifts start on only {length} consecutive local "
                    f"day(s) ({first} to {last}, {agent.timezone}), below "
                    f"min_consecutive_days {limit}"
                )
                violations.append(Violation("min_consecutive_days", message, agent.id))
    return violations


def check_min_consecutive_days_off(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Runs of local days without a start last at least min_consecutive_days_off; a run
    touching the week's first or last local day is exempt."""
    limit = scenario.rules.min_consecutive_days_off
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        off = set(local_dates_touched(scenario.grid, agent.timezone)) - _start_days(shifts, agent)
        for first, last in _inner_runs(scenario, agent, off):
            length = (last - first).days + 1
            if length < limit:
                message = (
                    f"agent {agent.id}: only {length} consecutive local day(s) off "
                    f"({first} to {last}, {agent.timezone}), below "
                    f"min_consecutive_days_off {limit}"
                )
                violations.append(Violation("min_consecutive_days_off", message, agent.id))
    return violations


def check_max_weekends(scenario: Scenario, roster: Roster) -> list[Violation]:
    """A weekend is worked when a shift starts on its local Saturday or Sunday."""
    limit = scenario.rules.max_weekends
    if limit is None:
        return []
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        saturdays = sorted(
            {
                day - timedelta(days=day.isoweekday() - 6)
                for day in _start_days(shifts, agent)
                if day.isoweekday() >= 6
            }
        )
        if len(saturdays) > limit:
            listed = ", ".join(f"{s} to {s + timedelta(days=1)}" for s in saturdays)
            message = (
                f"agent {agent.id}: works {len(saturdays)} weekend(s) ({listed}, local "
                f"{agent.timezone}), above max_weekends {limit}"
            )
            violations.append(Violation("max_weekends", message, agent.id))
    return violations


def check_max_shifts_per_kind(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Shifts of each kind with a max_per_week, by the local clock time of their start,
    per week of the horizon."""
    limits = [k for k in scenario.rules.shift_kinds if k.max_per_week is not None]
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        for kind in limits:
            for week in range(scenario.weeks):
                of_kind = [
                    s
                    for s in shifts
                    if _kind(scenario, s, agent) == kind.name
                    and _planning_week(scenario, s.start) == week
                ]
                if len(of_kind) > kind.max_per_week:
                    listed = ", ".join(_local(s.start, agent) for s in of_kind)
                    within = "" if scenario.weeks == 1 else f" in {_week_name(scenario, week)}"
                    message = (
                        f"agent {agent.id}: {len(of_kind)} shifts of kind '{kind.name}'{within} "
                        f"(local starts {listed}, {agent.timezone}), above its max_per_week "
                        f"{kind.max_per_week}"
                    )
                    violations.append(Violation("max_shifts_per_kind", message, agent.id))
    return violations


def check_forbidden_successions(scenario: Scenario, roster: Roster) -> list[Violation]:
    """No shift of kind `first` on a local day followed by one of kind `next` the day after."""
    forbidden = set(scenario.rules.forbidden_successions)
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        for before, after in zip(shifts, shifts[1:], strict=False):
            pair = (_kind(scenario, before, agent), _kind(scenario, after, agent))
            next_day = _start_day(before, agent) + timedelta(days=1)
            if pair in forbidden and _start_day(after, agent) == next_day:
                message = (
                    f"agent {agent.id}: shift of kind '{pair[0]}' starting "
                    f"{_local(before.start, agent)} is followed by shift of kind '{pair[1]}' "
                    f"starting {_local(after.start, agent)} the next local day "
                    f"({agent.timezone}); this succession is forbidden"
                )
                violations.append(Violation("forbidden_succession", message, agent.id))
    return violations


def check_weekly_hours(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Hours within [min_hours, max_hours] in every week of the horizon, every agent; a
    shift counts in the week (7 local planning-zone days) in which it starts."""
    violations = []
    for agent, shifts in _shifts_per_agent(scenario, roster):
        hours = [0.0] * scenario.weeks
        for s in shifts:
            hours[_planning_week(scenario, s.start)] += s.hours
        for week, worked in enumerate(hours):
            if worked < agent.min_hours:
                bound = f"below min_hours {_num(agent.min_hours)}"
            elif worked > agent.max_hours:
                bound = f"above max_hours {_num(agent.max_hours)}"
            else:
                continue
            message = (
                f"agent {agent.id}: {_hours(worked)} h of shifts in {_week_name(scenario, week)}"
                f", {bound}"
            )
            violations.append(Violation("weekly_hours", message, agent.id))
    return violations


def _planning_week(scenario: Scenario, instant: datetime) -> int:
    """Week of the horizon holding `instant`: whole 7-day blocks of local planning-zone
    dates since week_start, kept within the horizon (shifts outside it are reported by
    check_within_week)."""
    day = local_datetime(instant, scenario.planning_timezone).date()
    return min(max(0, (day - scenario.week_start).days // 7), scenario.weeks - 1)


def _week_name(scenario: Scenario, week: int) -> str:
    if scenario.weeks == 1:
        return "the week"
    first = scenario.week_start + timedelta(days=7 * week)
    last = first + timedelta(days=6)
    return f"week {week + 1} ({first} to {last}, {scenario.planning_timezone})"


# ---------------------------------------------------------------------------------------
# Coverage rows


def check_coverage_rows(scenario: Scenario, roster: Roster) -> list[Violation]:
    return (
        _rows_of_unknown_queues(scenario, roster)
        + _rows_off_the_grid(scenario, roster)
        + _missing_and_duplicate_rows(scenario, roster)
        + _rows_with_wrong_required(scenario, roster)
        + _rows_with_negative_scheduled(roster)
    )


def check_coverage_realisable(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Each interval's `scheduled` counts must come from one assignment of the agents on
    shift for the whole interval, each to at most one queue it can serve."""
    queues = [q.key for q in scenario.queues]
    scheduled = _scheduled_counts(scenario, roster)
    violations = []
    for index, agents in enumerate(_agents_on_shift(scenario, roster)):
        short_queues, servers = _unrealisable_queues(queues, scheduled[index], agents)
        if short_queues:
            violations.append(
                _unrealisable_violation(scenario, index, short_queues, scheduled[index], servers)
            )
    return violations


HARD_RULES: tuple[Rule, ...] = (
    check_status,  # a roster was found
    check_known_agents,  # every shift belongs to an agent of agents.csv
    check_shift_queues,  # a shift's queue, if given, is one of the scenario its agent serves
    check_shift_length,  # elapsed length is one of rules.shift_hours
    check_start_grid,  # starts on week start + k x shift_start_step_minutes
    check_within_week,  # inside [grid.start, grid.end]
    check_availability,  # inside one occurrence of the agent's local window
    check_time_off,  # overlaps no approved absence
    check_no_overlap,  # an agent works one shift at a time
    check_min_rest,  # min_rest_hours between consecutive shifts
    check_one_start_per_local_day,  # at most one start per local calendar day
    check_max_consecutive_days,  # runs of local days with a start
    check_min_consecutive_days,  # runs of worked local days inside the week, at least
    check_min_consecutive_days_off,  # runs of local days off inside the week, at least
    check_max_weekends,  # weekends with a local Saturday or Sunday start
    check_max_shifts_per_kind,  # shifts of each kind per agent and week, at most max_per_week
    check_forbidden_successions,  # kind A on one local day, kind B the next
    check_weekly_hours,  # hours within [min_hours, max_hours], every agent and week
    check_coverage_rows,  # one correct row per interval and queue
    check_coverage_realisable,  # scheduled counts come from one agent-to-queue assignment
)


# ---------------------------------------------------------------------------------------
# Rules across the boundary with the previous roster
#
# Each rule is named `across_` + its rule id. An agent's previous shifts all start before
# the horizon. The rules on pairs of shifts (rest, one start per local day, successions)
# add the pairs of a previous and a new shift. The run rules are recomputed over the known
# local days, previous and new, and replace their versions without history: a run is only
# held against this roster when it holds a day this roster decides or, for the minimums,
# ends the day before one (the past cannot be changed).


def across_min_rest(scenario: Scenario, roster: Roster, history: History) -> list[Violation]:
    """min_rest_hours between the end of the agent's last previous shift and its first new
    start (a new shift starting before that end overlaps it)."""
    min_rest = scenario.rules.min_rest_hours
    violations = []
    for agent, shifts, previous in _with_previous_shifts(scenario, roster, history):
        if not shifts or not previous:
            continue
        before, after = max(previous, key=lambda s: s.end), shifts[0]
        rest_hours = (after.start - before.end) / HOUR
        if rest_hours >= min_rest:
            continue
        if rest_hours < 0:
            rule, problem = "no_overlap", f"overlaps it by {_hours(-rest_hours)} h"
        else:
            problem = f"rests only {_hours(rest_hours)} h, below min_rest_hours {_num(min_rest)}"
            rule = "min_rest"
        message = (
            f"agent {agent.id}: {_describe(after, agent)} follows the previous roster's "
            f"{_describe(before, agent)} and {problem}"
        )
        violations.append(Violation(rule, message, agent.id))
    return violations


def across_one_start_per_local_day(
    scenario: Scenario, roster: Roster, history: History
) -> list[Violation]:
    """No new shift starts on a local day on which a previous shift already started."""
    violations = []
    for agent, shifts, previous in _with_previous_shifts(scenario, roster, history):
        started = {_start_day(p, agent): p for p in previous}
        for shift in shifts:
            before = started.get(_start_day(shift, agent))
            if before is not None:
                message = (
                    f"agent {agent.id}: {_describe(shift, agent)} starts on local day "
                    f"{_start_day(shift, agent)}, on which the previous roster's "
                    f"{_describe(before, agent)} already started; at most one start is allowed"
                )
                violations.append(Violation("one_start_per_local_day", message, agent.id))
    return violations


def across_forbidden_successions(
    scenario: Scenario, roster: Roster, history: History
) -> list[Violation]:
    """No new shift of kind `next` the local day after a previous shift of kind `first`."""
    forbidden = set(scenario.rules.forbidden_successions)
    violations = []
    for agent, shifts, previous in _with_previous_shifts(scenario, roster, history):
        for before in previous:
            next_day = _start_day(before, agent) + timedelta(days=1)
            for after in shifts:
                pair = (_kind(scenario, before, agent), _kind(scenario, after, agent))
                if pair in forbidden and _start_day(after, agent) == next_day:
                    message = (
                        f"agent {agent.id}: the previous roster's shift of kind '{pair[0]}' "
                        f"starting {_local(before.start, agent)} is followed by shift of kind "
                        f"'{pair[1]}' starting {_local(after.start, agent)} the next local day "
                        f"({agent.timezone}); this succession is forbidden"
                    )
                    violations.append(Violation("forbidden_succession", message, agent.id))
    return violations


def across_max_consecutive_days(
    scenario: Scenario, roster: Roster, history: History
) -> list[Violation]:
    """Runs of local days with a start, counting the previous roster's days before them."""
    limit = scenario.rules.max_consecutive_days
    violations = []
    for agent, days in _known_days(scenario, roster, history):
        for first, last in _runs_of_days(days.worked):
            length = (last - first).days + 1
            if length > limit and days.decides_any(first, last):
                message = (
                    f"agent {agent.id}: shifts start on {length} consecutive local days "
                    f"({first} to {last}, {agent.timezone}{days.note(first, last)}), above "
                    f"max_consecutive_days {limit}"
                )
                violations.append(Violation("max_consecutive_days", message, agent.id))
    return violations


def across_min_consecutive_days(
    scenario: Scenario, roster: Roster, history: History
) -> list[Violation]:
    """Runs of worked local days last at least min_consecutive_days; the run the previous
    roster ends with is no longer exempt, only a run touching the first known day is."""
    limit = scenario.rules.min_consecutive_days
    violations = []
    for agent, days in _known_days(scenario, roster, history):
        for first, last in days.inner_runs(days.worked):
            length = (last - first).days + 1
            if length < limit and days.decides_any(first, last + timedelta(days=1)):
                message = (
                    f"agent {agent.id}: shifts start on only {length} consecutive local "
                    f"day(s) ({first} to {last}, {agent.timezone}{days.note(first, last)}), "
                    f"below min_consecutive_days {limit}"
                )
                violations.append(Violation("min_consecutive_days", message, agent.id))
    return violations


def across_min_consecutive_days_off(
    scenario: Scenario, roster: Roster, history: History
) -> list[Violation]:
    """Runs of local days off last at least min_consecutive_days_off, counting the days
    off the previous roster ends with."""
    limit = scenario.rules.min_consecutive_days_off
    violations = []
    for agent, days in _known_days(scenario, roster, history):
        for first, last in days.inner_runs(days.known() - days.worked):
            length = (last - first).days + 1
            if length < limit and days.decides_any(first, last + timedelta(days=1)):
                message = (
                    f"agent {agent.id}: only {length} consecutive local day(s) off "
                    f"({first} to {last}, {agent.timezone}{days.note(first, last)}), below "
                    f"min_consecutive_days_off {limit}"
                )
                violations.append(Violation("min_consecutive_days_off", message, agent.id))
    return violations


# With a previous roster the run rules of HARD_RULES give way to their `across_` versions.
REPLACED_WITH_HISTORY: frozenset[Rule] = frozenset(
    {check_max_consecutive_days, check_min_consecutive_days, check_min_consecutive_days_off}
)

HISTORY_RULES: tuple[HistoryRule, ...] = (
    across_min_rest,  # rest after the last previous shift
    across_one_start_per_local_day,  # a day a previous shift started
    across_max_consecutive_days,  # runs counting the previous roster's days
    across_min_consecutive_days,  # the run the previous roster ends with too
    across_min_consecutive_days_off,  # the days off it ends with too
    across_forbidden_successions,  # its last day's kind, then ours
)


@dataclass(frozen=True)
class _KnownDays:
    """An agent's local days as the run rules see them with a previous roster."""

    worked: set[date]  # known days with a shift start, previous or new
    first: date  # first known day: a run touching it may have begun earlier
    last: date  # the horizon's last local day: a run touching it may go on
    horizon_first: date  # the horizon's first local day
    previous: set[date]  # days a previous shift started on (none after horizon_first)

    def known(self) -> set[date]:
        return {self.first + timedelta(days=k) for k in range((self.last - self.first).days + 1)}

    def decides(self, day: date) -> bool:
        """The roster under check decides whether this day is worked."""
        return self.horizon_first <= day <= self.last and day not in self.previous

    def decides_any(self, first: date, last: date) -> bool:
        span = range((last - first).days + 1)
        return any(self.decides(first + timedelta(days=k)) for k in span)

    def inner_runs(self, days: set[date]) -> list[tuple[date, date]]:
        """Runs of `days` that touch neither the first known day nor the horizon's last."""
        return [(a, b) for a, b in _runs_of_days(days) if self.first < a and b < self.last]

    def note(self, first: date, last: date) -> str:
        """Says how many days of a run come from the previous roster, if any."""
        span = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        before = sum(1 for day in span if not self.decides(day))
        return f"; {before} of them from the previous roster" if before else ""


def _with_previous_shifts(
    scenario: Scenario, roster: Roster, history: History
) -> list[tuple[Agent, list[Shift], list[Shift]]]:
    """Every agent with its new shifts and its previous shifts, each by start."""
    previous: dict[str, list[Shift]] = defaultdict(list)
    for shift in history.shifts:
        previous[shift.agent_id].append(shift)
    return [
        (agent, shifts, sorted(previous[agent.id], key=lambda s: (s.start, s.end)))
        for agent, shifts in _shifts_per_agent(scenario, roster)
    ]


def _known_days(
    scenario: Scenario, roster: Roster, history: History
) -> list[tuple[Agent, _KnownDays]]:
    result = []
    for agent, shifts, previous in _with_previous_shifts(scenario, roster, history):
        week = local_dates_touched(scenario.grid, agent.timezone)
        previous_days = _start_days(previous, agent)
        first = _first_known_day(history, agent, previous_days, week[0])
        worked = {d for d in _start_days(shifts, agent) | previous_days if first <= d}
        result.append((agent, _KnownDays(worked, first, week[-1], week[0], previous_days)))
    return result


def _first_known_day(
    history: History, agent: Agent, previous_days: set[date], horizon_first: date
) -> date:
    """The first local day the previous roster covers from its midnight on (its coverage
    rows start the cover); without coverage rows, the day before its earliest shift."""
    if history.covered_from is None:
        return min(previous_days | {horizon_first}) - timedelta(days=1)
    local = local_datetime(history.covered_from, agent.timezone)
    first = local.date() if local.time() == time() else local.date() + timedelta(days=1)
    return min(first, horizon_first)


# ---------------------------------------------------------------------------------------
# Helpers: grouping and time


def _shifts_per_agent(scenario: Scenario, roster: Roster) -> list[tuple[Agent, list[Shift]]]:
    """Every agent of the scenario (also those without shifts) with its shifts by start."""
    shifts: dict[str, list[Shift]] = defaultdict(list)
    for shift in roster.shifts:
        shifts[shift.agent_id].append(shift)
    return [
        (agent, sorted(shifts[agent.id], key=lambda s: (s.start, s.end)))
        for agent in scenario.agents
    ]


def _inside_one_window(agent: Agent, shift: Shift) -> bool:
    """True when one occurrence of the agent's window holds the whole shift, comparing both
    naive local wall-clock times and real instants (conservative across DST changes)."""
    start_day = local_datetime(shift.start, agent.timezone).date()
    # An occurrence opens on the shift's local start date or, when it wraps, the day before.
    return any(
        _wall_clock_contains(agent, day, shift) and _instants_contain(agent, day, shift)
        for day in (start_day - timedelta(days=1), start_day)
    )


def _occurrence_minutes(agent: Agent) -> tuple[int, int]:
    """Window bounds in minutes after local midnight of the day it opens (may exceed 1440)."""
    opens, closes = agent.available_from_minute, agent.available_to_minute
    return opens, closes if closes > opens else closes + MINUTES_PER_DAY


def _wall_clock_contains(agent: Agent, day: date, shift: Shift) -> bool:
    opens, closes = _occurrence_minutes(agent)
    midnight = datetime.combine(day, time())
    window_start = midnight + timedelta(minutes=opens)
    window_end = midnight + timedelta(minutes=closes)
    start = _naive_local(shift.start, agent.timezone)
    end = _naive_local(shift.end, agent.timezone)
    return window_start <= start and end <= window_end


def _instants_contain(agent: Agent, day: date, shift: Shift) -> bool:
    """The window in real time runs from the first instant the clock reads its opening
    time (or later, past a skipped hour) to the last it reads its closing time (or
    earlier), so on a DST night it is never cut short."""
    opens, closes = _occurrence_minutes(agent)
    window_start = window_opening_utc(day, opens, agent.timezone)
    window_end = window_closing_utc(day, closes, agent.timezone)
    return window_start <= shift.start and shift.end <= window_end


def _naive_local(instant: datetime, tz: str) -> datetime:
    return local_datetime(instant, tz).replace(tzinfo=None)


def _start_day(shift: Shift, agent: Agent) -> date:
    return local_datetime(shift.start, agent.timezone).date()


def _start_days(shifts: list[Shift], agent: Agent) -> set[date]:
    return {_start_day(s, agent) for s in shifts}


def _inner_runs(scenario: Scenario, agent: Agent, days: set[date]) -> list[tuple[date, date]]:
    """Runs of `days` that touch neither the first nor the last local day of the week."""
    week = local_dates_touched(scenario.grid, agent.timezone)
    return [(a, b) for a, b in _runs_of_days(days) if week[0] < a and b < week[-1]]


def _kind(scenario: Scenario, shift: Shift, agent: Agent) -> str | None:
    return scenario.rules.kind_at(local_datetime(shift.start, agent.timezone))


def _runs_of_days(days: set[date]) -> list[tuple[date, date]]:
    """Maximal runs of consecutive dates, as (first, last) pairs in order."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


# ---------------------------------------------------------------------------------------
# Helpers: coverage rows


def _rows_of_unknown_queues(scenario: Scenario, roster: Roster) -> list[Violation]:
    known = {q.key for q in scenario.queues}
    unknown: dict[QueueKey, list[datetime]] = defaultdict(list)
    for row in roster.coverage:
        if (row.language, row.tier) not in known:
            unknown[(row.language, row.tier)].append(row.start)
    return [
        Violation(
            "coverage_rows",
            f"{len(starts)} coverage row(s) for queue {_label(key)}, which is not a queue "
            f"of the scenario (at {_examples([_utc(s) for s in starts])})",
        )
        for key, starts in unknown.items()
    ]


def _rows_off_the_grid(scenario: Scenario, roster: Roster) -> list[Violation]:
    grid = scenario.grid
    starts = [row.start for row in roster.coverage if grid.index_of(row.start) is None]
    if not starts:
        return []
    message = (
        f"{len(starts)} coverage row(s) start at no interval of the week "
        f"({grid.interval_minutes}-minute intervals from {_utc(grid.start)} to "
        f"{_utc(grid.end)}): {_examples([_utc(s) for s in starts])}"
    )
    return [Violation("coverage_rows", message)]


def _missing_and_duplicate_rows(scenario: Scenario, roster: Roster) -> list[Violation]:
    counts = Counter(_row_key(scenario, row) for row in roster.coverage)
    violations = []
    for queue in scenario.queues:
        missing = [i for i in range(scenario.grid.n_intervals) if counts[(i, queue.key)] == 0]
        repeated = [i for i in range(scenario.grid.n_intervals) if counts[(i, queue.key)] > 1]
        if missing:
            violations.append(_interval_list_violation(scenario, queue.key, missing, "no"))
        if repeated:
            violations.append(_interval_list_violation(scenario, queue.key, repeated, "several"))
    return violations


def _interval_list_violation(
    scenario: Scenario, key: QueueKey, indices: list[int], how_many: str
) -> Violation:
    starts = [_utc(scenario.grid.interval_start(i)) for i in indices]
    message = (
        f"queue {_label(key)} has {how_many} coverage rows at {len(indices)} interval(s): "
        f"{_examples(starts)}"
    )
    return Violation("coverage_rows", message)


def _rows_with_wrong_required(scenario: Scenario, roster: Roster) -> list[Violation]:
    required = required_agents(scenario)
    wrong: dict[QueueKey, list[str]] = defaultdict(list)
    for row in roster.coverage:
        index, key = _row_key(scenario, row)
        if index is None or key not in required:
            continue  # reported as off-grid or unknown queue
        expected = float(required[key][index])
        if not abs(row.required - expected) <= REQUIRED_TOLERANCE:  # also catches NaN
            wrong[key].append(
                f"{_utc(row.start)} has {row.required:.2f}, the scenario requires {expected:.2f}"
            )
    return [
        Violation(
            "coverage_rows",
            f"queue {_label(key)}: `required` differs by more than 0.01 at {len(found)} "
            f"interval(s): {_examples(found)}",
        )
        for key, found in wrong.items()
    ]


def _rows_with_negative_scheduled(roster: Roster) -> list[Violation]:
    return [
        Violation(
            "coverage_rows",
            f"queue {_label((row.language, row.tier))} at {_utc(row.start)}: "
            f"scheduled {row.scheduled} is negative",
        )
        for row in roster.coverage
        if row.scheduled < 0
    ]


def _row_key(scenario: Scenario, row: CoverageRow) -> tuple[int | None, QueueKey]:
    return scenario.grid.index_of(row.start), (row.language, row.tier)


# ---------------------------------------------------------------------------------------
# Helpers: realisability as a max-flow
#
# source -> queue (capacity: scheduled) -> group of agents serving the same queues
# (capacity: unbounded) -> sink (capacity: agents in the group). The counts are realisable
# exactly when the max flow saturates every source edge.


def _scheduled_counts(scenario: Scenario, roster: Roster) -> np.ndarray:
    """Scheduled agents per (interval, queue) from the first valid row of each pair."""
    column = {q.key: j for j, q in enumerate(scenario.queues)}
    counts = np.zeros((scenario.grid.n_intervals, len(column)), dtype=np.int64)
    seen: set[tuple[int, int]] = set()
    for row in roster.coverage:
        index, key = _row_key(scenario, row)
        if index is None or key not in column or (index, column[key]) in seen:
            continue  # off-grid, unknown and duplicate rows are check_coverage_rows' job
        seen.add((index, column[key]))
        counts[index, column[key]] = max(0, row.scheduled)
    return counts


def _agents_on_shift(scenario: Scenario, roster: Roster) -> list[list[Agent]]:
    """Per interval, the known agents on shift for the whole interval."""
    grid = scenario.grid
    step_seconds = grid.interval_minutes * 60
    on_shift: list[dict[str, Agent]] = [{} for _ in range(grid.n_intervals)]
    for shift in roster.shifts:
        agent = scenario.agents_by_id.get(shift.agent_id)
        if agent is None:
            continue
        first = math.ceil((shift.start - grid.start).total_seconds() / step_seconds)
        stop = math.floor((shift.end - grid.start).total_seconds() / step_seconds)
        for index in range(max(0, first), min(grid.n_intervals, stop)):
            on_shift[index][agent.id] = agent
    return [list(agents.values()) for agents in on_shift]


def _unrealisable_queues(
    queues: list[QueueKey], scheduled: np.ndarray, agents: list[Agent]
) -> tuple[list[int], list[Agent]]:
    """Queues whose counts no assignment can fill together, and the agents able to serve
    any of them; two empty lists when the counts are realisable.

    The queues still reachable from the source in the residual network of a maximum flow
    form a set whose scheduled total exceeds the number of agents who can serve it."""
    # A count above the number of agents on shift is unrealisable anyway; capping it keeps
    # the capacities small integers without changing the verdict.
    capped = np.minimum(scheduled, len(agents) + 1)
    demand = int(capped.sum())
    if demand == 0:
        return [], []
    groups = _agents_by_servable_queues(queues, agents)
    capacity = _flow_capacities(capped, groups, unbounded=demand + len(agents) + 1)
    result = maximum_flow(csr_array(capacity), 0, capacity.shape[0] - 1)
    if result.flow_value == demand:
        return [], []
    reachable = _reachable(capacity - result.flow.toarray())
    short_queues = [j for j in range(len(queues)) if reachable[1 + j]]
    servers = [
        agent
        for g, members in enumerate(groups.values())
        if reachable[1 + len(queues) + g]
        for agent in members
    ]
    return short_queues, sorted(servers, key=lambda a: a.id)


def _agents_by_servable_queues(
    queues: list[QueueKey], agents: list[Agent]
) -> dict[frozenset[int], list[Agent]]:
    groups: dict[frozenset[int], list[Agent]] = defaultdict(list)
    for agent in agents:
        servable = frozenset(j for j, key in enumerate(queues) if agent.can_serve(key))
        if servable:
            groups[servable].append(agent)
    return groups


def _flow_capacities(
    scheduled: np.ndarray, groups: dict[frozenset[int], list[Agent]], unbounded: int
) -> np.ndarray:
    """Dense capacity matrix: node 0 source, 1..Q queues, then groups, last node sink."""
    n_queues = len(scheduled)
    sink = 1 + n_queues + len(groups)
    capacity = np.zeros((sink + 1, sink + 1), dtype=np.int32)
    capacity[0, 1 : 1 + n_queues] = scheduled
    for g, (servable, members) in enumerate(groups.items()):
        group_node = 1 + n_queues + g
        for j in servable:
            capacity[1 + j, group_node] = unbounded
        capacity[group_node, sink] = len(members)
    return capacity


def _reachable(residual: np.ndarray) -> np.ndarray:
    """Nodes reachable from node 0 along edges with positive residual capacity."""
    reached = np.zeros(len(residual), dtype=bool)
    reached[0] = True
    frontier = [0]
    while frontier:
        node = frontier.pop()
        for nxt in np.flatnonzero((residual[node] > 0) & ~reached):
            reached[nxt] = True
            frontier.append(int(nxt))
    return reached


def _unrealisable_violation(
    scenario: Scenario,
    index: int,
    short_queues: list[int],
    scheduled: np.ndarray,
    servers: list[Agent],
) -> Violation:
    start = scenario.grid.interval_start(index)
    counts = ", ".join(f"{scenario.queues[j].label} {scheduled[j]}" for j in short_queues)
    total = int(sum(scheduled[j] for j in short_queues))
    names = ", ".join(a.id for a in servers) or "none"
    local = iso(local_datetime(start, scenario.planning_timezone))
    message = (
        f"interval {_utc(start)} (local {local} {scenario.planning_timezone}): scheduled "
        f"{counts} need {_agents(total)}, but only {_agents(len(servers))} on shift for the "
        f"whole interval can serve these queues ({names})"
    )
    return Violation("coverage_realisable", message)


# ---------------------------------------------------------------------------------------
# Helpers: wording


def _shift_violation(rule: str, scenario: Scenario, shift: Shift, problem: str) -> Violation:
    agent = scenario.agents_by_id.get(shift.agent_id)
    return Violation(
        rule, f"agent {shift.agent_id}: {_describe(shift, agent)} {problem}", shift.agent_id
    )


def _describe(shift: Shift, agent: Agent | None) -> str:
    text = f"shift {_utc(shift.start)} to {_utc(shift.end)}"
    if agent is None:
        return text
    local = f"{_local(shift.start, agent)} to {_local(shift.end, agent)} {agent.timezone}"
    return f"{text} (local {local})"


def _utc(instant: datetime) -> str:
    return iso(instant.astimezone(UTC))


def _local(instant: datetime, agent: Agent) -> str:
    """Wall-clock time with offset in the agent's zone; callers name the zone once."""
    return iso(local_datetime(instant, agent.timezone))


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _label(key: QueueKey) -> str:
    return f"{key[0]}-{key[1]}"


def _hours(value: float) -> str:
    """Hours with one or two decimals: 9.0, 9.5, 9.25."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _agents(count: int) -> str:
    return f"{count} agent" if count == 1 else f"{count} agents"


def _num(value: float) -> str:
    """A rule's number as written in scenario.toml: 11, 7.5."""
    return f"{value:g}"


def _examples(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(items[:EXAMPLES_SHOWN])
    rest = len(items) - EXAMPLES_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown
