"""Typed domain objects of a scenario. Built by `roster.scenario`, read everywhere else.

All instants are timezone-aware UTC datetimes. Local clock times (availability windows,
open hours) are kept as minutes after local midnight together with their IANA zone, and are
only turned into instants where a rule needs them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np

from roster.timegrid import TimeGrid, local_datetime, local_midnight_utc

TIERS = ("L1", "L2")
CONTRACTS = ("employee", "freelance")
MINUTES_PER_DAY = 24 * 60

QueueKey = tuple[str, str]  # (language, tier)


@dataclass(frozen=True)
class OpenHours:
    """When a queue takes tickets: always, or daily windows on some weekdays in a zone.

    `weekdays` holds ISO weekdays (Mon=1 .. Sun=7) on which a window *opens*; a window whose
    end is not after its start runs past midnight into the next day.
    """

    text: str
    always: bool = True
    weekdays: frozenset[int] = frozenset()
    start_minute: int = 0
    end_minute: int = MINUTES_PER_DAY
    timezone: str = "UTC"
    more: tuple[OpenHours, ...] = ()  # further windows: "Mon-Fri 08:00-20:00; Sat 09:00-13:00"

    def is_open(self, instant: datetime) -> bool:
        return self._window_open(instant) or any(w.is_open(instant) for w in self.more)

    def _window_open(self, instant: datetime) -> bool:
        if self.always:
            return True
        local = local_datetime(instant, self.timezone)
        minute = local.hour * 60 + local.minute
        weekday = local.isoweekday()
        if self.start_minute < self.end_minute:
            return weekday in self.weekdays and self.start_minute <= minute < self.end_minute
        opened_today = weekday in self.weekdays and minute >= self.start_minute
        yesterday = 7 if weekday == 1 else weekday - 1
        opened_yesterday = yesterday in self.weekdays and minute < self.end_minute
        return opened_today or opened_yesterday


@dataclass(frozen=True)
class Queue:
    """One (language, tier) line of work with its service-level target."""

    language: str
    tier: str
    aht_seconds: float
    service_level: float
    answer_seconds: float
    min_agents: int = 0
    open_hours: OpenHours = field(default_factory=lambda: OpenHours("24/7"))

    @property
    def key(self) -> QueueKey:
        return (self.language, self.tier)

    @property
    def label(self) -> str:
        return f"{self.language}-{self.tier}"


@dataclass(frozen=True)
class Agent:
    """A person who can be rostered. Availability is local clock time in `timezone`."""

    id: str
    name: str
    timezone: str
    languages: tuple[str, ...]
    tier: str
    contract: str
    min_hours: float
    max_hours: float
    hourly_cost: float
    available_from_minute: int = 0
    available_to_minute: int = MINUTES_PER_DAY

    @property
    def available_any_time(self) -> bool:
        return self.available_from_minute == 0 and self.available_to_minute == MINUTES_PER_DAY

    @property
    def window_minutes(self) -> int:
        """Length of one availability window in minutes (a wrapping window spans midnight)."""
        span = self.available_to_minute - self.available_from_minute
        return span if span > 0 else span + MINUTES_PER_DAY

    def can_serve(self, queue: QueueKey) -> bool:
        """An agent serves queues of its languages at its tier; L2 agents also serve L1."""
        language, tier = queue
        return language in self.languages and (tier == self.tier or tier == "L1")


@dataclass(frozen=True)
class TimeOff:
    agent_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Staffing:
    shrinkage: float = 0.0
    max_occupancy: float = 1.0
    escalation_rate: float = 0.0


@dataclass(frozen=True)
class ShiftKind:
    """A named kind of shift (early, late, night...) by the local clock time it starts at.

    The start window [starts_from, starts_before) is in minutes after local midnight of the
    agent's zone; a window whose end is not after its start wraps midnight (22:00-04:00).
    """

    name: str
    starts_from_minute: int
    starts_before_minute: int
    max_per_week: int | None = None  # per agent and week of the horizon

    def holds(self, local_minute: int) -> bool:
        opens, closes = self.starts_from_minute, self.starts_before_minute
        if opens < closes:
            return opens <= local_minute < closes
        return local_minute >= opens or local_minute < closes


@dataclass(frozen=True)
class Rules:
    """Hard labour rules. Lengths are elapsed time, not wall-clock time; days are the
    agent's local calendar days."""

    shift_hours: tuple[float, ...]
    shift_start_step_minutes: int
    min_rest_hours: float
    max_consecutive_days: int
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None  # None: no limit
    shift_kinds: tuple[ShiftKind, ...] = ()
    forbidden_successions: tuple[tuple[str, str], ...] = ()  # (first kind, next-day kind)

    @property
    def shift_minutes(self) -> tuple[int, ...]:
        return tuple(round(h * 60) for h in self.shift_hours)

    def kind_at(self, local_start: datetime) -> str | None:
        """The kind of a shift starting at this local time: the first kind whose start
        window holds it, or None."""
        minute = local_start.hour * 60 + local_start.minute
        return next((k.name for k in self.shift_kinds if k.holds(minute)), None)


# A request's `kind` besides shift kind names: a day off, or any shift that day.
REQUEST_OFF = "off"
REQUEST_ON = "on"


@dataclass(frozen=True)
class Request:
    """An agent's soft wish about one of its local days: `off`, `on` or a shift kind."""

    agent_id: str
    day: date  # the agent's local date
    kind: str
    weight: float  # > 0; see README for the unit


@dataclass(frozen=True)
class Scenario:
    """A complete, validated scenario: everything a solve or a check needs."""

    name: str
    week_start: date
    planning_timezone: str
    interval_minutes: int
    staffing: Staffing
    rules: Rules
    queues: tuple[Queue, ...]
    agents: tuple[Agent, ...]
    # Arrivals per interval for every (language, tier) that forecast.csv names explicitly.
    forecast: dict[QueueKey, np.ndarray]
    time_off: tuple[TimeOff, ...] = ()
    requests: tuple[Request, ...] = ()
    weeks: int = 1  # the horizon: this many weeks of 7 local planning-zone days
    # Said to the user, never fatal: keys of scenario.toml that nothing reads, say.
    warnings: tuple[str, ...] = ()

    @cached_property
    def grid(self) -> TimeGrid:
        return TimeGrid.for_week(
            self.week_start, self.planning_timezone, self.interval_minutes, weeks=self.weeks
        )

    @cached_property
    def week_starts(self) -> tuple[datetime, ...]:
        """UTC start of each week of the horizon: local planning-zone midnight of
        week_start + 7 k days. Weekly hour limits apply per week; a shift belongs to the
        week in which it starts."""
        return tuple(
            local_midnight_utc(self.week_start + timedelta(days=7 * k), self.planning_timezone)
            for k in range(self.weeks)
        )

    def week_of(self, instant: datetime) -> int:
        """Index of the week holding `instant` (0 before the horizon, the last one after)."""
        return max(0, bisect_right(self.week_starts, instant) - 1)

    @cached_property
    def agents_by_id(self) -> dict[str, Agent]:
        return {agent.id: agent for agent in self.agents}

    def queue(self, key: QueueKey) -> Queue:
        return next(q for q in self.queues if q.key == key)

    def time_off_of(self, agent_id: str) -> list[TimeOff]:
        return [t for t in self.time_off if t.agent_id == agent_id]
