"""A fast constructive roster: greedy, one worker at a time, feasible by construction.

CP-SAT's own first-solution heuristics struggle with weekly minimum hours combined with
rest rules, so the search is started from this roster instead (as a hint), and the roster
itself is the fallback when the search finds nothing better in time.

Each worker in turn (those with minimum hours first, then the cheapest) takes the shift
that covers the most remaining demand it can serve, as long as that is worth its cost or
its minimum hours are not yet met; the remaining demand then shrinks by what it covers.
The greedy knows rest, hours (per week of the horizon) and the maximum run of days; when
its roster breaks one of the other day rules (minimum runs, weekends, shift kinds), the
worker's roster is made by a one-worker CP-SAT model with every rule instead. A worker's
past days (the previous roster's) count for runs and successions as they do in the model.

Then each greedy worker's week is made again, in the same order, against everyone else's
coverage, and kept when that lowers cost plus shortage: the first pass placed the early
workers before it knew what the later ones would cover.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from roster.solver.problem import DEMAND_SCALE, Problem, ShiftOption, Worker
from roster.solver.shift_rules import add_shift_rules


@dataclass
class _Options:
    """A worker's options as arrays, so each greedy step is a few vector operations."""

    start: np.ndarray
    end: np.ndarray
    day: np.ndarray
    minutes: np.ndarray
    cost: np.ndarray
    first: np.ndarray  # first interval index covered
    last: np.ndarray  # one past the last interval index covered
    kind: np.ndarray  # shift kind name or None, as objects
    week: np.ndarray  # week of the horizon in which the option starts

    @classmethod
    def of(cls, worker: Worker, problem: Problem) -> _Options:
        opts = worker.options
        interval_minutes = problem.interval_minutes
        start = np.array([o.start for o in opts], dtype=np.int64)
        end = np.array([o.end for o in opts], dtype=np.int64)
        return cls(
            start=start,
            end=end,
            day=np.array([o.day for o in opts], dtype=np.int64),
            minutes=end - start,
            cost=np.array([o.cost + o.penalty for o in opts], dtype=np.float64),
            first=start // interval_minutes,
            last=end // interval_minutes,
            kind=np.array([o.kind for o in opts], dtype=object),
            week=np.array([problem.week_of(o.start) for o in opts], dtype=np.int64),
        )


