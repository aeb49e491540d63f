"""The best queue assignment of a roster whose shifts are already chosen.

With the shifts fixed, which queue each agent on shift serves no longer links intervals:
the assignment falls apart into one small problem per interval. In each, the agents of a
skill group on shift go to queues the group is skilled for, and the k-th agent on a queue
is worth what it takes off that queue's shortage (its hundredths of the requirement still
missing, and the floor's weight while the queue is below its floor). Those worths shrink
as k grows, so a min-cost flow per interval finds the assignment the model's objective
prefers, exactly and in milliseconds; CP-SAT took 15 s for the same on a 15-minute week.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from roster.solver.problem import DEMAND_SCALE, Demand, Problem, ShiftOption

GroupCounts = dict[tuple[int, int], int]  # (group, interval) -> agents on shift


def group_on_shift(
    problem: Problem, groups: list[tuple[int, ...]], roster: dict[str, list[ShiftOption]]
) -> np.ndarray:
    """Agents of each skill group on shift in the roster, [group, interval], counted as
    the models count them (an option covers the intervals from its start's to its end's)."""
    step = problem.interval_minutes
    group_of = {skills: g for g, skills in enumerate(groups)}
    running = np.zeros((len(groups), problem.n_intervals + 1), dtype=np.int64)
    for worker in problem.workers:
        if worker.skills not in group_of:
            continue
        for option in roster.get(worker.id, []):
            running[group_of[worker.skills], option.start // step] += 1
            running[group_of[worker.skills], option.end // step] -= 1
    return np.cumsum(running[:, :-1], axis=1)


def best_service(
    problem: Problem, groups: list[tuple[int, ...]], on_shift: GroupCounts
) -> dict[tuple[int, int, int], int] | None:
    """Agents of each group serving each queue, (group, queue, interval) -> count, that
    leave the least shortage (floors first, as the objective weighs them). None when the
    weights are too large for the flow's 64-bit costs."""
    served: dict[tuple[int, int, int], int] = {}
    for i in range(problem.n_intervals):
        present = {g: on_shift.get((g, i), 0) for g in range(len(groups))}
        present = {g: n for g, n in present.items() if n > 0}
        if present:
            interval = _serve_interval(problem, groups, present, i)
            if interval is None:
                return None
            served.update(interval)
    return served


def _serve_interval(
    problem: Problem, groups: list[tuple[int, ...]], present: dict[int, int], i: int
) -> dict[tuple[int, int, int], int] | None:
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    queue_node = {q: 2 + q for q in range(len(problem.demands))}
    first_group = 2 + len(problem.demands)
    total = sum(present.values())
    arcs: dict[int, tuple[int, int]] = {}
    for g, count in present.items():
        node = first_group + g
        flow.add_arc_with_capacity_and_unit_cost(source, node, count, 0)
        for q in groups[g]:
            if problem.has_demand(q, i):
                arcs[flow.add_arc_with_capacity_and_unit_cost(node, queue_node[q], count, 0)] = (
                    g,
                    q,
                )
    for q, demand in enumerate(problem.demands):
        for worth in _worth_of_each_agent(demand, i, total):
            flow.add_arc_with_capacity_and_unit_cost(queue_node[q], sink, 1, -worth)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)  # agents left idle
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:  # only when costs overflow: every flow is feasible
        return None
    return {(g, q, i): int(flow.flow(arc)) for arc, (g, q) in arcs.items()}


def _worth_of_each_agent(demand: Demand, i: int, present: int) -> list[int]:
    """What the 1st, 2nd, ... agent on the queue takes off the objective; only agents
    worth something get an arc, the rest are better idle. No more than the `present`
    agents of the interval can be placed, so a huge requirement (53,000 agents) adds no
    arcs beyond them."""
    need, floor = int(demand.required[i]), int(demand.floor[i])
    worths = []
    for k in range(min(present, max(-(-need // DEMAND_SCALE), floor))):
        missing = min(max(need - DEMAND_SCALE * k, 0), DEMAND_SCALE)
        worths.append(demand.shortage_weight * missing + demand.floor_weight * (k < floor))
    return worths
