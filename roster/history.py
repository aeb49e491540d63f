"""The previous roster as history: what its last days fix at the start of a new horizon.

A roster is made one horizon at a time, but rest, one shift start per local day, runs of
worked days and days off, and forbidden successions do not stop at the boundary with the
week before. Given the previous roster (a contract roster.json), `History` keeps the
shifts that matter and tells, per agent, what they fix (`AgentPast`): when the first new
shift may start, whether the agent's first local day is already taken, and which of its
local days before the horizon were worked, with their shift kind. The engine turns that
into shift options and the solver's past days; the validator (`roster.check`) recomputes
the same rules from the shifts on its own.

What a previous roster is taken to say (README, "History: the previous roster"):

- Only shifts of agents of the new scenario count; the others are ignored and reported.
- Every shift starts before the new horizon, and its coverage rows end before it too (a
  roster reaching into the new horizon is not a previous one). A shift that runs past
  the new start is kept: rest counts from its end and its local day is taken; its hours
  stay with the week it started in.
- An agent's local days from the first one the previous roster covers in full (from its
  first coverage row) up to the new horizon are known, and a known day without a shift
  start was off. The rules look back only as far as they reach (`look_back_days`).
- Weekly hours, max_weekends and max_per_week of shift kinds hold per week of the
  horizon and do not count the previous roster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from roster.errors import RosterFileError
from roster.model import Agent, Rules, Scenario
from roster.result import Roster, Shift
from roster.timegrid import iso, local_datetime


def look_back_days(rules: Rules) -> int:
    """Local days before the horizon the day rules can see: the longest run a run rule
    counts, and the day before for forbidden successions."""
    return max(
        rules.max_consecutive_days,
        rules.min_consecutive_days,
        rules.min_consecutive_days_off,
        1 if rules.forbidden_successions else 0,
    )


@dataclass(frozen=True)
class AgentPast:
    """One agent's previous shifts, as far as the rules look back."""

    first_day: date  # the agent's local date at the new horizon start (its day 0)
    known_from: date  # the earliest local day taken as known (first_day when none is)
    kinds: dict[date, str | None]  # known day with a previous shift start -> its kind
    last_end: datetime | None  # end of the agent's latest previous shift

    @property
    def first_day_taken(self) -> bool:
        """A previous shift already started on the agent's first local day."""
        return self.first_day in self.kinds

    def earliest_start(self, min_rest_hours: float) -> datetime | None:
        """The first instant a new shift may start: the last previous end plus the rest."""
        if self.last_end is None:
            return None
        return self.last_end + timedelta(hours=min_rest_hours)


@dataclass(frozen=True)
class History:
    """The shifts of a previous roster that bear on a new scenario's horizon."""

    source: str  # the file or stored roster it came from, for messages and summaries
    horizon_start: datetime  # the new horizon's start; every shift here starts before it
    covered_from: datetime | None  # the previous roster's first coverage interval
    shifts: tuple[Shift, ...]  # previous shifts of the new scenario's agents
    ignored: dict[str, int]  # agent id not in the new scenario -> its shifts, ignored

    def of_agent(self, scenario: Scenario, agent: Agent) -> AgentPast:
        first_day = local_datetime(self.horizon_start, agent.timezone).date()
        look_back = first_day - timedelta(days=look_back_days(scenario.rules))
        known_from = min(first_day, max(look_back, self._first_covered_day(agent)))
        mine = self._by_agent.get(agent.id, [])
        kinds = {}
        for shift in mine:
            local_start = local_datetime(shift.start, agent.timezone)
            if known_from <= local_start.date() <= first_day:
                kinds[local_start.date()] = scenario.rules.kind_at(local_start)
        last_end = max((s.end for s in mine), default=None)
        return AgentPast(first_day, known_from, kinds, last_end)

    @cached_property
    def _by_agent(self) -> dict[str, list[Shift]]:
        by_agent: dict[str, list[Shift]] = {}
        for shift in sorted(self.shifts, key=lambda s: s.start):
            by_agent.setdefault(shift.agent_id, []).append(shift)
        return by_agent

    def _first_covered_day(self, agent: Agent) -> date:
        """The agent's first local day that the previous roster covers from midnight on."""
        if self.covered_from is None:
            return date.min
        local = local_datetime(self.covered_from, agent.timezone)
        at_midnight = local.hour == local.minute == local.second == 0
        return local.date() if at_midnight else local.date() + timedelta(days=1)

    def summary_line(self) -> str:
        """One line for a solve or check summary: what was used, what was ignored."""
        agents = len({s.agent_id for s in self.shifts})
        line = f"history: {self.source}, {len(self.shifts)} shift(s) of {agents} agent(s)"
        if self.ignored:
            listed = ", ".join(sorted(self.ignored))
            total = sum(self.ignored.values())
            line += f"; ignored {total} shift(s) of agents not in this scenario: {listed}"
        return line

    def to_json(self) -> dict[str, Any]:
        """What a roster.json records about the history it was made with."""
        return {
            "source": self.source,
            "shifts": len(self.shifts),
            "agents": len({s.agent_id for s in self.shifts}),
            "ignored_agents": sorted(self.ignored),
        }


def history_from_roster(scenario: Scenario, previous: Roster, source: str) -> History:
    """The history a previous roster gives `scenario`. Raises RosterFileError (naming
    `source`) when a shift or coverage row does not lie before the new horizon."""
    horizon_start = scenario.grid.start
    for i, shift in enumerate(previous.shifts):
        _require_before(shift, horizon_start, f"{source}: shifts[{i}]")
    late_rows = [row.start for row in previous.coverage if row.start >= horizon_start]
    if late_rows:
        raise RosterFileError(
            f"{source}: coverage reaches into the new horizon (a row at {iso(min(late_rows))}, "
            f"the horizon starts {iso(horizon_start)}); the previous roster must end by then"
        )
    known = scenario.agents_by_id
    return History(
        source=source,
        horizon_start=horizon_start,
        covered_from=min((row.start for row in previous.coverage), default=None),
        shifts=tuple(s for s in previous.shifts if s.agent_id in known),
        ignored=dict(Counter(s.agent_id for s in previous.shifts if s.agent_id not in known)),
    )


def load_history(path: Path, scenario: Scenario) -> History:
    """Read a previous roster.json as history for `scenario`; RosterFileError names the
    file and what is wrong with it."""
    try:
        previous = Roster.read(Path(path))
    except OSError as exc:  # a folder, no permission...
        raise RosterFileError(f"previous roster {path}: cannot be read ({exc.strerror})") from exc
    except RosterFileError as exc:
        raise RosterFileError(f"previous roster {exc}") from exc
    return history_from_roster(scenario, previous, str(path))


def _require_before(shift: Shift, horizon_start: datetime, where: str) -> None:
    if shift.end <= shift.start:
        raise RosterFileError(
            f"{where}: agent {shift.agent_id}'s shift ends ({iso(shift.end)}) "
            f"at or before it starts ({iso(shift.start)})"
        )
    if shift.start >= horizon_start:
        raise RosterFileError(
            f"{where}: agent {shift.agent_id}'s shift starts {iso(shift.start)}, not before "
            f"the new horizon start {iso(horizon_start)}; a previous roster holds only "
            "shifts that start before it"
        )
