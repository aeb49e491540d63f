"""The solver's own view of a rostering problem: integers on a minute axis, nothing else.

The solver knows no time zones, no CSV files and no Erlang C. `roster.engine` (and the
Curtois benchmark reader) translate their inputs into a `Problem`: for every worker the
shift options that already respect its availability and absences, each tagged with the
worker's local day it starts on; and for every queue its demand per interval. That keeps
the CP-SAT model small and lets every caller share the same rule functions.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

# Required staff is a decimal (shrinkage makes it fractional); the model works in
# hundredths of an agent so that every coefficient stays an integer.
DEMAND_SCALE = 100


@dataclass(frozen=True)
class ShiftOption:
    """One shift a worker could work: [start, end) in minutes from the horizon start."""

    start: int
    end: int
    day: int  # index into the worker's local days (0 = first local day it can touch)
    cost: int  # money in integer units (cents)
    penalty: int = 0  # soft-preference penalty for working this option (e.g. night hours)
    night: bool = False
    weekend: bool = False
    kind: str | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class WorkerRequest:
    """A soft wish about one local day: work a shift of `kind` (None: any shift) when
    `wanted`, or not (a day off) when not; `weight` is what denying it costs."""

    day: int
    kind: str | None
    wanted: bool
    weight: int


@dataclass(frozen=True)
class PastDays:
    """A worker's local days just before the horizon, as the previous roster fixed them.

    Days -`count` .. -1 are known. `worked` lists the known days a shift started on, with
    the kind of that shift (None: no kind); it may also list day 0, when a previous shift
    already started on the horizon's first local day. Known days not listed were off.
    The day rules read these days; the shift options must already keep the rest after the
    previous shifts and leave a day 0 started before alone (`roster.engine` filters them).
    """

    count: int = 0
    worked: tuple[tuple[int, str | None], ...] = ()

    @property
    def first_day_taken(self) -> bool:
        return any(day == 0 for day, _ in self.worked)

    def worked_flags(self) -> list[bool]:
        """Per known day before the horizon, oldest first: a shift started on it."""
        started = {day for day, _ in self.worked}
        return [day in started for day in range(-self.count, 0)]

    def kind_flags(self, kind: str) -> list[bool]:
        """Per known day before the horizon, oldest first: a shift of `kind` started on it."""
        of_kind = {day for day, k in self.worked if k == kind}
        return [day in of_kind for day in range(-self.count, 0)]

    def kind_on(self, day: int) -> str | None:
        return next((k for d, k in self.worked if d == day), None)


@dataclass(frozen=True)
class Worker:
    id: str
    options: tuple[ShiftOption, ...]
    skills: tuple[int, ...]  # indices of the demands (queues) the worker may serve
    min_minutes: int
    max_minutes: int
    n_days: int  # local calendar days the horizon touches for this worker
    fairness_group: str = ""
    # Day indices of each weekend (its Saturday and Sunday) among the worker's local days.
    weekends: tuple[tuple[int, ...], ...] = ()
    requests: tuple[WorkerRequest, ...] = ()
    past: PastDays = PastDays()  # none: the horizon starts from a clean slate


@dataclass(frozen=True)
class Demand:
    """Staff wanted on one queue per interval."""

    label: str
    required: np.ndarray  # int, hundredths of an agent per interval (DEMAND_SCALE)
    floor: np.ndarray  # int, whole agents that must be there while the queue is open
    shortage_weight: int  # objective weight of one hundredth agent-interval short
    floor_weight: int  # objective weight of one whole agent-interval below the floor


@dataclass(frozen=True)
class Weights:
    overstaffing: int = 1  # per hundredth agent-interval on shift beyond the total demand
    fairness: int = 1  # per night/weekend shift of the busiest worker in a fairness group


@dataclass(frozen=True)
class Problem:
    interval_minutes: int
    n_intervals: int
    workers: tuple[Worker, ...]
    demands: tuple[Demand, ...]
    min_rest_minutes: int
    max_consecutive_days: int
    weights: Weights = field(default_factory=Weights)
    # Day rules (local days); the defaults leave them out of the model.
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    max_per_kind: tuple[tuple[str, int], ...] = ()  # (shift kind, most per worker and week)
    forbidden_successions: tuple[tuple[str, str], ...] = ()  # (kind, kind on the next day)
    # Minute each week of the horizon starts at, ascending from 0. A worker's min_minutes
    # and max_minutes and max_per_kind hold per week; an option belongs to the week in which
    # it starts. The default, one week, makes them limits over the whole horizon.
    week_starts: tuple[int, ...] = (0,)

    @property
    def horizon_minutes(self) -> int:
        return self.n_intervals * self.interval_minutes

    @property
    def n_weeks(self) -> int:
        return len(self.week_starts)

    def has_demand(self, q: int, i: int) -> bool:
        """Whether queue q wants anyone in interval i (an Erlang requirement or a floor)."""
        demand = self.demands[q]
        return bool(demand.required[i] > 0 or demand.floor[i] > 0)

    def week_of(self, minute: int) -> int:
        """The week in which an option starting at `minute` lies."""
        return max(0, bisect_right(self.week_starts, minute) - 1)


@dataclass(frozen=True)
class SolverSettings:
    time_limit_seconds: float = 60.0
    workers: int = 2
    seed: int = 0
    # Deterministic mode limits the search by CP-SAT's deterministic time instead of the
    # wall clock, so the same seed gives the same roster on any machine load.
    deterministic: bool = True
    log_search: bool = False


@dataclass(frozen=True)
class Progress:
    solutions: int
    objective: float
    bound: float
    elapsed_seconds: float

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float, bound: float) -> float:
    """How far the objective may still be from the best: (objective - bound) / objective."""
    if objective == 0:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


@dataclass
class Solution:
    status: str  # OPTIMAL or FEASIBLE
    objective: float
    bound: float
    solve_seconds: float
    first_solution_seconds: float | None
    chosen: dict[str, list[ShiftOption]]  # worker id -> options worked
    # (skill group index, demand index) -> agents of that group serving it, per interval
    served: dict[tuple[int, int], np.ndarray]
    groups: list[tuple[int, ...]]  # skill tuple of each group index
    objective_terms: dict[str, float] = field(default_factory=dict)
    bound_source: str = ""  # what proved `bound`: CP-SAT, the LP or the flow relaxation
