"""What a roster achieves: coverage, service level, shortage and why, hours and cost.

Computed from the scenario and the roster document alone, so the CLI, the API and the
pages report the same figures for a roster however it was made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import numpy as np

from roster.model import REQUEST_OFF, REQUEST_ON, Agent, QueueKey, Request, Scenario
from roster.result import Roster, score_number
from roster.shift_options import candidate_shifts
from roster.solver.problem import relative_gap
from roster.staffing import arrivals, open_mask, predicted_service_level, required_agents
from roster.timegrid import TimeGrid, iso, local_datetime

SHORTAGE_EPSILON = 0.005  # agents; below this a gap is rounding, not a shortage
REQUESTS_SHOWN = 40  # requests listed one per line in summary.txt


@dataclass
class ShortPeriod:
    start: datetime
    end: datetime
    shortage_agent_hours: float
    reason: str

    def to_json(self) -> dict:
        return {
            "start": iso(self.start),
            "end": iso(self.end),
            "shortage_agent_hours": round(self.shortage_agent_hours, 2),
            "reason": self.reason,
        }


@dataclass
class QueueSummary:
    queue: str
    required_agent_hours: float
    scheduled_agent_hours: float
    covered_agent_hours: float
    shortage_agent_hours: float
    coverage_pct: float
    service_level_target: float
    predicted_service_level: float | None
    short_periods: list[ShortPeriod] = field(default_factory=list)

    def to_json(self) -> dict:
        doc = {k: v for k, v in asdict(self).items() if k != "short_periods"}
        for key, value in doc.items():
            if isinstance(value, float):
                doc[key] = round(value, 4)
        doc["short_periods"] = [p.to_json() for p in self.short_periods]
        return doc


@dataclass
class AgentSummary:
    agent_id: str
    name: str
    shifts: int
    hours: float
    cost: float
    min_hours: float  # per week of the horizon, as max_hours
    max_hours: float
    week_hours: list[float] = field(default_factory=list)  # hours in each week of the horizon


@dataclass
class RequestOutcome:
    """One line of requests.csv and whether the roster grants it."""

    agent_id: str
    date: date  # the agent's local date
    kind: str
    weight: float
    granted: bool

    def to_json(self) -> dict:
        return {
            "agent_id": self.agent_id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "weight": self.weight,
            "granted": self.granted,
        }


@dataclass
class RosterSummary:
    status: str
    objective: float
    bound: float
    gap: float
    solve_seconds: float
    coverage_pct: float
    shortage_agent_hours: float
    total_hours: float
    total_cost: float
    queues: list[QueueSummary]
    agents: list[AgentSummary]
    objective_terms: dict[str, float]
    requests: list[RequestOutcome] = field(default_factory=list)
    bound_source: str = ""  # what proved the bound, when the roster says so

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "objective": score_number(self.objective),
            "bound": score_number(self.bound),
            "bound_source": self.bound_source,
            "gap": round(self.gap, 6),
            "solve_seconds": round(self.solve_seconds, 3),
            "coverage_pct": round(self.coverage_pct, 4),
            "shortage_agent_hours": round(self.shortage_agent_hours, 2),
            "total_hours": round(self.total_hours, 2),
            "total_cost": round(self.total_cost, 2),
            "queues": [q.to_json() for q in self.queues],
            "agents": [asdict(a) for a in self.agents],
            "objective_terms": self.objective_terms,
            "requests": [r.to_json() for r in self.requests],
        }


def summarize(scenario: Scenario, roster: Roster) -> RosterSummary:
    scheduled = scheduled_per_queue(scenario, roster)
    required = required_agents(scenario)
    lam = arrivals(scenario)
    reach = _Reach(scenario)
    queues = [
        _queue_summary(scenario, roster, q.key, required[q.key], scheduled, lam[q.key], reach)
        for q in scenario.queues
    ]
    agents = _agent_summaries(scenario, roster)
    required_total = sum(q.required_agent_hours for q in queues)
    covered_total = sum(q.covered_agent_hours for q in queues)
    return RosterSummary(
        status=roster.status,
        objective=roster.objective,
        bound=roster.bound,
        bound_source=str(roster.extra.get("bound_source") or ""),
        gap=relative_gap(roster.objective, roster.bound),
        solve_seconds=roster.solve_seconds,
        coverage_pct=100.0 * covered_total / required_total if required_total else 100.0,
        shortage_agent_hours=sum(q.shortage_agent_hours for q in queues),
        total_hours=sum(a.hours for a in agents),
        total_cost=sum(a.cost for a in agents),
        queues=queues,
        agents=agents,
        objective_terms=dict(roster.extra.get("objective_terms", {})),
        requests=request_outcomes(scenario, roster),
    )


def request_outcomes(scenario: Scenario, roster: Roster) -> list[RequestOutcome]:
    """Each request with its verdict: `off` is granted when no shift starts on the agent's
    local date, `on` when one does, a shift kind when a shift of that kind starts then."""
    kinds_by_day: dict[tuple[str, date], list[str | None]] = {}
    for shift in roster.shifts:
        agent = scenario.agents_by_id.get(shift.agent_id)
        if agent is None:
            continue
        local_start = local_datetime(shift.start, agent.timezone)
        key = (agent.id, local_start.date())
        kinds_by_day.setdefault(key, []).append(scenario.rules.kind_at(local_start))
    return [
        RequestOutcome(
            r.agent_id, r.day, r.kind, r.weight, _granted(r, kinds_by_day.get((r.agent_id, r.day)))
        )
        for r in scenario.requests
    ]


def _granted(request: Request, kinds: list[str | None] | None) -> bool:
    if request.kind == REQUEST_OFF:
        return not kinds
    if request.kind == REQUEST_ON:
        return bool(kinds)
    return request.kind in (kinds or [])


def scheduled_per_queue(scenario: Scenario, roster: Roster) -> dict[QueueKey, np.ndarray]:
    grid = scenario.grid
    scheduled = {q.key: np.zeros(grid.n_intervals, dtype=int) for q in scenario.queues}
    for row in roster.coverage:
        index = grid.index_of(row.start)
        key = (row.language, row.tier)
        if index is not None and key in scheduled:
            scheduled[key][index] = row.scheduled
    return scheduled


def _queue_summary(
    scenario: Scenario,
    roster: Roster,
    key: QueueKey,
    required: np.ndarray,
    scheduled_per_key: dict[QueueKey, np.ndarray],
    queue_arrivals: np.ndarray,
    reach: _Reach,
) -> QueueSummary:
    queue = scenario.queue(key)
    scheduled = scheduled_per_key[key]
    hours = scenario.interval_minutes / 60
    covered = np.minimum(required, scheduled)
    shortage = np.maximum(0.0, required - scheduled)
    required_hours = float(required.sum() * hours)
    return QueueSummary(
        queue=queue.label,
        required_agent_hours=required_hours,
        scheduled_agent_hours=float(scheduled.sum() * hours),
        covered_agent_hours=float(covered.sum() * hours),
        shortage_agent_hours=float(shortage.sum() * hours),
        coverage_pct=100.0 * float(covered.sum() * hours) / required_hours
        if required_hours
        else 100.0,
        service_level_target=queue.service_level,
        # The SLA holds while the queue is open: tickets that arrive while it is closed
        # wait for it to open whatever the roster does, so they are left out.
        predicted_service_level=predicted_service_level(
            queue,
            queue_arrivals * open_mask(queue.open_hours, scenario.grid.interval_starts()),
            scheduled,
            scenario.interval_minutes,
            scenario.staffing.shrinkage,
        ),
        short_periods=_short_periods(scenario, roster, key, shortage, scheduled_per_key, reach),
    )


def _short_periods(
    scenario: Scenario,
    roster: Roster,
    key: QueueKey,
    shortage: np.ndarray,
    scheduled: dict[QueueKey, np.ndarray],
    reach: _Reach,
) -> list[ShortPeriod]:
    """Runs of intervals short of staff that share one reason."""
    short = shortage > SHORTAGE_EPSILON
    if not short.any():
        return []
    why = _ShortageReasons(scenario, roster, key, scheduled, reach)
    grid = scenario.grid
    hours = scenario.interval_minutes / 60
    periods: list[ShortPeriod] = []
    for i in map(int, np.flatnonzero(short)):
        reason = why.at(i)
        last = periods[-1] if periods else None
        if last and last.end == grid.interval_start(i) and last.reason == reason:
            last.end = grid.interval_start(i + 1)
            last.shortage_agent_hours += float(shortage[i]) * hours
        else:
            periods.append(
                ShortPeriod(
                    grid.interval_start(i),
                    grid.interval_start(i + 1),
                    float(shortage[i]) * hours,
                    reason,
                )
            )
    return periods


class _Reach:
    """Per agent, the intervals some allowed shift of theirs could cover; made once per
    agent on first use, since every short queue asks about the same agents."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._masks: dict[str, np.ndarray] = {}

    def __call__(self, agent: Agent) -> np.ndarray:
        if agent.id not in self._masks:
            grid = self.scenario.grid
            mask = np.zeros(grid.n_intervals, dtype=bool)
            for c in candidate_shifts(self.scenario, agent):
                mask[_span(grid, c.start, c.end)] = True
            self._masks[agent.id] = mask
        return self._masks[agent.id]


