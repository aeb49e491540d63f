"""Improve a roster a window at a time: free some workers' shifts there, keep the rest.

CP-SAT's own neighbourhood search works on the whole model: every move copies and
presolves tens of thousands of variables (about 1.5 s on a 200-agent week), and its
neighbourhoods know nothing of workers or time. Here a neighbourhood is a group of workers
who share queues and a window of hours: every shift they could start in the window is on
offer, their shifts outside it stay, and the rest of the roster enters as constants (their
agents on shift, what they serve, their busiest night and weekend counts). The small model
that remains is solved in a fraction of a second, so many more moves fit in the time, and
each one can re-plan a stretch of the week among the workers who can stand in for each
other.

The small model is built from the same rule functions as the full one, and its objective
differs from the full objective only by a constant, so a move is kept exactly when the
whole roster gets cheaper.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from roster.solver import labour, rules
from roster.solver.problem import DEMAND_SCALE, Demand, Problem, ShiftOption, Worker
from roster.solver.service import group_on_shift
from roster.solver.shift_rules import add_shift_rules

# A neighbourhood frees the shifts that start within a window, for a worker and those who
# share a queue with it: a window of NARROW_WINDOW_MINUTES when enough such workers can
# start a shift in it to fill the neighbourhood, else of WINDOW_MINUTES. 30 s of moves
# from one 200-agent roster, seeds 0-3: 6 h 16.16-16.37 M, 12 h 16.34-16.47 M, 6 h widened
# to 12 h 16.18-16.38 M; 20 s from one 50-agent roster, seeds 0-2 (fewer workers per
# window): 6 h 4.18-4.30 M, 12 h 4.10-4.14 M, widened 4.10-4.12 M. (Earlier, with slower
# moves: 24 h windows 16.96 M against 16.47 M for 12 h; week-long moves alone 18.3 M.)
WINDOW_MINUTES = 12 * 60
NARROW_WINDOW_MINUTES = 6 * 60
FIRST_SIZE = 15  # workers per neighbourhood at first; adapted to how the moves go
SMALLEST_SIZE = 3
MOVE_DETERMINISTIC_SECONDS = 0.25  # each move's own limit on a 30- or 60-minute grid
# On a 15-minute grid a window holds twice the intervals, and a move's model twice the
# variables: it gets twice the limit. 60 deterministic seconds, three 15-minute weeks
# (60 agents seeds 4 and 8, 100 agents seed 1): 9.28 / 9.22 / 9.39 M against 9.56 / 9.48
# / 9.97 M; narrower windows instead (3 h narrow or 6 h wide, 60 agents seed 8): 9.92 and
# 9.82 M. On 30-minute weeks twice the limit showed no clear gain (200 agents, 60 s).
# Building a move's model in Python costs time CP-SAT's deterministic clock does not see
# (about 0.013 s per 1,000 variables at load 3); each move is charged for it at this rate
# per variable and constraint, so that a deterministic limit stays close to wall time
# even where the moves are tiny.
BUILD_CHARGE_SECONDS = 2e-5
# Every this many rounds, one move frees a few agents who could serve a short queue at a
# short interval over that interval's week: an agent at max_hours can only take those
# hours by giving up others elsewhere in the week, which no window move can do. The week
# rather than the whole horizon, 30 deterministic seconds: 4 weeks of 60 agents 42.83 M
# against 44.96 M, 12 weeks of 100 agents 154.2 M against 158.0 M (one week: the same).
SHORTAGE_EVERY = 4
SHORTAGE_MOVE_WORKERS = 3


@dataclass
class Incumbent:
    """The roster being improved, in the form the neighbourhoods read."""

    chosen: dict[str, list[ShiftOption]]
    groups: list[tuple[int, ...]]  # skill tuple per group, as rules.add_queue_assignment
    members: list[list[int]]  # worker indices per group
    on_shift: np.ndarray  # [group, interval] agents on shift
    served: dict[tuple[int, int], np.ndarray]  # (group, demand) -> agents serving, per interval
    objective: float


@dataclass
class _Move:
    hood: _Neighbourhood
    part: Problem  # the freed workers, with the options they may take
    model: cp_model.CpModel
    shifts: rules.ShiftVars
    served: dict[tuple[int, int, int], cp_model.IntVar]  # (group, demand, interval)


def incumbent_of(
    problem: Problem,
    chosen: dict[str, list[ShiftOption]],
    served: dict[tuple[int, int], np.ndarray],
    groups: list[tuple[int, ...]],
    objective: float,
) -> Incumbent:
    """The neighbourhood view of a solved roster (`Solution.chosen/served/groups`)."""
    index = {skills: g for g, skills in enumerate(groups)}
    members: list[list[int]] = [[] for _ in groups]
    for wi, worker in enumerate(problem.workers):
        if worker.skills:
            members[index[worker.skills]].append(wi)
    on_shift = group_on_shift(problem, groups, chosen)
    served = {key: np.array(row, dtype=np.int64) for key, row in served.items()}
    return Incumbent(dict(chosen), list(groups), members, on_shift, served, objective)


def improve(
    problem: Problem,
    incumbent: Incumbent,
    *,
    seed: int,
    out_of_time: Callable[[float], bool],
    on_improvement: Callable[[Incumbent], None] | None = None,
    threads: int = 1,
    threads_now: Callable[[], int] | None = None,
) -> Incumbent:
    """Moves until `out_of_time(deterministic seconds spent)` says stop, `threads` at a
    time on disjoint workers (or `threads_now()`, asked before each round, up to that).
    Each move is kept if it makes the roster cheaper; a later one of a round is checked
    again against the roster the earlier ones left."""
    rng = random.Random(seed)
    group_of = {wi: g for g, indices in enumerate(incumbent.members) for wi in indices}
    workforce = _Workforce(problem)
    size = FIRST_SIZE
    spent = 0.0
    rounds = 0
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        while not out_of_time(spent):
            count = threads if threads_now is None else min(threads, threads_now())
            hoods = _disjoint_neighbourhoods(problem, workforce, rng, size, count)
            if rounds % SHORTAGE_EVERY == SHORTAGE_EVERY - 1:
                hoods = _with_a_shortage_move(problem, incumbent, rng, hoods)
            rounds += 1
            if not hoods:  # no one can start a shift in these windows: try others
                spent += MOVE_DETERMINISTIC_SECONDS / 100
                continue
            # Each move is solved as soon as it is built, so the next one's build (Python)
            # overlaps its solve (CP-SAT, which leaves the interpreter free). All are built
            # from the roster as the round found it, as before.
            moves, solving = [], []
            for hood in hoods:
                moves.append(_build_move(problem, incumbent, hood, group_of, workforce))
                solving.append(pool.submit(_solve_before_and_after, moves[-1]))
            outcomes = [job.result() for job in solving]
            spent += max(
                _charge(move) + before.deterministic + after.deterministic
                for move, (before, after) in zip(moves, outcomes, strict=True)
            )
            changed = False
            for move, (before, after) in zip(moves, outcomes, strict=True):
                if changed and _improves(before, after):
                    move, (before, after) = _recheck(
                        problem, incumbent, move, after, group_of, workforce
                    )
                    spent += _charge(move) + before.deterministic + after.deterministic
                if _improves(before, after):
                    _apply(problem, incumbent, move, after, group_of)
                    # Whole units: the objective's terms all have integer weights.
                    incumbent.objective += round(after.objective - before.objective)
                    changed = True
                    if on_improvement is not None:
                        on_improvement(incumbent)
            optimal = all(after.optimal for _, after in outcomes)
            size = _next_size(size, optimal, len(problem.workers))
    return incumbent


def _charge(move: _Move) -> float:
    proto = move.model.proto
    return BUILD_CHARGE_SECONDS * (len(proto.variables) + len(proto.constraints))


def _solve_before_and_after(move: _Move) -> tuple[_Outcome, _Outcome]:
    """The move's objective for the incumbent's shifts, and at its best."""
    return _solve_move(move, fixed=True), _solve_move(move, fixed=False)


def _improves(before: _Outcome, after: _Outcome) -> bool:
    if before.objective is None or after.objective is None:
        return False
    return after.objective < before.objective


def _recheck(
    problem: Problem,
    incumbent: Incumbent,
    move: _Move,
    found: _Outcome,
    group_of: dict[int, int],
    workforce: _Workforce,
) -> tuple[_Move, tuple[_Outcome, _Outcome]]:
    """A move solved beside another that has since changed the roster, stated again on the
    roster as it is now: the incumbent's shifts, and the shifts it found."""
    again = _build_move(problem, incumbent, move.hood, group_of, workforce)
    before = _solve_move(again, fixed=True)
    for row, values in zip(again.shifts.x, found.x, strict=True):
        for var, value in zip(row, values, strict=True):
            again.model.add(var == int(value))
    return again, (before, _solve_move(again, fixed=False))


