"""The weeks of a roster's horizon as the pages show them, one at a time.

A scenario plans `weeks` weeks (1 to 12) of seven local planning-zone days each; week k
starts at local midnight of week_start + 7 k days, so a week with a DST change lasts 167
or 169 hours. Pages number weeks from 1 in their addresses (`?week=2`) and open, when no
week is asked for, on the week that holds "now" (else the first one). Shifts belong to
the week in which they start, as the weekly hour limits count them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from api.errors import NotFound
from roster.model import Scenario
from roster.timegrid import TimeGrid

MAX_WEEKS = 12  # the scenario format's longest horizon


@dataclass(frozen=True)
class PlanningWeek:
    """Week `index` (from 0) of a horizon of `count` weeks: [start, end) in UTC."""

    index: int
    count: int
    first_day: date  # the planning-zone date it starts on
    start: datetime
    end: datetime

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"Week {self.number} of {self.count}"

    def holds(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def planning_weeks(scenario: Scenario) -> list[PlanningWeek]:
    ends = [*scenario.week_starts[1:], scenario.grid.end]
    return [
        PlanningWeek(k, scenario.weeks, scenario.week_start + timedelta(days=7 * k), start, end)
        for k, (start, end) in enumerate(zip(scenario.week_starts, ends, strict=True))
    ]


def pick_week(scenario: Scenario, requested: int | None, now: datetime) -> PlanningWeek:
    """Week `requested` (from 1); without one, the week that holds `now`, else the first.

    Raises NotFound for a week the horizon does not have, naming the weeks it has.
    """
    weeks = planning_weeks(scenario)
    if requested is None:
        return next((w for w in weeks if w.holds(now)), weeks[0])
    if not 1 <= requested <= len(weeks):
        span = "week 1 only" if len(weeks) == 1 else f"weeks 1 to {len(weeks)}"
        raise NotFound(f"this roster plans {span}; there is no week {requested}")
    return weeks[requested - 1]


def week_grid_of(scenario: Scenario, week: PlanningWeek) -> TimeGrid:
    """The intervals of one week, as a grid of its own (for charts of that week)."""
    return TimeGrid(week.start, week.end, scenario.interval_minutes, scenario.planning_timezone)


def week_slice(scenario: Scenario, week: PlanningWeek) -> slice:
    """Positions of the week's intervals in arrays over the whole horizon."""
    grid, step = scenario.grid, scenario.interval_minutes
    return slice(
        grid.minutes_from_start(week.start) // step, grid.minutes_from_start(week.end) // step
    )


@dataclass(frozen=True)
class WeekLink:
    week: PlanningWeek
    href: str
    current: bool


@dataclass(frozen=True)
class WeekNav:
    """Previous / next links and one link per week, keeping the page's other parameters."""

    current: PlanningWeek
    links: tuple[WeekLink, ...]

    @property
    def previous(self) -> WeekLink | None:
        return self.links[self.current.index - 1] if self.current.index > 0 else None

    @property
    def next(self) -> WeekLink | None:
        index = self.current.index + 1
        return self.links[index] if index < len(self.links) else None


def week_nav(
    scenario: Scenario, current: PlanningWeek, path: str, params: dict[str, str]
) -> WeekNav:
    """Links to every week of the horizon at `path`, with the non-empty `params` kept."""
    kept = {k: v for k, v in params.items() if v}
    links = tuple(
        WeekLink(week, f"{path}?{urlencode({**kept, 'week': week.number})}", week == current)
        for week in planning_weeks(scenario)
    )
    return WeekNav(current, links)
