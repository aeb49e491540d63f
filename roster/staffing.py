"""Required staff per interval and queue, exactly as the contract's "Required staff" defines it.

For every interval and queue: `lambda` arrivals, offered load `A = lambda x aht / interval`,
`N` = the fewest agents (N > A) that meet the service-level target and the occupancy cap,
and `required = max(min_agents, N / (1 - shrinkage))` while the queue is open, else 0.
`required` stays a decimal: rounding it up per interval would inflate small queues.

Erlang C is derived from the Erlang B recursion `B(n) = A B(n-1) / (n + A B(n-1))`, which
never forms `A^N` or `N!`; past a thousand agents its start comes from the Poisson form of
Erlang B instead, so that even the largest loads the loader accepts take milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

import numpy as np
from scipy.special import gammaincc

from roster.model import OpenHours, Queue, QueueKey, Scenario

# Loads equal to this many decimals share one memoised answer: far finer than any
# forecast, and 0.1 + 0.2 and 0.3 then hit the same cache entry.
LOAD_DECIMALS = 9
# The Erlang B recursion runs from one server up to this many; beyond, the closed form
# (`_erlang_b_from_poisson`) starts the walk, so that a queue needing tens of thousands of
# agents is staffed in milliseconds per distinct load rather than seconds.
RECURSION_UP_TO = 1_000
# Slack for comparisons that are exact on paper but not in binary floating point:
# 10 agents x (1 - 0.9) is 1 effective agent, not 0.9999999999999998 -> 0.
EPSILON = 1e-9


# --- Erlang maths -------------------------------------------------------------------------


def erlang_b(agents: int, load_erlangs: float) -> float:
    """Erlang B blocking probability of `agents` servers offered `load_erlangs`."""
    if agents > RECURSION_UP_TO and load_erlangs > 0:
        return _erlang_b_from_poisson(agents, load_erlangs)
    blocking = 1.0
    for servers in range(1, agents + 1):
        blocking = _next_erlang_b(blocking, servers, load_erlangs)
    return blocking


def _erlang_b_from_poisson(agents: int, load: float) -> float:
    """B(N, A) = P(X = N) / P(X <= N) for X ~ Poisson(A): the same number as the recursion
    in a constant number of steps, the probability in log space so that A^N / N! never
    overflows, the tail from the regularised incomplete gamma function."""
    log_point = agents * math.log(load) - load - math.lgamma(agents + 1)
    return math.exp(log_point) / float(gammaincc(agents + 1, load))


def erlang_c(agents: int, load_erlangs: float) -> float:
    """Erlang C probability that an arrival waits; 1.0 when `agents <= load_erlangs`."""
    if load_erlangs < 0:
        raise ValueError(f"load must be >= 0 Erlangs, got {load_erlangs}")
    if agents <= load_erlangs:
        return 1.0
    return _erlang_c_from_b(agents, load_erlangs, erlang_b(agents, load_erlangs))


def service_level(
    agents: int, load_erlangs: float, answer_seconds: float, aht_seconds: float
) -> float:
    """Share of arrivals answered within `answer_seconds`: 1 - C(N, A) e^(-(N-A) t / aht).

    0 when `agents <= load_erlangs`: such a queue grows without bound.
    """
    if agents <= load_erlangs:
        return 0.0
    wait = erlang_c(agents, load_erlangs)
    return _service_level_from_c(wait, agents, load_erlangs, answer_seconds, aht_seconds)


def agents_needed(
    load_erlangs: float,
    service_level_target: float,
    answer_seconds: float,
    aht_seconds: float,
    max_occupancy: float,
) -> int:
    """Contract step 3: the smallest `N > A` with `SL(N) >= target` and `A / N <= max_occupancy`.

    0 when the load is 0. Memoised on the rounded load and the queue parameters, because
    the intervals of a week share few distinct loads.
    """
    if not 0 <= service_level_target <= 1:
        raise ValueError(f"service level target must be in [0, 1], got {service_level_target}")
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"max occupancy must be in (0, 1], got {max_occupancy}")
    if aht_seconds <= 0:
        raise ValueError(f"aht_seconds must be > 0, got {aht_seconds}")
    if load_erlangs <= 0:
        return 0
    return _agents_needed_memo(
        round(float(load_erlangs), LOAD_DECIMALS),
        float(service_level_target),
        float(answer_seconds),
        float(aht_seconds),
        float(max_occupancy),
    )


@lru_cache(maxsize=65536)
def _agents_needed_memo(
    load: float, target: float, answer_seconds: float, aht_seconds: float, max_occupancy: float
) -> int:
    # Walk up from the fewest agents the occupancy cap allows, extending the Erlang B
    # recursion one server at a time: O(N) in total rather than O(N) per candidate.
    agents = _fewest_agents_within_occupancy(load, max_occupancy)
    blocking = erlang_b(agents, load)
    while True:
        wait = _erlang_c_from_b(agents, load, blocking)
        if (
            _service_level_from_c(wait, agents, load, answer_seconds, aht_seconds)
            >= target - EPSILON
        ):
            return agents
        agents += 1
        blocking = _next_erlang_b(blocking, agents, load)


def _fewest_agents_within_occupancy(load: float, max_occupancy: float) -> int:
    """Smallest integer N > load with load / N <= max_occupancy."""
    above_load = math.floor(load) + 1
    within_cap = math.ceil(load / max_occupancy - EPSILON)
    return max(above_load, within_cap)


def _next_erlang_b(previous: float, servers: int, load: float) -> float:
    return load * previous / (servers + load * previous)


def _erlang_c_from_b(agents: int, load: float, blocking: float) -> float:
    return agents * blocking / (agents - load * (1.0 - blocking))


def _service_level_from_c(
    wait: float, agents: int, load: float, answer_seconds: float, aht_seconds: float
) -> float:
    return 1.0 - wait * math.exp(-(agents - load) * answer_seconds / aht_seconds)


# --- Per interval and queue ---------------------------------------------------------------


def offered_load_erlangs(
    arrivals_per_interval: np.ndarray, aht_seconds: float, interval_minutes: int
) -> np.ndarray:
    """Contract step 2: `A = lambda x aht_seconds / (interval_minutes x 60)`, per interval."""
    return np.asarray(arrivals_per_interval, dtype=float) * aht_seconds / (interval_minutes * 60)


def arrivals(scenario: Scenario) -> dict[QueueKey, np.ndarray]:
    """Contract step 1: arrivals per interval of `scenario.grid` for every queue.

    A queue's own forecast rows win; an L2 queue whose language has no L2 rows gets
    `escalation_rate x` the L1 arrivals of that language; anything else has no arrivals.
    """
    n_intervals = scenario.grid.n_intervals
    return {
        queue.key: queue_arrivals(
            scenario.forecast, scenario.staffing.escalation_rate, queue.key, n_intervals
        )
        for queue in scenario.queues
    }


def queue_arrivals(
    forecast: Mapping[QueueKey, np.ndarray], escalation_rate: float, key: QueueKey, n_intervals: int
) -> np.ndarray:
    """Contract step 1 for one queue, from the forecast's arrivals per (language, tier)."""
    language, tier = key
    l1_rows = forecast.get((language, "L1"))
    if key in forecast:
        series = np.asarray(forecast[key], dtype=float)
    elif tier == "L2" and l1_rows is not None:
        series = escalation_rate * np.asarray(l1_rows, dtype=float)
    else:
        series = np.zeros(n_intervals)
    if series.shape != (n_intervals,):
        raise ValueError(
            f"forecast for {language}-{tier} has {series.size} intervals, "
            f"the week has {n_intervals}"
        )
    return series