def _next_size(size: int, optimal: bool, most: int) -> int:
    """Grow neighbourhoods that are solved to optimality, shrink those that are not."""
    if optimal:
        return min(most, size + 1)
    return max(SMALLEST_SIZE, size - 1)


class _Workforce:
    """Who can stand in for whom (a queue in common), and when each worker can start."""

    def __init__(self, problem: Problem):
        by_queue: dict[int, list[int]] = defaultdict(list)
        for wi, worker in enumerate(problem.workers):
            for q in worker.skills:
                by_queue[q].append(wi)
        self.sharing = [
            sorted({other for q in worker.skills for other in by_queue[q]})
            for worker in problem.workers
        ]
        self.starts = [sorted(o.start for o in worker.options) for worker in problem.workers]
        self.option_starts = [
            np.array([o.start for o in worker.options], dtype=np.int64)
            for worker in problem.workers
        ]
        self.option_ends = [
            np.array([o.end for o in worker.options], dtype=np.int64) for worker in problem.workers
        ]

    def can_start(self, wi: int, first: int, end: int) -> bool:
        starts = self.starts[wi]
        k = bisect_left(starts, first)
        return k < len(starts) and starts[k] < end


def _disjoint_neighbourhoods(
    problem: Problem, workforce: _Workforce, rng: random.Random, size: int, count: int
) -> list[_Neighbourhood]:
    """`count` neighbourhoods at random windows, no worker in two of them."""
    hoods: list[_Neighbourhood] = []
    taken: set[int] = set()
    for _ in range(max(1, count)):
        first = rng.randrange(0, max(1, problem.horizon_minutes - WINDOW_MINUTES) + 1)
        first -= first % problem.interval_minutes
        hood = _neighbourhood_from(problem, workforce, rng, size, first, taken)
        if hood is not None:
            hoods.append(hood)
            taken.update(hood.workers)
    return hoods


