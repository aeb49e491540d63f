"""A lower bound on the objective that holds for every roster, cheap to compute.

CP-SAT's own bound comes from its LP relaxation, which on a large week may not be solved
within the time limit at all. This bound keeps *when* and *what* each worker can serve but
forgets that shifts come in whole blocks: a min-cost flow sends whole agent-intervals from
each worker, through the local days and intervals its options reach, to the queues it is
skilled for, or else pays the queue's shortage weight. Flows of whole units stay whole, so
the bound knows that a requirement of 2.3 agents is met by 3 agents or costs 0.3 short.

Why it holds: a roster pays every worker at least its cheapest rate for every minute, at
least its minimum minutes; works at most one shift (so at most the longest option) per
local day; serves at most one queue per interval; and pays each queue's shortage weight
for every hundredth below the requirement. Each of those is an arc of the flow, so every
roster maps onto a flow that costs no more. Floors, preferences, fairness and
overstaffing cost nothing in the relaxation, which only lowers the bound.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from roster.solver.problem import DEMAND_SCALE, Problem, Worker

AGENT = 1  # flow units per agent-interval


class _Graph:
    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.capacities: list[int] = []
        self.costs: list[int] = []
        self.nodes = 0

    def node(self) -> int:
        self.nodes += 1
        return self.nodes - 1

    def arc(self, tail: int, head: int, capacity: int, cost: int = 0) -> None:
        if capacity > 0:
            self.tails.append(tail)
            self.heads.append(head)
            self.capacities.append(capacity)
            self.costs.append(cost)


def flow_lower_bound(problem: Problem) -> float:
    """Objective units (cents) that every roster of `problem` costs at least."""
    graph = _Graph()
    source, sink = graph.node(), graph.node()
    queue_nodes = {}
    total = 0
    for q, demand in enumerate(problem.demands):
        for i in map(int, demand.required.nonzero()[0]):
            whole, fraction = divmod(int(demand.required[i]), DEMAND_SCALE)
            agents = whole + (fraction > 0)
            node = queue_nodes[q, i] = graph.node()
            graph.arc(node, sink, agents)
            # Shortage: each whole agent missing, and the fraction of the last one.
            graph.arc(source, node, whole, demand.shortage_weight * DEMAND_SCALE)
            graph.arc(source, node, int(fraction > 0), demand.shortage_weight * fraction)
            total += agents
    upfront = 0.0
    for worker in problem.workers:
        if worker.options and worker.skills:
            upfront += _add_worker(graph, problem, worker, source, queue_nodes)
        elif worker.options:
            upfront += _cheapest_rate(worker) * worker.min_minutes * problem.n_weeks
    if total == 0:
        return upfront
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.array(graph.tails),
        np.array(graph.heads),
        np.array(graph.capacities),
        np.array(graph.costs),
    )
    supplies = np.zeros(graph.nodes, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    solver.set_nodes_supplies(np.arange(graph.nodes), supplies)
    if solver.solve() != solver.OPTIMAL:
        return upfront
    return upfront + solver.optimal_cost() / AGENT


def _add_worker(graph: _Graph, problem: Problem, worker: Worker, source: int, queues) -> float:
    """Arcs for one worker; returns what its minimum minutes cost in any case."""
    step = problem.interval_minutes
    rate = _cheapest_rate(worker)
    per_interval = math.floor(rate * step)  # rounded down: the bound stays a bound
    me = graph.node()
    # Hour limits hold per week; the bound only needs the horizon totals they imply.
    weeks = problem.n_weeks
    minimum = worker.min_minutes * weeks // step * AGENT
    graph.arc(source, me, minimum, 0)  # paid up front
    graph.arc(source, me, worker.max_minutes * weeks // step * AGENT - minimum, per_interval)
    longest: dict[int, int] = defaultdict(int)
    days_reaching: dict[int, set[int]] = defaultdict(set)
    for o in worker.options:
        longest[o.day] = max(longest[o.day], o.minutes)
        for i in range(o.start // step, o.end // step):
            days_reaching[i].add(o.day)
    day_nodes = {}
    for day, minutes in longest.items():
        day_nodes[day] = graph.node()
        graph.arc(me, day_nodes[day], minutes // step * AGENT)
    for i, days in days_reaching.items():
        wanting = [queues[q, i] for q in worker.skills if (q, i) in queues]
        if wanting:
            _add_interval(graph, [day_nodes[day] for day in days], wanting)
    return rate * worker.min_minutes * weeks


def _add_interval(graph: _Graph, days: list[int], wanting: list[int]) -> None:
    """One agent-interval at most, from the days whose shifts reach it to the queues that
    want someone then. A node of its own (split in two, so that at most one unit passes)
    only where several days meet several queues: elsewhere the single arc in or out
    already carries at most one, and half as many nodes make the flow faster."""
    if len(days) == 1 and len(wanting) == 1:
        graph.arc(days[0], wanting[0], AGENT)
        return
    node = graph.node()
    for day in days:
        graph.arc(day, node, AGENT)
    if len(days) > 1 and len(wanting) > 1:
        node_out = graph.node()
        graph.arc(node, node_out, AGENT)
        node = node_out
    for queue in wanting:
        graph.arc(node, queue, AGENT)


def _cheapest_rate(worker: Worker) -> float:
    return min(o.cost / o.minutes for o in worker.options)