def agents_needed_per_interval(
    loads_erlangs: np.ndarray, queue: Queue, max_occupancy: float
) -> np.ndarray:
    """Contract step 3 for every interval, computed once per distinct load."""
    distinct, position = np.unique(np.asarray(loads_erlangs, dtype=float), return_inverse=True)
    needed = [
        agents_needed(
            load, queue.service_level, queue.answer_seconds, queue.aht_seconds, max_occupancy
        )
        for load in distinct
    ]
    return np.asarray(needed, dtype=int)[position]


def required_agents(scenario: Scenario) -> dict[QueueKey, np.ndarray]:
    """Contract step 4: decimal agents on shift per interval of `scenario.grid`, per queue."""
    starts = scenario.grid.interval_starts()
    lambdas = arrivals(scenario)
    open_masks: dict[OpenHours, np.ndarray] = {}
    required: dict[QueueKey, np.ndarray] = {}
    for queue in scenario.queues:
        if queue.open_hours not in open_masks:
            open_masks[queue.open_hours] = open_mask(queue.open_hours, starts)
        loads = offered_load_erlangs(
            lambdas[queue.key], queue.aht_seconds, scenario.interval_minutes
        )
        needed = agents_needed_per_interval(loads, queue, scenario.staffing.max_occupancy)
        on_shift = np.maximum(float(queue.min_agents), needed / (1.0 - scenario.staffing.shrinkage))
        required[queue.key] = np.where(open_masks[queue.open_hours], on_shift, 0.0)
    return required


def open_mask(open_hours: OpenHours, interval_starts: list[datetime]) -> np.ndarray:
    """True for each interval whose start falls inside the queue's open hours."""
    if open_hours.always:
        return np.ones(len(interval_starts), dtype=bool)
    return np.array([open_hours.is_open(start) for start in interval_starts], dtype=bool)


# --- What a roster achieves ---------------------------------------------------------------


def predicted_service_level(
    queue: Queue,
    arrivals_per_interval: np.ndarray,
    scheduled: np.ndarray,
    interval_minutes: int,
    shrinkage: float,
) -> float | None:
    """Ticket-weighted share of the week's arrivals answered within `answer_seconds`.

    `scheduled` agents are on the queue per interval; shrinkage removes paid time, so
    `floor(scheduled x (1 - shrinkage))` of them take tickets. An interval where those
    are no more than the load answers nothing in time. None when nothing arrives all week.
    """
    lambdas = np.asarray(arrivals_per_interval, dtype=float)
    on_queue = np.asarray(scheduled, dtype=float)
    if lambdas.shape != on_queue.shape:
        raise ValueError(
            f"arrivals cover {lambdas.size} intervals but scheduled covers {on_queue.size}"
        )
    total = float(lambdas.sum())
    if total <= 0:
        return None
    loads = offered_load_erlangs(lambdas, queue.aht_seconds, interval_minutes)
    effective = np.floor(on_queue * (1.0 - shrinkage) + EPSILON).astype(int)
    answered = 0.0
    for tickets, load, agents in zip(lambdas, loads, effective, strict=True):
        if tickets > 0:
            level = _service_level_memo(
                int(agents),
                round(float(load), LOAD_DECIMALS),
                float(queue.answer_seconds),
                float(queue.aht_seconds),
            )
            answered += float(tickets) * level
    return answered / total


@lru_cache(maxsize=65536)
def _service_level_memo(
    agents: int, load: float, answer_seconds: float, aht_seconds: float
) -> float:
    return service_level(agents, load, answer_seconds, aht_seconds)