def _neighbourhood_from(
    problem: Problem,
    workforce: _Workforce,
    rng: random.Random,
    size: int,
    first: int,
    taken: set[int],
) -> _Neighbourhood | None:
    """A worker (not taken) who can start a shift in a window from `first`, and up to
    `size - 1` others who can and share a queue with it (a worker with nothing to start
    there would only enlarge the model). The narrow window when it holds that many, else
    the wide one."""
    for width in (min(NARROW_WINDOW_MINUTES, WINDOW_MINUTES), WINDOW_MINUTES):
        end = first + width
        free = [
            wi
            for wi in range(len(problem.workers))
            if wi not in taken and workforce.can_start(wi, first, end)
        ]
        if not free:
            continue
        pivot = rng.choice(free)
        free_set = set(free)
        others = [wi for wi in workforce.sharing[pivot] if wi != pivot and wi in free_set]
        if len(others) >= size - 1 or width == WINDOW_MINUTES:
            workers = sorted([pivot, *rng.sample(others, min(size - 1, len(others)))])
            return _Neighbourhood(workers, first, end)
    return None


def _with_a_shortage_move(
    problem: Problem,
    incumbent: Incumbent,
    rng: random.Random,
    hoods: list[_Neighbourhood],
) -> list[_Neighbourhood]:
    """The round's first move replaced by one over the week of an interval where a queue
    is short, for a few agents who could serve it then (as it was, if none is short). The
    week, since max_hours binds per week: the hours to take on there can only come from
    the same week."""
    short = _short_cells(problem, incumbent)
    if not short:
        return hoods
    q, i = rng.choice(short)
    minute = i * problem.interval_minutes
    able = [
        wi
        for wi, worker in enumerate(problem.workers)
        if q in worker.skills and any(o.start <= minute < o.end for o in worker.options)
    ]
    if not able:
        return hoods
    workers = sorted(rng.sample(able, min(SHORTAGE_MOVE_WORKERS, len(able))))
    rest = [
        _Neighbourhood([wi for wi in h.workers if wi not in workers], h.first, h.end)
        for h in hoods[1:]
    ]
    week = problem.week_of(minute)
    first = problem.week_starts[week]
    end = problem.week_starts[week + 1] if week + 1 < problem.n_weeks else problem.horizon_minutes
    return [_Neighbourhood(workers, first, end), *[h for h in rest if h.workers]]


