"""The manager's week grid: one row per agent, one column per local date, shift bars.

A horizon of several weeks is shown one planning week at a time: the shifts that start in
that week, plus the ends of shifts carried over from the week before (so a Monday morning
shows who is still on a Sunday night shift). Each row's hours are those of its shifts that
start in the week, against the agent's weekly bounds, as the hour limits count them.

Times are shown in one of three zones: the planning zone, UTC, or each agent's own zone.
A bar sits at its local wall-clock position in the day (09:00 is 37.5 % across) and a
shift that runs past local midnight continues as a second bar on the next date. On a DST
day the bar still shows the wall-clock times the agent sees; the shift's length is
elapsed time, as everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from api.views.horizon import PlanningWeek, week_grid_of
from api.views.wallclock import end_clock, ends_next_day
from roster.model import CONTRACTS, TIERS, Agent, Scenario
from roster.result import Roster, Shift
from roster.timegrid import local_dates_touched, local_datetime

ZONE_MODES = ("planning", "utc", "agent")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class WeekFilters:
    """What the manager picked in the filter form; an empty value means 'any'."""

    zone: str = "planning"
    language: str = ""
    tier: str = ""
    timezone: str = ""
    contract: str = ""

    def __post_init__(self) -> None:
        if self.zone not in ZONE_MODES:
            object.__setattr__(self, "zone", "planning")

    def matches(self, agent: Agent) -> bool:
        return (
            (not self.language or self.language in agent.languages)
            and (not self.tier or self.tier == agent.tier)
            and (not self.timezone or self.timezone == agent.timezone)
            and (not self.contract or self.contract == agent.contract)
        )

    @property
    def active(self) -> bool:
        return any((self.language, self.tier, self.timezone, self.contract))

    def params(self) -> dict[str, str]:
        """The query parameters that give these filters (defaults left out)."""
        zone = "" if self.zone == "planning" else self.zone
        return {
            "zone": zone,
            "language": self.language,
            "tier": self.tier,
            "timezone": self.timezone,
            "contract": self.contract,
        }


@dataclass(frozen=True)
class Bar:
    """The part of one shift that falls on one local date, placed in percent of the day."""

    left_pct: float
    width_pct: float
    start: datetime  # local wall clock of the whole shift
    end: datetime
    hours: float
    queue: str | None
    is_start: bool  # this piece holds the shift's start (the other continues a shift)
    # The shift's first piece on the page: labelled even when it does not hold the start
    # (a shift carried over from the week before).
    first_shown: bool = False

    @property
    def labelled(self) -> bool:
        return self.is_start or self.first_shown

    @property
    def end_clock(self) -> str:
        return end_clock(self.start, self.end)

    @property
    def ends_next_day(self) -> bool:
        return ends_next_day(self.start, self.end)


@dataclass(frozen=True)
class DayCell:
    day: date
    in_week: bool  # the date is part of this agent's planning week in the shown zone
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    zone: str
    cells: tuple[DayCell, ...]
    shifts: int  # starting in the week shown
    hours: float  # of those shifts: what the weekly bounds count
    horizon_hours: float  # of every shift of the horizon

    @property
    def hours_within_contract(self) -> bool:
        return self.agent.min_hours - 1e-9 <= self.hours <= self.agent.max_hours + 1e-9


@dataclass(frozen=True)
class FilterOptions:
    languages: tuple[str, ...]
    tiers: tuple[str, ...]
    timezones: tuple[str, ...]
    contracts: tuple[str, ...]


@dataclass(frozen=True)
class WeekGrid:
    week: PlanningWeek
    days: tuple[date, ...]
    rows: tuple[AgentRow, ...]
    filters: WeekFilters
    options: FilterOptions
    zone_label: str
    total_agents: int

    @property
    def hours(self) -> float:
        return sum(row.hours for row in self.rows)


@dataclass
class _AgentShifts:
    shown: list[Shift]  # starting in the week, or carried over into it
    week_hours: float = 0.0
    week_shifts: int = 0
    horizon_hours: float = 0.0


def week_grid(
    scenario: Scenario, roster: Roster, filters: WeekFilters, week: PlanningWeek
) -> WeekGrid:
    by_agent = _shifts_of_week(roster, week)
    agents = [a for a in scenario.agents if filters.matches(a)]
    zones = {a.id: display_zone(scenario, a, filters.zone) for a in agents}
    span = week_grid_of(scenario, week)
    days_of_zone = {tz: local_dates_touched(span, tz) for tz in set(zones.values())}
    columns = sorted({d for days in days_of_zone.values() for d in days})
    if not columns:  # no agent matches: show the planning week's dates
        columns = local_dates_touched(span, scenario.planning_timezone)
    rows = tuple(
        agent_row(
            a,
            by_agent.get(a.id) or _AgentShifts([]),
            zones[a.id],
            columns,
            set(days_of_zone[zones[a.id]]),
        )
        for a in agents
    )
    return WeekGrid(
        week=week,
        days=tuple(columns),
        rows=rows,
        filters=filters,
        options=filter_options(scenario),
        zone_label=zone_label(scenario, filters.zone),
        total_agents=len(scenario.agents),
    )


def _shifts_of_week(roster: Roster, week: PlanningWeek) -> dict[str, _AgentShifts]:
    by_agent: dict[str, _AgentShifts] = {}
    for shift in sorted(roster.shifts, key=lambda s: s.start):
        mine = by_agent.setdefault(shift.agent_id, _AgentShifts([]))
        mine.horizon_hours += shift.hours
        if week.holds(shift.start):
            mine.shown.append(shift)
            mine.week_hours += shift.hours
            mine.week_shifts += 1
        elif shift.start < week.start < shift.end:
            mine.shown.append(shift)
    return by_agent


def display_zone(scenario: Scenario, agent: Agent, mode: str) -> str:
    if mode == "utc":
        return "UTC"
    if mode == "agent":
        return agent.timezone
    return scenario.planning_timezone


def zone_label(scenario: Scenario, mode: str) -> str:
    if mode == "utc":
        return "UTC"
    if mode == "agent":
        return "each agent's own time zone"
    return f"the planning zone, {scenario.planning_timezone}"


def filter_options(scenario: Scenario) -> FilterOptions:
    return FilterOptions(
        languages=tuple(sorted({lang for a in scenario.agents for lang in a.languages})),
        tiers=TIERS,
        timezones=tuple(sorted({a.timezone for a in scenario.agents})),
        contracts=CONTRACTS,
    )


def agent_row(
    agent: Agent,
    shifts: _AgentShifts,
    tz: str,
    columns: list[date],
    week_days: set[date],
) -> AgentRow:
    bars_by_day: dict[date, list[Bar]] = defaultdict(list)
    shown_days = set(columns)
    for shift in shifts.shown:
        for day, bar in day_bars(shift, tz, shown_days):
            bars_by_day[day].append(bar)
    cells = tuple(DayCell(d, d in week_days, tuple(bars_by_day.get(d, ()))) for d in columns)
    return AgentRow(agent, tz, cells, shifts.week_shifts, shifts.week_hours, shifts.horizon_hours)


def day_bars(shift: Shift, tz: str, shown_days: set[date] | None = None) -> list[tuple[date, Bar]]:
    """The shift cut at local midnights, each piece placed by wall clock in its date; only
    the pieces on `shown_days` (all when None), the first of them marked `first_shown`."""
    start = local_datetime(shift.start, tz).replace(tzinfo=None)
    end = local_datetime(shift.end, tz).replace(tzinfo=None)
    pieces = []
    day = start.date()
    while (midnight := datetime.combine(day, time())) < end:
        if shown_days is not None and day not in shown_days:
            day += timedelta(days=1)
            continue
        piece_start = max(start, midnight)
        piece_end = min(end, midnight + timedelta(days=1))
        left = _minutes(piece_start - midnight)
        width = _minutes(piece_end - piece_start)
        bar = Bar(
            left_pct=100 * left / MINUTES_PER_DAY,
            width_pct=100 * width / MINUTES_PER_DAY,
            start=start,
            end=end,
            hours=shift.hours,
            queue=shift.queue,
            is_start=piece_start == start,
            first_shown=not pieces,
        )
        pieces.append((day, bar))
        day += timedelta(days=1)
    return pieces


def _minutes(span: timedelta) -> float:
    return span.total_seconds() / 60