@dataclass
class _Demand:
    """Demand per (queue, interval) in agents, the agents placed on it so far, and what one
    agent short is worth; what is left to cover is the difference, so placing an agent and
    taking it away again are exact, in any order."""

    erlang_need: np.ndarray  # (queues, intervals)
    floor_need: np.ndarray  # (queues, intervals)
    placed: np.ndarray  # (queues, intervals) agents serving so far
    erlang_value: np.ndarray  # (queues,) objective weight of one agent-interval short
    floor_value: np.ndarray  # (queues,)
    scarcity: np.ndarray  # (queues, intervals) >= 1: more where few workers could be there
    # What the greedy has done, for `_recreate`'s budget: Python-level steps, cells read.
    steps: int = 0
    cells: int = 0

    @classmethod
    def of(cls, problem: Problem) -> _Demand:
        n = problem.n_intervals
        demands = problem.demands
        erlang = np.array([d.required / DEMAND_SCALE for d in demands]).reshape(-1, n)
        return cls(
            erlang_need=erlang,
            floor_need=np.array([d.floor for d in demands], dtype=np.float64).reshape(-1, n),
            placed=np.zeros_like(erlang),
            erlang_value=np.array([d.shortage_weight * DEMAND_SCALE for d in demands], float),
            floor_value=np.array([d.floor_weight for d in demands], dtype=np.float64),
            scarcity=1.0 + SCARCITY / np.maximum(1.0, _supply(problem)),
        )

    def slot_values(self, skills: list[int], first: int = 0, last: int | None = None) -> np.ndarray:
        """Value of one agent on each queue in `skills` per interval: (len(skills), span)."""
        window = (skills, slice(first, last))
        placed = self.placed[window]
        self.cells += placed.size
        erlang = np.clip(self.erlang_need[window] - placed, 0.0, 1.0)
        floor = np.clip(self.floor_need[window] - placed, 0.0, 1.0)
        value = erlang * self.erlang_value[skills, None] + floor * self.floor_value[skills, None]
        return value * self.scarcity[window]

    def shortage(self, intervals: np.ndarray, placed: np.ndarray | None = None) -> float:
        """The shortage terms of the objective over `intervals`, as placed so far (or as
        `placed` says)."""
        placed = (self.placed if placed is None else placed)[:, intervals]
        erlang = np.maximum(0.0, self.erlang_need[:, intervals] - placed)
        floor = np.maximum(0.0, self.floor_need[:, intervals] - placed)
        return float(self.erlang_value @ erlang.sum(axis=1) + self.floor_value @ floor.sum(axis=1))

    def snapshot(self) -> np.ndarray:
        self.cells += self.placed.size
        return self.placed.copy()

    def restore(self, saved: np.ndarray) -> None:
        self.placed = saved.copy()

    def consume(self, skills: list[int], first: int, last: int) -> np.ndarray:
        """One agent covers [first, last), each interval on its most valuable queue;
        returns those queues."""
        best = np.asarray(skills)[np.argmax(self.slot_values(skills, first, last), axis=0)]
        self.placed[best, np.arange(first, last)] += 1.0
        return best

    def release(self, queues: np.ndarray, first: int, last: int) -> None:
        """Takes back what `consume` placed."""
        self.placed[queues, np.arange(first, last)] -= 1.0


# How much more an interval that few workers can reach is worth to the greedy: demand there
# is claimed first, before workers who could also go there spend their hours elsewhere.
SCARCITY = 20.0


