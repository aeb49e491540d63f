"""The linear relaxation of the roster model, stated compactly and solved with HiGHS.

Its optimum is a lower bound on every roster (read from the dual, so it holds even though
the interior-point solve stops at a tolerance), tighter than the flow bound because shifts
stay whole blocks of time. On large weeks it is the only bound worth having: CP-SAT's own
stays far below. (Its solution also says which shifts a good roster is made of; a search
restricted to those did well until the neighbourhood moves of
`roster.solver.neighbourhood`, over every option, did better.)

CP-SAT has an LP of its own, but on large weeks it does not solve it within the time limit.
The one written here counts agents on shift as running sums instead of one term per
interval, and leaves out what costs much solving time and moves the optimum little.

Left out, which only lowers the bound: the minimum rest between shifts (one start per
local day keeps shifts apart already; with it the LP took twice as long for a bound 0.001 %
higher on a 200-agent week) and the day rules on runs, weekends and successions. Requests
and the fairness of night and weekend shifts are in, as the model states them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy.sparse import csc_matrix

from roster.solver.problem import DEMAND_SCALE, Problem, Worker

INTERIOR_POINT_ITERATIONS = 400  # a cap that a healthy solve never reaches (~100 used)


@dataclass
class Relaxation:
    bound: float  # every roster costs at least this (objective units)
    # Per worker id: the value of each of its options in the LP optimum, in option order.
    values: dict[str, np.ndarray]
    seconds: float


class NoProgress(RuntimeError):
    """HiGHS's interior point stopped making progress: no bound, not even a weak one."""


@dataclass
class _Lp:
    """Columns and rows as they are added; rows are lower <= sum(coef * col) <= upper."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    coefs: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    offset: float = 0.0  # a constant of the objective
    # Columns whose upper bound every roster keeps anyway: HiGHS is not told it, since it
    # only makes the LP harder to solve, but the dual bound uses it (see `_dual_bound`).
    implied_upper: list[int] = field(default_factory=list)

    def copy(self) -> _Lp:
        return _Lp(
            *(list(getattr(self, name)) for name in _LIST_FIELDS),
            offset=self.offset,
            implied_upper=list(self.implied_upper),
        )

    def column(self, cost: float, lower: float, upper: float, implied: bool = False) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        if implied:
            self.implied_upper.append(len(self.cost) - 1)
        return len(self.cost) - 1

    def row(self, terms: list[tuple[int, float]], lower: float, upper: float) -> None:
        r = len(self.row_lower)
        for col, coef in terms:
            self.rows.append(r)
            self.cols.append(col)
            self.coefs.append(coef)
        self.row_lower.append(lower)
        self.row_upper.append(upper)


_LIST_FIELDS = ("cost", "lower", "upper", "rows", "cols", "coefs", "row_lower", "row_upper")


def solve_relaxation(
    problem: Problem, time_limit_seconds: float, interrupted: Callable[[], bool] | None = None
) -> Relaxation | None:
    """The LP optimum; when HiGHS runs out of time or `interrupted()` turns true (asked at
    every interior-point iteration), its last iterate (a rougher guide and a weaker
    bound); None when that is unusable."""
    started = time.monotonic()
    lp = _Lp()
    x = [_add_worker(lp, problem, worker) for worker in problem.workers]
    _add_coverage(lp, problem, x)
    fair = lp.copy()
    _add_fairness(fair, problem, x)
    # HiGHS stalls on a few LPs with the fairness rows in (1 of 18 generated 15-minute
    # weeks): the LP without them is a relaxation too, a little weaker.
    solved = None
    for attempt in (fair, lp):
        try:
            left = time_limit_seconds - (time.monotonic() - started)
            solved = _solve(attempt, left, interrupted)
            break
        except NoProgress:
            continue
    if solved is None:
        return None
    values, bound = solved
    per_worker = {
        worker.id: values[np.array(cols, dtype=np.int64)]
        for worker, cols in zip(problem.workers, x, strict=True)
    }
    return Relaxation(bound, per_worker, time.monotonic() - started)


def _add_worker(lp: _Lp, problem: Problem, worker: Worker) -> list[int]:
    """A worker's option columns and the hard rules on them; returns the columns."""
    denied = _request_prices(lp, worker)
    x = [lp.column(o.cost + o.penalty + denied[k], 0.0, 1.0) for k, o in enumerate(worker.options)]
    days = _add_days(lp, worker, x)
    for week in range(problem.n_weeks):
        terms = [
            (x[k], o.minutes)
            for k, o in enumerate(worker.options)
            if problem.week_of(o.start) == week
        ]
        lp.row(terms, worker.min_minutes, worker.max_minutes)
    window = problem.max_consecutive_days + 1
    for first in range(len(days) - window + 1):
        lp.row([(d, 1.0) for d in days[first : first + window]], 0, problem.max_consecutive_days)
    for kind, most in problem.max_per_kind:
        for week in range(problem.n_weeks):
            terms = [
                (x[k], 1.0)
                for k, o in enumerate(worker.options)
                if o.kind == kind and problem.week_of(o.start) == week
            ]
            if terms:
                lp.row(terms, 0, most)
    return x


