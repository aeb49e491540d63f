"""Which queue each on-shift agent works in each interval.

The solver decides how many agents of each skill group serve each queue; this turns those
counts into named agents (keeping an agent on the same queue from one interval to the next
where it can), then lets agents left idle help the open queue that is furthest behind.
Every count written to roster.json therefore comes from one real assignment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from roster.model import QueueKey, Scenario
from roster.shift_options import Candidate


@dataclass
class Assignment:
    scheduled: dict[QueueKey, np.ndarray]  # agents serving each queue per interval
    main_queue: dict[tuple[str, datetime], str]  # (agent, shift start) -> queue label


def assign_queues(
    scenario: Scenario,
    shifts: list[Candidate],
    required: dict[QueueKey, np.ndarray],
    served: dict[tuple[int, int], np.ndarray],
    groups: list[tuple[int, ...]],
) -> Assignment:
    grid = scenario.grid
    keys = [q.key for q in scenario.queues]
    skills = {
        a.id: tuple(q for q, key in enumerate(keys) if a.can_serve(key)) for a in scenario.agents
    }
    group_of = {s: g for g, s in enumerate(groups)}
    on_shift = _agents_on_shift(scenario, shifts)
    scheduled = {key: np.zeros(grid.n_intervals, dtype=int) for key in keys}
    worked: dict[tuple[str, datetime], Counter] = defaultdict(Counter)
    previous: dict[str, int] = {}
    for i in range(grid.n_intervals):
        current: dict[str, int] = {}
        by_group: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        for agent_id, shift_start in on_shift[i]:
            if skills[agent_id]:
                by_group[group_of[skills[agent_id]]].append((agent_id, shift_start))
        for g, members in by_group.items():
            _fill_from_counts(members, groups[g], served, g, i, previous, current)
        _help_where_short(on_shift[i], skills, keys, required, scheduled, i, previous, current)
        for agent_id, shift_start in on_shift[i]:
            if agent_id in current:
                q = current[agent_id]
                scheduled[keys[q]][i] += 1
                worked[agent_id, shift_start][q] += 1
        previous = current
    labels = [q.label for q in scenario.queues]
    main_queue = {shift: labels[c.most_common(1)[0][0]] for shift, c in worked.items()}
    return Assignment(scheduled, main_queue)


def _agents_on_shift(
    scenario: Scenario, shifts: list[Candidate]
) -> list[list[tuple[str, datetime]]]:
    grid = scenario.grid
    on_shift: list[list[tuple[str, datetime]]] = [[] for _ in range(grid.n_intervals)]
    for c in sorted(shifts, key=lambda s: (s.agent_id, s.start)):
        first = grid.minutes_from_start(c.start) // grid.interval_minutes
        last = grid.minutes_from_start(c.end) // grid.interval_minutes
        for i in range(first, last):
            on_shift[i].append((c.agent_id, c.start))
    return on_shift


def _fill_from_counts(members, skills, served, g, i, previous, current) -> None:
    """Give each queue its solver count of this group's agents, continuing agents first."""
    free = [agent_id for agent_id, _ in members]
    for q in skills:
        want = int(served[g, q][i]) if (g, q) in served else 0
        if want <= 0:
            continue
        free.sort(key=lambda a: previous.get(a) != q)
        for agent_id in free[:want]:
            current[agent_id] = q
        free = free[want:]


def _help_where_short(
    on_shift_now, skills, keys, required, scheduled, i, previous, current
) -> None:
    """Agents the solver left idle join the open queue with the largest remaining gap."""
    load = Counter(current.values())
    for agent_id, _ in on_shift_now:
        if agent_id in current:
            continue
        open_queues = [q for q in skills[agent_id] if required[keys[q]][i] > 0]
        if not open_queues:
            continue
        best = max(
            open_queues,
            key=lambda q: (required[keys[q]][i] - load[q], previous.get(agent_id) == q),
        )
        current[agent_id] = best
        load[best] += 1
