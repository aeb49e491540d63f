"""Tiny hand-built scenarios and rosters shared by the tests.

1-3 agents, 60-minute intervals and no forecast, so `required` is each queue's
`min_agents` while open: a number known without any Erlang maths.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from roster.model import Agent, OpenHours, Queue, QueueKey, Rules, Scenario, Staffing, TimeOff
from roster.result import CoverageRow, Roster, Shift

EN_L1 = ("en", "L1")
FR_L1 = ("fr", "L1")
EN_L2 = ("en", "L2")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def agent(
    agent_id: str = "a01",
    *,
    timezone: str = "UTC",
    languages: tuple[str, ...] = ("en",),
    tier: str = "L1",
    min_hours: float = 0,
    max_hours: float = 60,
    window: tuple[str, str] = ("00:00", "24:00"),
) -> Agent:
    return Agent(
        id=agent_id,
        name=agent_id.upper(),
        timezone=timezone,
        languages=languages,
        tier=tier,
        contract="employee",
        min_hours=min_hours,
        max_hours=max_hours,
        hourly_cost=20.0,
        available_from_minute=hhmm(window[0]),
        available_to_minute=hhmm(window[1]),
    )


def queue(key: QueueKey = EN_L1, min_agents: int = 0, open_hours: OpenHours | None = None) -> Queue:
    return Queue(
        language=key[0],
        tier=key[1],
        aht_seconds=300,
        service_level=0.8,
        answer_seconds=60,
        min_agents=min_agents,
        open_hours=open_hours or OpenHours("24/7"),
    )


def scenario(
    *agents: Agent,
    queues: tuple[Queue, ...] = (),
    week_start: date = date(2026, 11, 30),
    planning_timezone: str = "UTC",
    step_minutes: int = 60,
    max_consecutive_days: int = 6,
    time_off: tuple[TimeOff, ...] = (),
) -> Scenario:
    return Scenario(
        name="test",
        week_start=week_start,
        planning_timezone=planning_timezone,
        interval_minutes=60,
        staffing=Staffing(shrinkage=0.3, max_occupancy=0.85, escalation_rate=0.2),
        rules=Rules(
            shift_hours=(6, 8, 10),
            shift_start_step_minutes=step_minutes,
            min_rest_hours=11,
            max_consecutive_days=max_consecutive_days,
        ),
        queues=queues or (queue(),),
        agents=agents or (agent(),),
        forecast={},
        time_off=time_off,
    )


def shift(start: str, end: str, agent_id: str = "a01") -> Shift:
    return Shift(agent_id, utc(start), utc(end))


def roster(
    *shifts: Shift, coverage: list[CoverageRow] | None = None, status: str = "OPTIMAL"
) -> Roster:
    return Roster(status, 0.0, 0.0, 0.0, list(shifts), coverage or [])