def _request_prices(lp: _Lp, worker: Worker) -> list[float]:
    """Per option, what working it adds to the requests denied (as `labour.request_terms`):
    a day off asked for costs its weight when worked; a day (or a kind of shift) asked for
    costs its weight unless worked, a constant less the weight of each option granting it."""
    prices = [0.0] * len(worker.options)
    for request in worker.requests:
        if request.wanted:
            lp.offset += request.weight
        sign = -1.0 if request.wanted else 1.0
        for k, o in enumerate(worker.options):
            if o.day == request.day and (request.kind is None or o.kind == request.kind):
                prices[k] += sign * request.weight
    return prices


def _add_fairness(lp: _Lp, problem: Problem, x: list[list[int]]) -> None:
    """The busiest worker's night and weekend shifts per fairness group (as
    `rules.fairness_terms`): a column at least every member's count."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for wi, worker in enumerate(problem.workers):
        by_group[worker.fairness_group].append(wi)
    for members in by_group.values():
        if len(members) < 2:
            continue
        for flag in ("night", "weekend"):
            counts = [
                [x[wi][k] for k, o in enumerate(problem.workers[wi].options) if getattr(o, flag)]
                for wi in members
            ]
            if not any(counts):
                continue
            # No count exceeds the days; implied only: stated, it stalled HiGHS's interior
            # point after 14 iterations on a 15-minute week of 200 agents.
            most = max(problem.workers[wi].n_days for wi in members)
            busiest = lp.column(problem.weights.fairness, 0.0, most, implied=True)
            for count in counts:
                lp.row([(busiest, 1.0)] + [(c, -1.0) for c in count], 0.0, np.inf)


def _add_days(lp: _Lp, worker: Worker, x: list[int]) -> list[int]:
    """One start per local day: a day column equal to the options started that day."""
    by_day: dict[int, list[int]] = defaultdict(list)
    for k, o in enumerate(worker.options):
        by_day[o.day].append(x[k])
    days = []
    for d in range(worker.n_days):
        day = lp.column(0.0, 0.0, 1.0)
        lp.row([(col, 1.0) for col in by_day.get(d, [])] + [(day, -1.0)], 0, 0)
        days.append(day)
    return days


def _add_coverage(lp: _Lp, problem: Problem, x: list[list[int]]) -> None:
    """Agents on shift per skill group, each serving at most one queue, and the shortage,
    floor and overstaffing terms of the objective."""
    step = problem.interval_minutes
    n = problem.n_intervals
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for wi, worker in enumerate(problem.workers):
        if worker.skills:
            groups[worker.skills].append(wi)
    scheduled: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    on_shift: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for skills, members in groups.items():
        starting: dict[int, list[int]] = defaultdict(list)
        ending: dict[int, list[int]] = defaultdict(list)
        for wi in members:
            for k, o in enumerate(problem.workers[wi].options):
                starting[o.start // step].append(x[wi][k])
                ending[o.end // step].append(x[wi][k])
        previous: int | None = None
        for i in range(n):
            on = lp.column(0.0, 0.0, len(members))
            terms = [(on, 1.0)] + [(c, -1.0) for c in starting.get(i, [])]
            terms += [(c, 1.0) for c in ending.get(i, [])]
            if previous is not None:
                terms.append((previous, -1.0))
            lp.row(terms, 0, 0)
            previous = on
            on_shift[i].append((on, 1.0))
            here = [q for q in skills if problem.has_demand(q, i)]
            served = [lp.column(0.0, 0.0, len(members)) for _ in here]
            if here:
                lp.row([(c, 1.0) for c in served] + [(on, -1.0)], -np.inf, 0)
            for q, col in zip(here, served, strict=True):
                scheduled[q, i].append((col, 1.0))
    _add_shortages(lp, problem, scheduled)
    _add_overstaffing(lp, problem, on_shift)


def _add_shortages(
    lp: _Lp, problem: Problem, scheduled: dict[tuple[int, int], list[tuple[int, float]]]
) -> None:
    for q, demand in enumerate(problem.demands):
        for i in map(int, demand.required.nonzero()[0]):
            need = int(demand.required[i])
            staff = scheduled.get((q, i), [])
            short = lp.column(demand.shortage_weight, 0.0, need)
            lp.row([(short, 1.0)] + [(c, DEMAND_SCALE * a) for c, a in staff], need, np.inf)
            whole, fraction = divmod(need, DEMAND_SCALE)
            if fraction:  # the model's rounding cut, valid for whole agents
                terms = [(short, 1.0)] + [(c, fraction * a) for c, a in staff]
                lp.row(terms, fraction * (whole + 1), np.inf)
        for i in map(int, demand.floor.nonzero()[0]):
            floor = int(demand.floor[i])
            short = lp.column(demand.floor_weight, 0.0, floor)
            lp.row([(short, 1.0)] + scheduled.get((q, i), []), floor, np.inf)


def _add_overstaffing(
    lp: _Lp, problem: Problem, on_shift: dict[int, list[tuple[int, float]]]
) -> None:
    for i, terms in sorted(on_shift.items()):
        need = sum(int(d.required[i]) for d in problem.demands)
        over = lp.column(problem.weights.overstaffing, 0.0, np.inf)
        lp.row([(over, 1.0)] + [(c, -DEMAND_SCALE * a) for c, a in terms], -need, np.inf)


class _QuietHighs(highspy.Highs):
    """HiGHS with its output off before it can print anything. highspy's constructor
    enables its callbacks, and that first call prints HiGHS's banner to stdout while
    `output_flag` is still on: `roster solve --quiet`, or any run with stdout not a
    terminal, printed two lines of it."""

    def enableCallbacks(self) -> None:  # noqa: N802 (highspy's name)
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


def _solve(
    lp: _Lp, time_limit_seconds: float, interrupted: Callable[[], bool] | None
) -> tuple[np.ndarray, float] | None:
    matrix = csc_matrix((lp.coefs, (lp.rows, lp.cols)), shape=(len(lp.row_lower), len(lp.cost)))
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = matrix.shape[1], matrix.shape[0]
    model.col_cost_ = np.array(lp.cost)
    model.col_lower_ = np.array(lp.lower)
    upper = np.array(lp.upper)
    upper[np.array(lp.implied_upper, dtype=np.int64)] = np.inf
    model.col_upper_ = np.where(np.isfinite(upper), upper, highspy.kHighsInf)
    model.row_lower_ = np.where(np.isfinite(lp.row_lower), lp.row_lower, -highspy.kHighsInf)
    model.row_upper_ = np.where(np.isfinite(lp.row_upper), lp.row_upper, highspy.kHighsInf)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data
    highs = _QuietHighs()
    for name, value in (
        ("output_flag", False),  # already off (see _QuietHighs); said here with the rest
        ("solver", "ipm"),
        ("run_crossover", "off"),  # a vertex is not needed, and crossover takes long
        # Looser than the default 1e-8 and no presolve: 15 s instead of 17 s on a 200-agent
        # week. The bound stays safe (read from the duals), the guide the same.
        ("ipm_optimality_tolerance", 1e-6),
        ("presolve", "off"),
        ("threads", 1),
        ("random_seed", 0),
        ("ipm_iteration_limit", INTERIOR_POINT_ITERATIONS),
        ("time_limit", max(0.1, time_limit_seconds)),
    ):
        highs.setOptionValue(name, value)
    highs.passModel(model)
    if interrupted is not None:
        highs.cbIpmInterrupt.subscribe(lambda event: event.interrupt(interrupted()))
    highs.run()
    solution = highs.getSolution()
    status = highs.getModelStatus()
    # Stopped early (out of time, or interrupted: the caller wants what there is), the
    # interior point's last iterate still guides (roughly) and its duals still bound
    # (weakly, weak duality holds for any duals).
    stopped_early = status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
    )
    usable = stopped_early and solution.value_valid and solution.dual_valid
    if status == highspy.HighsModelStatus.kUnknown:
        raise NoProgress(f"after {highs.getInfo().ipm_iteration_count} iterations")
    if status != highspy.HighsModelStatus.kOptimal and not usable:
        return None
    values = np.array(solution.col_value)
    row_duals = np.array(solution.row_dual)
    return values, lp.offset + _dual_bound(matrix, lp, row_duals)


def _dual_bound(matrix: csc_matrix, lp: _Lp, row_duals: np.ndarray) -> float:
    """A lower bound from any row duals: weak duality with reduced costs recomputed.

    For min c'x with L <= Ax <= U and l <= x <= u, any y gives the bound
    sum(y_i * (L_i if y_i > 0 else U_i)) + sum(z_j * (l_j if z_j > 0 else u_j)), z = c - A'y,
    so the bound holds however inexact the interior-point solution is. A dual whose side
    is infinite is dropped first, which keeps every term finite. Columns take the upper
    bounds every roster keeps, also those HiGHS was not told (`_Lp.implied_upper`): the
    bound is then one on that LP, still a relaxation of every roster.
    """
    lower, upper = np.array(lp.row_lower), np.array(lp.row_upper)
    y = np.where((row_duals > 0) & ~np.isfinite(lower), 0.0, row_duals)
    y = np.where((y < 0) & ~np.isfinite(upper), 0.0, y)
    rows = np.where(y > 0, lower, np.where(y < 0, upper, 0.0))
    z = np.array(lp.cost) - matrix.T @ y
    col_lower, col_upper = np.array(lp.lower), np.array(lp.upper)
    if np.any((z < 0) & ~np.isfinite(col_upper)):
        return -np.inf  # a column that could go to infinity: these duals prove nothing
    cols = np.where(z > 0, col_lower, np.where(z < 0, col_upper, 0.0))
    return float(y @ rows + z @ cols)
