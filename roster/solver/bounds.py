"""A lower bound on the objective that holds for every roster, cheap to compute.

CP-SAT's own bound comes from its LP relaxation, which on a large week may not be solved
within the time limit at all. This bound relaxes time instead: every agent-minute on shift
serves at most one queue, so summed over the week

    Erlang shortage >= required agent-minutes - worked agent-minutes of skilled workers,

and every worker is paid at least its cheapest rate for at least its minimum minutes. The
cheapest way to meet those two facts is to pay minimums, then fill the remaining demand
with the cheapest free minutes while that costs less than the shortage it removes.
"""

from __future__ import annotations

from roster.solver.problem import DEMAND_SCALE, Problem


def aggregate_lower_bound(problem: Problem) -> float:
    demand_minutes = sum(
        float(d.required.sum()) / DEMAND_SCALE * problem.interval_minutes for d in problem.demands
    )
    if problem.demands:
        shortage_per_minute = min(
            d.shortage_weight * DEMAND_SCALE / problem.interval_minutes for d in problem.demands
        )
    else:
        shortage_per_minute = 0.0
    paid = 0.0
    served = 0.0
    spare: list[tuple[float, float]] = []  # (cost per minute, minutes beyond the minimum)
    for worker in problem.workers:
        if not worker.options:
            continue
        rate = min(o.cost / o.minutes for o in worker.options)
        paid += rate * worker.min_minutes
        if worker.skills:
            served += worker.min_minutes
            longest_week = min(worker.max_minutes, _most_minutes_by_day(worker))
            spare.append((rate, max(0, longest_week - worker.min_minutes)))
    missing = max(0.0, demand_minutes - served)
    for rate, minutes in sorted(spare):
        if missing <= 0 or rate >= shortage_per_minute:
            break
        used = min(minutes, missing)
        paid += rate * used
        missing -= used
    return paid + missing * shortage_per_minute


def _most_minutes_by_day(worker) -> int:
    """At most one shift a day: the longest option of each day, summed."""
    longest: dict[int, int] = {}
    for o in worker.options:
        longest[o.day] = max(longest.get(o.day, 0), o.minutes)
    return sum(longest.values())