def _short_cells(problem: Problem, incumbent: Incumbent) -> list[tuple[int, int]]:
    """(demand, interval) where the incumbent serves fewer agents than required or than
    the floor."""
    cells = []
    for q, demand in enumerate(problem.demands):
        scheduled = np.zeros(problem.n_intervals, dtype=np.int64)
        for (_, served_q), row in incumbent.served.items():
            if served_q == q:
                scheduled += row
        missing = (demand.required > DEMAND_SCALE * scheduled) | (demand.floor > scheduled)
        cells += [(q, int(i)) for i in np.flatnonzero(missing)]
    return cells


@dataclass
class _Outcome:
    objective: float | None
    optimal: bool
    deterministic: float
    x: list[list[bool]]
    served: dict[tuple[int, int, int], int]


def move_limit(problem: Problem) -> float:
    """A move's deterministic limit (see MOVE_DETERMINISTIC_SECONDS)."""
    return MOVE_DETERMINISTIC_SECONDS * max(1.0, 30 / problem.interval_minutes)


def _solve_move(move: _Move, *, fixed: bool) -> _Outcome:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # Cuts from the full LP pay on these small models: 50-agent week, 20 s of moves from
    # the same roster: 4.42 M with them against 4.58 M with CP-SAT's default.
    solver.parameters.linearization_level = 2
    # One presolve pass and the whole LP from the start: 45 % more moves in the same
    # time, 20 s of moves from one 50-agent roster 4.10-4.14 M against 4.14-4.22 M over
    # three seeds (200 agents, 30 s: 16.37-16.48 M against 16.46-16.57 M over four);
    # either alone did not help.
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.add_lp_constraints_lazily = False
    solver.parameters.max_deterministic_time = move_limit(move.part)
    solver.parameters.fix_variables_to_their_hinted_value = fixed
    status = solver.solve(move.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Outcome(None, False, solver.deterministic_time, [], {})
    x = [[solver.boolean_value(var) for var in row] for row in move.shifts.x]
    served = {key: solver.value(var) for key, var in move.served.items()}
    optimal = status == cp_model.OPTIMAL
    return _Outcome(solver.objective_value, optimal, solver.deterministic_time, x, served)


def _apply(
    problem: Problem,
    incumbent: Incumbent,
    move: _Move,
    outcome: _Outcome,
    group_of: dict[int, int],
) -> None:
    for n, (wi, worker) in enumerate(zip(move.hood.workers, move.part.workers, strict=True)):
        old = incumbent.chosen.get(worker.id, [])
        new = [o for o, on in zip(worker.options, outcome.x[n], strict=True) if on]
        if worker.skills:
            g = group_of[wi]
            for option in old:
                incumbent.on_shift[g, _span(problem, option)] -= 1
            for option in new:
                incumbent.on_shift[g, _span(problem, option)] += 1
        incumbent.chosen[worker.id] = new
    for (g, q, i), value in outcome.served.items():
        row = incumbent.served.setdefault((g, q), np.zeros(problem.n_intervals, dtype=np.int64))
        row[i] = value


@dataclass(frozen=True)
class _Neighbourhood:
    """Workers freed over [first, end) (minutes: the shifts they start then); the shifts
    they work outside it stay as they are."""

    workers: list[int]
    first: int
    end: int

    def frees(self, option: ShiftOption) -> bool:
        return self.first <= option.start < self.end


def _build_move(
    problem: Problem,
    incumbent: Incumbent,
    hood: _Neighbourhood,
    group_of: dict[int, int],
    workforce: _Workforce,
) -> _Move:
    """The model of the freed workers, everyone else's roster held as constants."""
    model = cp_model.CpModel()
    part = replace(problem, workers=tuple(_freed(problem, incumbent, hood, workforce)))
    shifts = add_shift_rules(model, part)
    for n, worker in enumerate(part.workers):
        for k, option in enumerate(worker.options):
            if not hood.frees(option):
                model.add(shifts.x[n][k] == 1)  # worked, outside the neighbourhood
    touched = sorted({group_of[wi] for wi in hood.workers if wi in group_of})
    intervals = _intervals_reached(problem, part, hood)
    own_on = _freed_on_shift(problem, incumbent, hood, group_of)
    on_shift = _on_shift_terms(
        model, problem, part, shifts, incumbent, touched, own_on, hood, intervals
    )
    served, scheduled = _served_terms(model, problem, incumbent, touched, on_shift, intervals)
    coverage = rules.CoverageVars(incumbent.groups, on_shift, served, scheduled)
    queues = {q for g in touched for q in incumbent.groups[g]}
    within = replace(problem, demands=_only(problem.demands, queues, intervals))
    fixed_fairness = _fixed_busiest(problem, incumbent, set(hood.workers))
    penalties = [
        *rules.floor_shortage_terms(model, within, coverage),
        *rules.erlang_shortage_terms(model, within, coverage),
        *rules.cost_terms(part, shifts),
        *rules.preference_terms(part, shifts),
        *labour.request_terms(part, shifts),
        *rules.fairness_terms(model, part, shifts, fixed_fairness),
        *rules.overstaffing_terms(model, problem, coverage),
    ]
    model.minimize(sum(p.weight * p.expr for p in penalties))
    # Written into the proto in bulk: one add_hint call per variable took a tenth of the
    # build (2,300 calls a move on a 200-agent week).
    pairs = _hint(part, incumbent, shifts, served)
    model.proto.solution_hint.vars.extend(var.index for var, _ in pairs)
    model.proto.solution_hint.values.extend(value for _, value in pairs)
    return _Move(hood, part, model, shifts, served)


def _freed(
    problem: Problem, incumbent: Incumbent, hood: _Neighbourhood, workforce: _Workforce
) -> list[Worker]:
    """Each freed worker with the options it may take, in their order: those the
    neighbourhood frees and the shifts it works outside it (found with arrays: a worker
    of a long horizon has thousands of options)."""
    workers = []
    for wi in hood.workers:
        worker = problem.workers[wi]
        starts, ends = workforce.option_starts[wi], workforce.option_ends[wi]
        taken = (starts >= hood.first) & (starts < hood.end)
        for option in incumbent.chosen.get(worker.id, []):
            taken |= (starts == option.start) & (ends == option.end)
        options = tuple(worker.options[k] for k in np.flatnonzero(taken))
        workers.append(replace(worker, options=options))
    return workers


def _intervals_reached(problem: Problem, part: Problem, hood: _Neighbourhood) -> range:
    """The intervals a freed option can be on shift in: coverage elsewhere is constant."""
    step = problem.interval_minutes
    ends = [o.end for w in part.workers for o in w.options if hood.frees(o)]
    last = max(ends, default=hood.first)
    return range(hood.first // step, min(problem.n_intervals, -(-last // step)))


def _freed_on_shift(
    problem: Problem, incumbent: Incumbent, hood: _Neighbourhood, group_of: dict[int, int]
) -> dict[int, np.ndarray]:
    """Per touched group, its agents on shift in the incumbent's freed shifts."""
    own: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(problem.n_intervals, np.int64))
    for wi in hood.workers:
        if wi not in group_of:
            continue
        for option in incumbent.chosen.get(problem.workers[wi].id, []):
            if hood.frees(option):
                own[group_of[wi]][_span(problem, option)] += 1
    return own


def _on_shift_terms(
    model: cp_model.CpModel,
    problem: Problem,
    part: Problem,
    shifts: rules.ShiftVars,
    incumbent: Incumbent,
    touched: list[int],
    own_on: dict[int, np.ndarray],
    hood: _Neighbourhood,
    intervals: range,
) -> dict[tuple[int, int], rules.LinearExpr]:
    """Agents on shift per (group, interval reached): the kept shifts as a constant, plus
    the freed options' running count for the touched groups."""
    step = problem.interval_minutes
    on_shift: dict[tuple[int, int], rules.LinearExpr] = {}
    for g in range(len(incumbent.groups)):
        kept = incumbent.on_shift[g] - own_on[g] if g in own_on else incumbent.on_shift[g]
        if g not in touched:
            on_shift.update({(g, i): int(kept[i]) for i in intervals})
            continue
        starting: dict[int, list] = defaultdict(list)
        ending: dict[int, list] = defaultdict(list)
        size = 0
        for n, worker in enumerate(part.workers):
            if worker.skills != incumbent.groups[g]:
                continue
            size += 1
            for k, option in enumerate(worker.options):
                if hood.frees(option):
                    starting[option.start // step].append(shifts.x[n][k])
                    ending[option.end // step].append(shifts.x[n][k])
        freed = rules.running_count(model, starting, ending, intervals, size)
        on_shift.update({(g, i): freed[i] + int(kept[i]) for i in intervals})
    return on_shift


def _served_terms(
    model: cp_model.CpModel,
    problem: Problem,
    incumbent: Incumbent,
    touched: list[int],
    on_shift: dict[tuple[int, int], rules.LinearExpr],
    intervals: range,
) -> tuple[dict[tuple[int, int, int], cp_model.IntVar], dict[tuple[int, int], rules.LinearExpr]]:
    """Queue assignment of the touched groups as variables, the others' as constants."""
    served: dict[tuple[int, int, int], cp_model.IntVar] = {}
    scheduled: dict[tuple[int, int], list] = defaultdict(list)
    queues = {q for g in touched for q in incumbent.groups[g]}
    for g, skills in enumerate(incumbent.groups):
        mine = g in touched
        size = len(incumbent.members[g])
        for i in intervals:
            if not mine:
                for q in skills:
                    if q in queues and problem.has_demand(q, i):
                        scheduled[q, i].append(_served_value(incumbent, g, q, i))
                continue
            here = rules.assign_group(model, problem, g, skills, i, size, on_shift[g, i])
            served.update(here)
            for (_, q, _), var in here.items():
                scheduled[q, i].append(var)
    return served, {key: sum(terms) for key, terms in scheduled.items()}


def _only(demands: tuple[Demand, ...], queues: set[int], intervals: range) -> tuple[Demand, ...]:
    """The demands of `queues` over `intervals`, the rest emptied (constants here)."""
    inside = np.zeros(len(demands[0].required) if demands else 0, dtype=bool)
    inside[intervals.start : intervals.stop] = True
    return tuple(
        replace(d, required=np.where(inside, d.required, 0), floor=np.where(inside, d.floor, 0))
        if q in queues
        else replace(d, required=np.zeros_like(d.required), floor=np.zeros_like(d.floor))
        for q, d in enumerate(demands)
    )


def _fixed_busiest(
    problem: Problem, incumbent: Incumbent, chosen_workers: set[int]
) -> dict[tuple[str, str], int]:
    """Per fairness group with two workers or more: the busiest night and weekend counts
    among the workers left out of the move."""
    size: dict[str, int] = defaultdict(int)
    for worker in problem.workers:
        size[worker.fairness_group] += 1
    busiest: dict[tuple[str, str], int] = {}
    for wi, worker in enumerate(problem.workers):
        group = worker.fairness_group
        if size[group] < 2:
            continue
        for flag in ("night", "weekend"):
            busiest.setdefault((group, flag), 0)
            if wi in chosen_workers:
                continue
            count = sum(1 for o in incumbent.chosen.get(worker.id, []) if getattr(o, flag))
            busiest[group, flag] = max(busiest[group, flag], count)
    return busiest


def _hint(
    part: Problem,
    incumbent: Incumbent,
    shifts: rules.ShiftVars,
    served: dict[tuple[int, int, int], cp_model.IntVar],
) -> list[tuple[cp_model.IntVar, int]]:
    hint = []
    for n, worker in enumerate(part.workers):
        picked = set(incumbent.chosen.get(worker.id, []))
        options = zip(shifts.x[n], worker.options, strict=True)
        hint += [(var, int(o in picked)) for var, o in options]
        days = {o.day for o in picked}
        hint += [(var, int(d in days)) for d, var in enumerate(shifts.works_day[n])]
    for (g, q, i), var in served.items():
        hint.append((var, _served_value(incumbent, g, q, i)))
    return hint


def _served_value(incumbent: Incumbent, g: int, q: int, i: int) -> int:
    row = incumbent.served.get((g, q))
    return 0 if row is None else int(row[i])


def _span(problem: Problem, option: ShiftOption) -> slice:
    """The intervals the option is on shift in, as the models count them."""
    step = problem.interval_minutes
    return slice(option.start // step, option.end // step)
