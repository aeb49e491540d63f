"""Shortage reasons say who could have served: nobody at all, or everyone already on shift,
adding that some serve other queues only when the counts show they do."""

from __future__ import annotations

from datetime import timedelta

from roster.kpi import summarize
from roster.model import Scenario
from roster.result import CoverageRow, Roster, Shift
from tests.builders import EN_L1, EN_L2, FR_L1, agent, queue, scenario, utc

MONDAY_8 = utc("2026-11-30T08:00")
JA_L1 = ("ja", "L1")


def one_shift_roster(week: Scenario, serves: dict[tuple[str, str], int]) -> Roster:
    """Agent a01 on shift Monday 08:00-16:00 UTC, counted on the queues in `serves`."""
    on = Shift("a01", MONDAY_8, MONDAY_8 + timedelta(hours=8))

    def counted(start, key) -> int:
        return serves.get(key, 0) if on.start <= start < on.end else 0

    coverage = [
        CoverageRow(t, q.language, q.tier, float(q.min_agents), counted(t, q.key))
        for t in week.grid.interval_starts()
        for q in week.queues
    ]
    return Roster("FEASIBLE", 0.0, 0.0, 0.0, [on], coverage)


def reasons(week: Scenario, roster: Roster, label: str) -> set[str]:
    (summary,) = [q for q in summarize(week, roster).queues if q.queue == label]
    return {p.reason for p in summary.short_periods}


def reason_at_nine(week: Scenario, roster: Roster, label: str) -> str:
    (summary,) = [q for q in summarize(week, roster).queues if q.queue == label]
    nine = utc("2026-11-30T09:00")
    return next(p.reason for p in summary.short_periods if p.start <= nine < p.end)


def test_a_queue_nobody_speaks_is_said_to_have_nobody() -> None:
    week = scenario(agent(), queues=(queue(EN_L1, min_agents=1), queue(JA_L1, min_agents=1)))
    roster = one_shift_roster(week, {EN_L1: 1})
    assert reasons(week, roster, "ja-L1") == {"no agent can serve ja-L1: no agent speaks ja"}


def test_an_l2_queue_with_only_l1_speakers_is_said_to_have_nobody() -> None:
    week = scenario(agent(), queues=(queue(EN_L1, min_agents=1), queue(EN_L2, min_agents=1)))
    roster = one_shift_roster(week, {EN_L1: 1})
    assert reasons(week, roster, "en-L2") == {
        "no agent can serve en-L2: every agent who speaks en is below L2"
    }


def test_an_agent_counted_on_the_short_queue_serves_no_other_queue() -> None:
    # Two agents wanted on en; the only agent is on shift and counted on en.
    week = scenario(agent(), queues=(queue(EN_L1, min_agents=2), queue(JA_L1)))
    roster = one_shift_roster(week, {EN_L1: 1})
    assert reason_at_nine(week, roster, "en-L1") == (
        "every qualified agent who can work then is on shift"
    )


def test_a_bilingual_agent_counted_on_the_other_queue_serves_other_queues() -> None:
    bilingual = agent(languages=("en", "fr"))
    week = scenario(bilingual, queues=(queue(EN_L1, min_agents=1), queue(FR_L1, min_agents=1)))
    roster = one_shift_roster(week, {FR_L1: 1})
    assert reason_at_nine(week, roster, "en-L1") == (
        "every qualified agent who can work then is on shift (some serve other queues)"
    )