def _supply(problem: Problem) -> np.ndarray:
    """Workers per (queue, interval) that have some option covering the interval."""
    supply = np.zeros((len(problem.demands), problem.n_intervals))
    for worker in problem.workers:
        reach = np.zeros(problem.n_intervals, dtype=bool)
        for o in worker.options:
            reach[o.start // problem.interval_minutes : o.end // problem.interval_minutes] = True
        supply[list(worker.skills)] += reach
    return supply


def construct(problem: Problem) -> dict[str, list[ShiftOption]] | None:
    """A roster meeting every hard rule, or None when some worker defeats the greedy.

    Raises NoWeekForWorker when a worker's own rules are proven to admit no week."""
    demand = _Demand.of(problem)
    order = _worker_order(problem)
    plans: dict[int, _Plan] = {}
    for wi in order:
        worker = problem.workers[wi]
        saved = demand.snapshot()
        opts = _Options.of(worker, problem)
        plan = _greedy_week(problem, worker, opts, demand)
        if plan is None or _breaks_day_rules(problem, worker, plan.picks):
            demand.restore(saved)  # forget what the rejected greedy week covered
            plan = _exact_week(problem, worker, opts, demand)
        if plan is None:
            return None
        plans[wi] = plan
    _replan(problem, order, plans, demand)
    return _roster_of(problem, order, plans)


def recreate(
    problem: Problem,
    roster: dict[str, list[ShiftOption]],
    effort_seconds: float,
    seed: int,
    stop: Callable[[], bool] = lambda: False,
) -> dict[str, list[ShiftOption]]:
    """The roster improved by the greedy for `effort_seconds` (as STEP_SECONDS and
    CELL_SECONDS count it, not the clock, so that a seed gives the same roster on any
    machine) or until `stop()`: again and again, a random worker and another who shares
    one of its queues have their weeks made again, in random order, against everyone
    else's coverage, kept when cost plus shortage fall. Each week still meets every hard
    rule: the greedy keeps rest, hours and runs, and a week breaking another day rule is
    not taken."""
    demand = _Demand.of(problem)
    order = _worker_order(problem)
    plans: dict[int, _Plan] = {}
    for wi in order:
        worker = problem.workers[wi]
        opts = _Options.of(worker, problem)
        index = {option: k for k, option in enumerate(worker.options)}
        picks = [index[o] for o in roster.get(worker.id, [])]
        plans[wi] = _Plan(picks, _place(worker, opts, picks, demand), opts, greedy=True)
    _recreate(problem, order, plans, demand, effort_seconds, random.Random(seed), stop)
    return _roster_of(problem, order, plans)


def _roster_of(
    problem: Problem, order: list[int], plans: dict[int, _Plan]
) -> dict[str, list[ShiftOption]]:
    return {
        problem.workers[wi].id: [problem.workers[wi].options[k] for k in plans[wi].picks]
        for wi in order
    }


@dataclass
class _Plan:
    """A worker's picked options, the queue it serves in each interval of each, and
    whether the greedy made it (rather than the one-worker model of every rule)."""

    picks: list[int]
    queues: list[np.ndarray]
    opts: _Options
    greedy: bool


# Passes of re-planning each worker's week against everyone else's, after the first
# greedy pass: a worker early in the order chose before it knew what the later ones would
# cover. First rosters: the fixture 12.07 -> 9.83 M, 200 agents 20.54 -> 19.32 M, 4 weeks
# of 60 agents 52.8 -> 49.1 M; a pass costs about what the first greedy did, and the
# passes stop once one changes nothing (two or three).
REPLAN_PASSES = 3
# Workers whose weeks `_recreate` takes away and makes again together: two can trade a
# stretch of work that neither would give up alone.
RECREATE_GROUP = 2
# What `_recreate` is charged, so that its share of a deterministic limit buys the same
# on every machine: per Python-level step and per demand cell read, fitted to wall time
# on 50-1000 agents over 1-12 weeks (within 10 %).
STEP_SECONDS = 5.4e-6
CELL_SECONDS = 2.55e-9


def _replan(problem: Problem, order: list[int], plans: dict[int, _Plan], demand: _Demand) -> None:
    movable = [wi for wi in order if plans[wi].greedy and problem.workers[wi].skills]
    for _ in range(REPLAN_PASSES):
        changed = [_remake(problem, [wi], plans, demand) for wi in movable]
        if not any(changed):
            return


def _recreate(
    problem: Problem,
    order: list[int],
    plans: dict[int, _Plan],
    demand: _Demand,
    effort_seconds: float,
    rng: random.Random,
    stop: Callable[[], bool],
) -> None:
    """`recreate`'s loop: pairs of workers sharing a queue, made again (`_remake`)."""
    movable = [wi for wi in order if problem.workers[wi].skills]
    by_queue: dict[int, list[int]] = {}
    for wi in movable:
        for q in problem.workers[wi].skills:
            by_queue.setdefault(q, []).append(wi)
    demand.steps = demand.cells = 0
    while movable and demand.steps * STEP_SECONDS + demand.cells * CELL_SECONDS < effort_seconds:
        if stop():
            return
        wi = rng.choice(movable)
        others = [w for w in by_queue[rng.choice(problem.workers[wi].skills)] if w != wi]
        group = [wi, *rng.sample(others, min(RECREATE_GROUP - 1, len(others)))]
        rng.shuffle(group)
        _remake(problem, group, plans, demand)


def _remake(problem: Problem, group: list[int], plans: dict[int, _Plan], demand: _Demand) -> bool:
    """The workers' weeks taken away, then made again by the greedy one after the other
    against everyone else's coverage; kept when that lowers cost plus shortage as the
    greedy counts them (each agent on the queue it took when placed; the model's own
    assignment can only do better)."""
    before = demand.snapshot()
    spans, was_cost, now_cost, made = [], 0.0, 0.0, {}
    for wi in group:
        old = plans[wi]
        for k, queues in zip(old.picks, old.queues, strict=True):
            demand.release(queues, int(old.opts.first[k]), int(old.opts.last[k]))
            spans.append(np.arange(old.opts.first[k], old.opts.last[k]))
        was_cost += old.opts.cost[old.picks].sum()
    for wi in group:
        worker, opts = problem.workers[wi], plans[wi].opts
        new = _greedy_week(problem, worker, opts, demand)
        if new is None or _breaks_day_rules(problem, worker, new.picks):
            demand.restore(before)
            return False
        spans += [np.arange(opts.first[k], opts.last[k]) for k in new.picks]
        now_cost += opts.cost[new.picks].sum()
        made[wi] = new
    touched = np.unique(np.concatenate(spans)) if spans else np.zeros(0, dtype=np.int64)
    demand.cells += touched.size * len(demand.erlang_need)
    demand.steps += 10 + 2 * len(spans)
    was = demand.shortage(touched, before) + was_cost
    now = demand.shortage(touched) + now_cost
    if now < was - 1e-9 * abs(was):  # not a rounding difference between equals
        plans.update(made)
        return True
    demand.restore(before)
    return False


def _worker_order(problem: Problem) -> list[int]:
    """Workers who must work first, then the cheapest per minute."""

    def key(wi: int) -> tuple[bool, float, int]:
        w = problem.workers[wi]
        per_minute = min((o.cost / o.minutes for o in w.options), default=0.0)
        return (w.min_minutes == 0, per_minute, wi)

    return sorted(range(len(problem.workers)), key=key)


def _greedy_week(problem: Problem, worker: Worker, opts: _Options, demand: _Demand) -> _Plan | None:
    if not worker.options:
        return _Plan([], [], opts, greedy=True) if worker.min_minutes <= 0 else None
    skills = list(worker.skills)
    picks: list[int] = []
    queues: list[np.ndarray] = []
    worked_days = {day for day, _ in worker.past.worked}  # past days are negative, or 0
    week_minutes = np.zeros(problem.n_weeks, dtype=np.int64)  # hour limits hold per week
    clash = np.zeros(len(opts.start), dtype=bool)  # too close to a pick for the rest rule
    rest = problem.min_rest_minutes
    while True:
        feasible = _feasible(problem, worker, opts, picks, clash, worked_days, week_minutes)
        demand.steps += 10
        demand.cells += 8 * len(opts.start)
        if not feasible.any():
            break
        value = _coverage_value(opts, skills, demand) - opts.cost
        value[~feasible] = -np.inf
        best = int(np.argmax(value))
        if value[best] <= 0:
            # Not worth its cost: take it only in a week still short of the minimum hours.
            value[week_minutes[opts.week] >= worker.min_minutes] = -np.inf
            best = int(np.argmax(value))
            if value[best] == -np.inf:
                break
        picks.append(best)
        clash |= (opts.start < opts.end[best] + rest) & (opts.end + rest > opts.start[best])
        worked_days.add(int(opts.day[best]))
        week_minutes[opts.week[best]] += int(opts.minutes[best])
        if skills:
            queues.append(demand.consume(skills, int(opts.first[best]), int(opts.last[best])))
    if not (week_minutes >= worker.min_minutes).all():
        return None
    return _Plan(picks, queues, opts, greedy=True)


# A one-worker model with more options than this is solved first on a coarser grid of
# starts. 12 weeks at 15 minutes give a worker with a 24-hour window 24,000 options, whose
# model found no week within the limit (a roster of 60 agents, with max_weekends and
# min_consecutive_days, got no first roster at all); on starts every 2 hours (3,000) it
# is solved to optimality in 2 deterministic seconds. The full set is the fallback.
EXACT_WEEK_OPTIONS = 4_000


def _exact_week(problem: Problem, worker: Worker, opts: _Options, demand: _Demand) -> _Plan | None:
    """The worker's most valuable week that meets all its rules, by a one-worker CP-SAT
    model; for the few workers whose minimum hours the greedy order cannot reach."""
    value = np.round(_coverage_value(opts, list(worker.skills), demand) - opts.cost).astype(int)
    for kept in _option_sets(worker, problem.interval_minutes):
        picks = _best_week(problem, worker, kept, value)
        if picks is not None:
            return _Plan(picks, _place(worker, opts, picks, demand), opts, greedy=False)
    return None


class NoWeekForWorker(Exception):
    """A worker's own rules admit no week at all, proven by its one-worker model over all
    its options: no roster exists, and searching for one would only use up the time. The
    diagnosis (`roster.diagnose`) names the worker and the rule."""


def _option_sets(worker: Worker, interval_minutes: int) -> list[list[int]]:
    """Indices of the options `_exact_week` tries, in turn: with more than
    EXACT_WEEK_OPTIONS, first those starting on the finest grid (a multiple of the
    interval, doubling) that brings them within it, then all."""
    everything = list(range(len(worker.options)))
    step = interval_minutes
    kept = everything
    while len(kept) > EXACT_WEEK_OPTIONS:
        step *= 2
        kept = [k for k in everything if worker.options[k].start % step == 0]
    return [kept, everything] if kept and len(kept) < len(everything) else [everything]


def _best_week(
    problem: Problem, worker: Worker, kept: list[int], value: np.ndarray
) -> list[int] | None:
    """The indices (into the worker's options) of its most valuable week among the options
    `kept`, under every rule; None when none is found within the limit."""
    narrowed = replace(worker, options=tuple(worker.options[k] for k in kept))
    one = replace(problem, workers=(narrowed,), demands=())
    model = cp_model.CpModel()
    shifts = add_shift_rules(model, one)
    model.maximize(sum(int(value[k]) * x for k, x in zip(kept, shifts.x[0], strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # Deterministic, so that a seed gives the same first roster however loaded the machine.
    solver.parameters.max_deterministic_time = 5
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE and len(kept) == len(worker.options):
        raise NoWeekForWorker(f"worker {worker.id}: no week keeps its rules")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [k for k, x in zip(kept, shifts.x[0], strict=True) if solver.boolean_value(x)]


def _place(worker: Worker, opts: _Options, picks: list[int], demand: _Demand) -> list[np.ndarray]:
    """A whole week's picks placed at once (`_Demand.consume`); the queues each serves."""
    skills = list(worker.skills)
    if not skills:
        return []
    return [demand.consume(skills, int(opts.first[k]), int(opts.last[k])) for k in picks]


def _breaks_day_rules(problem: Problem, worker: Worker, picks: list[int]) -> bool:
    """True when the picked options break a rule of `labour` the greedy does not track."""
    kind_on = {worker.options[k].day: worker.options[k].kind for k in picks}
    past = worker.past
    worked = past.worked_flags() + [
        day in kind_on or (day == 0 and past.first_day_taken) for day in range(worker.n_days)
    ]
    fixed = past.count + int(past.first_day_taken)  # leading days the roster cannot change
    if _has_short_inner_run(worked, True, problem.min_consecutive_days, fixed):
        return True
    if _has_short_inner_run(worked, False, problem.min_consecutive_days_off, fixed):
        return True
    if problem.max_weekends is not None:
        weekends = sum(any(d in kind_on for d in days) for days in worker.weekends)
        if weekends > problem.max_weekends:
            return True
    limits = dict(problem.max_per_kind)
    picked = [worker.options[k] for k in picks]
    counts = Counter((problem.week_of(o.start), o.kind) for o in picked)  # limits are per week
    if any(kind in limits and n > limits[kind] for (_, kind), n in counts.items()):
        return True
    kind_on = {**_past_kinds(worker), **kind_on}
    return any(
        kind_on.get(day) == first and kind_on.get(day + 1) == following
        for first, following in problem.forbidden_successions
        for day in kind_on
    )


def _has_short_inner_run(worked: list[bool], value: bool, min_length: int, fixed: int) -> bool:
    """A run of `value` days shorter than `min_length` that touches neither end, and that
    the roster could still change: the run or the day after it lies beyond the `fixed`
    leading days."""
    start = 0
    for day in range(1, len(worked) + 1):
        if day == len(worked) or worked[day] != worked[start]:
            inner = start > 0 and day < len(worked)
            short = worked[start] == value and day - start < min_length
            if short and inner and day >= fixed:
                return True
            start = day
    return False


def _past_kinds(worker: Worker) -> dict[int, str | None]:
    """The kind of shift started on each worked past day (day 0 when already taken)."""
    return dict(worker.past.worked)


def _feasible(
    problem: Problem,
    worker: Worker,
    opts: _Options,
    picks: list[int],
    clash: np.ndarray,
    worked_days: set[int],
    week_minutes: np.ndarray,
) -> np.ndarray:
    ok = ~clash & (week_minutes[opts.week] + opts.minutes <= worker.max_minutes)
    ok &= _days_keeping_consecutive_limit(worked_days, worker.n_days, problem)[opts.day]
    return ok & _keeps_kind_and_weekend_limits(problem, worker, opts, picks)


def _keeps_kind_and_weekend_limits(
    problem: Problem, worker: Worker, opts: _Options, picks: list[int]
) -> np.ndarray:
    """Options that keep max_per_kind, forbidden successions and max_weekends next to the
    picks so far (the minimum runs are only checked on the finished week)."""
    ok = np.ones(len(opts.start), dtype=bool)
    kind_on = {int(opts.day[k]): opts.kind[k] for k in picks}
    counts = Counter((int(opts.week[k]), opts.kind[k]) for k in picks)
    for kind, most in problem.max_per_kind:
        for week in range(problem.n_weeks):
            if counts[week, kind] >= most:
                ok &= (opts.kind != kind) | (opts.week != week)
    for first, following in problem.forbidden_successions:
        for day, kind in {**_past_kinds(worker), **kind_on}.items():
            if kind == first:
                ok &= ~((opts.day == day + 1) & (opts.kind == following))
            if kind == following:
                ok &= ~((opts.day == day - 1) & (opts.kind == first))
    if problem.max_weekends is not None:
        worked = [days for days in worker.weekends if any(d in kind_on for d in days)]
        if len(worked) >= problem.max_weekends:
            closed = [d for days in worker.weekends if days not in worked for d in days]
            ok &= ~np.isin(opts.day, closed)
    return ok


def _days_keeping_consecutive_limit(worked: set[int], n_days: int, problem: Problem) -> np.ndarray:
    """Per day of the horizon: free, and workable without a run longer than
    max_consecutive_days (the worked days may include past ones, before day 0)."""
    first = min(0, min(worked, default=0))
    days = np.arange(first, n_days + 1)  # one day past the end, never worked
    on = np.isin(days, list(worked))
    run_to = _run_lengths(on)  # worked days in a row ending at each day
    run_from = _run_lengths(on[::-1])[::-1]  # ... starting at each day
    k = np.arange(-first, n_days - first)  # day 0 .. n_days - 1 in `days`
    before = np.where(k > 0, run_to[np.maximum(k - 1, 0)], 0)
    alone = before + 1 + run_from[k + 1]
    return ~on[k] & (alone <= problem.max_consecutive_days)


def _run_lengths(on: np.ndarray) -> np.ndarray:
    """For each position, how many True values in a row end there."""
    index = np.arange(len(on))
    last_off = np.maximum.accumulate(np.where(on, -1, index))
    return index - last_off


def _coverage_value(opts: _Options, skills: list[int], demand: _Demand) -> np.ndarray:
    """Value of each option: per interval, the best single agent-slot it can fill."""
    if not skills:
        return np.zeros(len(opts.start))
    best = demand.slot_values(skills).max(axis=0)
    prefix = np.concatenate([[0.0], np.cumsum(best)])
    return prefix[opts.last] - prefix[opts.first]