def _span(grid: TimeGrid, start: datetime, end: datetime) -> slice:
    step = grid.interval_minutes
    return slice(grid.minutes_from_start(start) // step, grid.minutes_from_start(end) // step)


class _ShortageReasons:
    """Explains a shortage in one interval of one queue from who could have been there."""

    def __init__(
        self,
        scenario: Scenario,
        roster: Roster,
        key: QueueKey,
        scheduled: dict[QueueKey, np.ndarray],
        reach: _Reach,
    ) -> None:
        grid = scenario.grid
        self.scenario = scenario
        self.key = key
        self.scheduled = scheduled
        self.qualified = [a for a in scenario.agents if a.can_serve(key)]
        self.could_work = np.zeros((len(self.qualified), grid.n_intervals), dtype=bool)
        self.on_shift = np.zeros_like(self.could_work)
        # Hour limits hold per week of the horizon; a shift counts in the week it starts in.
        hours = {a.id: [0.0] * scenario.weeks for a in scenario.agents}
        for shift in roster.shifts:
            week_hours = hours.setdefault(shift.agent_id, [0.0] * scenario.weeks)
            week_hours[scenario.week_of(shift.start)] += shift.hours
        shortest = min(scenario.rules.shift_hours)
        self.at_max = np.array(
            [[h + shortest > a.max_hours + 1e-9 for h in hours[a.id]] for a in self.qualified],
            dtype=bool,
        ).reshape(len(self.qualified), scenario.weeks)
        row_of = {agent.id: row for row, agent in enumerate(self.qualified)}
        for row, agent in enumerate(self.qualified):
            self.could_work[row] = reach(agent)
        for shift in roster.shifts:
            if shift.agent_id in row_of:
                self.on_shift[row_of[shift.agent_id], _span(grid, shift.start, shift.end)] = True

    def at(self, i: int) -> str:
        if not self.qualified:
            return self._nobody_can_serve()
        available = self.could_work[:, i]
        if not available.any():
            return "no qualified agent can work then (availability windows, time off)"
        if self.on_shift[:, i].any() and not (available & ~self.on_shift[:, i]).any():
            elsewhere = " (some serve other queues)" if self._some_serve_elsewhere(i) else ""
            return f"every qualified agent who can work then is on shift{elsewhere}"
        free = available & ~self.on_shift[:, i]
        week = self.scenario.week_of(self.scenario.grid.interval_start(i))
        maxed = sum(1 for row in np.flatnonzero(free) if self.at_max[row, week])
        if maxed == int(free.sum()):
            if maxed == 1:
                return "not enough hours: the one qualified agent free then is at max_hours"
            return f"not enough hours: the {maxed} qualified agents free then are at max_hours"
        return (
            "not enough hours: qualified agents free then are held by rest, one-shift-per-day "
            "or consecutive-day rules, or their hours are needed at busier times"
        )

    def _nobody_can_serve(self) -> str:
        language, tier = self.key
        label = f"{language}-{tier}"
        if not any(language in a.languages for a in self.scenario.agents):
            return f"no agent can serve {label}: no agent speaks {language}"
        return f"no agent can serve {label}: every agent who speaks {language} is below {tier}"

    def _some_serve_elsewhere(self, i: int) -> bool:
        """Some qualified agent on shift is not counted on this queue, and a queue it could
        serve instead counts agents then: it is (as far as the counts tell) serving there."""
        on_shift = [a for row, a in enumerate(self.qualified) if self.on_shift[row, i]]
        if len(on_shift) <= int(self.scheduled[self.key][i]):
            return False
        return any(
            key != self.key and counts[i] > 0 and any(a.can_serve(key) for a in on_shift)
            for key, counts in self.scheduled.items()
        )


def _agent_summaries(scenario: Scenario, roster: Roster) -> list[AgentSummary]:
    per_agent: dict[str, list[float]] = {a.id: [] for a in scenario.agents}
    per_week = {a.id: [0.0] * scenario.weeks for a in scenario.agents}
    for shift in roster.shifts:
        per_agent.setdefault(shift.agent_id, []).append(shift.hours)
        if shift.agent_id in per_week:
            per_week[shift.agent_id][scenario.week_of(shift.start)] += shift.hours
    summaries = []
    for agent in scenario.agents:
        hours = sum(per_agent[agent.id])
        summaries.append(
            AgentSummary(
                agent_id=agent.id,
                name=agent.name,
                shifts=len(per_agent[agent.id]),
                hours=hours,
                cost=hours * agent.hourly_cost,
                min_hours=agent.min_hours,
                max_hours=agent.max_hours,
                week_hours=per_week[agent.id],
            )
        )
    return summaries


def format_summary(summary: RosterSummary, show_agents: bool = True) -> str:
    source = f" (from {summary.bound_source})" if summary.bound_source else ""
    lines = [
        f"status {summary.status}   objective {summary.objective:,.0f}   bound {summary.bound:,.0f}"
        f"{source}   gap {summary.gap:.2%}   solved in {summary.solve_seconds:.1f} s",
        f"coverage {summary.coverage_pct:.1f} %   shortage {summary.shortage_agent_hours:.1f} "
        f"agent-hours   {summary.total_hours:.1f} h paid   cost {summary.total_cost:,.2f}",
        "",
        f"{'queue':<8} {'required h':>10} {'scheduled h':>11} {'coverage':>9} {'short h':>8} "
        f"{'SL target':>9} {'SL predicted':>12}",
    ]
    for q in summary.queues:
        predicted = "-" if q.predicted_service_level is None else f"{q.predicted_service_level:.1%}"
        lines.append(
            f"{q.queue:<8} {q.required_agent_hours:>10.1f} {q.scheduled_agent_hours:>11.1f} "
            f"{q.coverage_pct:>8.1f}% {q.shortage_agent_hours:>8.1f} "
            f"{q.service_level_target:>9.0%} {predicted:>12}"
        )
    short = [(q.queue, p) for q in summary.queues for p in q.short_periods]
    if short:
        lines += ["", "where queues are short, and why:"]
        for label, p in short[:40]:
            lines.append(
                f"  {label:<8} {iso(p.start)} .. {iso(p.end)}  "
                f"{p.shortage_agent_hours:5.1f} agent-h  {p.reason}"
            )
        if len(short) > 40:
            lines.append(f"  ... and {len(short) - 40} more periods (see summary.json)")
    if summary.objective_terms:
        lines += ["", "objective by rule:"]
        for name, value in sorted(summary.objective_terms.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {name:<32} {value:>16,.0f}")
    if summary.requests:
        granted = sum(r.granted for r in summary.requests)
        lines += ["", f"requests: {granted} of {len(summary.requests)} granted"]
        for r in summary.requests[:REQUESTS_SHOWN]:
            verdict = "granted" if r.granted else "denied"
            lines.append(
                f"  {r.agent_id:<10} {r.date.isoformat()} {r.kind:<10} weight {r.weight:<6g} "
                f"{verdict}"
            )
        if len(summary.requests) > REQUESTS_SHOWN:
            more = len(summary.requests) - REQUESTS_SHOWN
            lines.append(f"  ... and {more} more requests (see summary.json)")
    if show_agents:
        several = any(len(a.week_hours) > 1 for a in summary.agents)
        weekly = "  hours per week" if several else ""
        lines += [
            "",
            f"{'agent':<10} {'name':<24} {'shifts':>6} {'hours':>6} {'min-max':>9}{weekly}",
        ]
        for a in summary.agents:
            per_week = "  " + " ".join(f"{h:.1f}" for h in a.week_hours) if several else ""
            lines.append(
                f"{a.agent_id:<10} {a.name[:24]:<24} {a.shifts:>6} {a.hours:>6.1f} "
                f"{a.min_hours:>4g}-{a.max_hours:<4g}{per_week}"
            )
    return "\n".join(lines)
