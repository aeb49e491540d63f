"""End-to-end rule tests: tiny scenarios where the objective pushes against one hard rule.

Demand comes from `min_agents` floors (no forecast), so the solver wants every interval
covered and only the rule under test stops it. Every roster also goes through the
independent validator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from ortools.sat.python import cp_model

from roster import diagnose, engine
from roster.check import check_roster
from roster.engine import SolveOptions, solve
from roster.errors import InfeasibleError, SolveError
from roster.model import TimeOff
from roster.result import Roster
from roster.timegrid import local_datetime
from tests.builders import EN_L1, EN_L2, FR_L1, agent, queue, scenario, utc

QUICK = SolveOptions(time_limit_seconds=10, workers=1, seed=0)


def solved(week) -> Roster:
    result = solve(week, QUICK)
    assert check_roster(week, result) == []
    return result


def shifts_of(result: Roster, agent_id: str = "a01"):
    return sorted((s for s in result.shifts if s.agent_id == agent_id), key=lambda s: s.start)


def test_all_hours_are_used_when_demand_never_ends_and_rest_stays_11h() -> None:
    week = scenario(agent(max_hours=40), queues=(queue(min_agents=1),))
    shifts = shifts_of(solved(week))
    assert sum(s.hours for s in shifts) == 40
    for before, after in zip(shifts, shifts[1:], strict=False):
        assert after.start - before.end >= timedelta(hours=11)


def test_no_more_consecutive_days_than_allowed() -> None:
    week = scenario(agent(max_hours=80), queues=(queue(min_agents=1),), max_consecutive_days=3)
    days = sorted({s.start.date() for s in shifts_of(solved(week))})
    run = longest = 1
    for previous, day in zip(days, days[1:], strict=False):
        run = run + 1 if day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
    assert longest == 3
    assert len(days) >= 5  # 3 on, 1 off, then more: the limit binds, it is not avoided


def test_one_shift_start_per_local_day_in_the_agents_zone() -> None:
    tokyo = agent(timezone="Asia/Tokyo", max_hours=70)
    week = scenario(tokyo, queues=(queue(min_agents=1),))
    local_days = [local_datetime(s.start, "Asia/Tokyo").date() for s in shifts_of(solved(week))]
    assert len(local_days) == len(set(local_days)) >= 6


def test_min_hours_are_worked_even_without_demand_and_no_more() -> None:
    week = scenario(agent(min_hours=16, max_hours=40), queues=(queue(min_agents=0),))
    assert sum(s.hours for s in shifts_of(solved(week))) == 16


def test_no_shift_touches_time_off() -> None:
    off = TimeOff("a01", utc("2026-12-01T00:00"), utc("2026-12-03T00:00"))
    week = scenario(agent(max_hours=60), queues=(queue(min_agents=1),), time_off=(off,))
    shifts = shifts_of(solved(week))
    assert shifts
    assert all(s.end <= off.start or s.start >= off.end for s in shifts)


def test_a_window_that_wraps_midnight_holds_in_local_time() -> None:
    owl = agent(timezone="Asia/Manila", window=("22:00", "08:00"), max_hours=40)
    week = scenario(owl, queues=(queue(min_agents=1),))
    shifts = shifts_of(solved(week))
    assert shifts

    def in_night(clock: tuple[int, int]) -> bool:
        return clock >= (22, 0) or clock <= (8, 0)

    for s in shifts:
        start = local_datetime(s.start, "Asia/Manila")
        end = local_datetime(s.end, "Asia/Manila")
        # Both ends in the night window and at most 10 h long: the 14 h day gap is never
        # crossed, so the whole shift lies in one night.
        assert in_night((start.hour, start.minute)) and in_night((end.hour, end.minute))
        assert start.hour != 8


def test_l2_agent_serves_l1_when_no_l1_agent_exists() -> None:
    week = scenario(agent(tier="L2", max_hours=40), queues=(queue(EN_L1, min_agents=1),))
    result = solved(week)
    assert sum(row.scheduled for row in result.coverage) == 40


def test_l1_agent_never_counts_for_l2() -> None:
    week = scenario(agent(tier="L1", max_hours=40), queues=(queue(EN_L2, min_agents=1),))
    result = solved(week)
    assert all(row.scheduled == 0 for row in result.coverage)


def test_a_bilingual_agent_counts_in_one_queue_per_interval() -> None:
    both = agent(languages=("en", "fr"), max_hours=40)
    week = scenario(both, queues=(queue(EN_L1, min_agents=1), queue(FR_L1, min_agents=1)))
    per_interval = Counter()
    for row in solved(week).coverage:
        per_interval[row.start] += row.scheduled
    assert max(per_interval.values()) == 1
    assert sum(per_interval.values()) == 40


def test_dst_week_shift_keeps_8_real_hours_inside_the_local_window() -> None:
    paris = agent(timezone="Europe/Paris", window=("08:00", "18:00"), min_hours=40, max_hours=40)
    week = scenario(
        paris,
        queues=(queue(min_agents=1),),
        week_start=date(2026, 3, 23),
        planning_timezone="Europe/Paris",
    )
    shifts = shifts_of(solved(week))
    assert sum(s.hours for s in shifts) == 40
    for s in shifts:
        start = local_datetime(s.start, "Europe/Paris")
        end = local_datetime(s.end, "Europe/Paris")
        assert (start.hour, start.minute) >= (8, 0) and (end.hour, end.minute) <= (18, 0)


def test_without_demand_a_shift_stays_in_the_agents_local_daytime() -> None:
    manila = agent(timezone="Asia/Manila", min_hours=8, max_hours=8)
    week = scenario(manila, queues=(queue(min_agents=0),))
    (only,) = shifts_of(solved(week))
    start = local_datetime(only.start, "Asia/Manila")
    assert only.hours == 8 and 6 <= start.hour <= 14


def test_unreachable_min_hours_names_the_agent_and_the_rule() -> None:
    # A 09:00-17:00 window fits one 8 h shift a day; a UTC week touches 7 local days.
    week = scenario(agent(window=("09:00", "17:00"), min_hours=60, max_hours=60))
    with pytest.raises(InfeasibleError) as caught:
        solve(week, QUICK)
    message = str(caught.value)
    assert "agent a01" in message
    assert "min_hours 60" in message
    assert "availability window" in message and "at most 56 h" in message


def test_a_search_out_of_time_without_a_roster_still_names_the_agent_at_fault(
    monkeypatch,
) -> None:
    # On a large horizon the search may end UNKNOWN (not proven INFEASIBLE) when one agent
    # cannot reach its minimum hours; the answer is that agent, not "allow more time".
    monkeypatch.setattr(engine, "solve_problem", lambda *args, **kwargs: ("UNKNOWN", None))
    week = scenario(agent(window=("09:00", "17:00"), min_hours=60, max_hours=60))
    with pytest.raises(InfeasibleError, match="agent a01 .*min_hours 60 cannot be reached"):
        solve(week, QUICK)


def test_the_diagnosis_claims_nothing_that_a_search_out_of_time_did_not_prove(
    monkeypatch,
) -> None:
    # The agent's 56 h do fit; a one-agent search that ran out of time (UNKNOWN, with only
    # the trivial bound) must not be read as "no week is possible" or "at most ... fit".
    class OutOfTime(cp_model.CpSolver):
        def solve(self, model, *args, **kwargs):
            return cp_model.UNKNOWN

        @property
        def best_objective_bound(self) -> float:
            return 60 * 60.0

    monkeypatch.setattr(diagnose.cp_model, "CpSolver", OutOfTime)
    week = scenario(agent(window=("09:00", "17:00"), min_hours=56, max_hours=60))
    assert diagnose.agent_conflicts(week, engine.translate(week).problem) == []


def test_without_a_roster_and_no_agent_at_fault_the_answer_is_more_time(monkeypatch) -> None:
    monkeypatch.setattr(engine, "solve_problem", lambda *args, **kwargs: ("UNKNOWN", None))
    with pytest.raises(SolveError, match="allow more time with --time-limit"):
        solve(scenario(agent(max_hours=40), queues=(queue(min_agents=1),)), QUICK)


def test_consecutive_day_limit_named_when_it_blocks_min_hours() -> None:
    week = scenario(
        agent(window=("09:00", "17:00"), min_hours=50, max_hours=60), max_consecutive_days=5
    )
    with pytest.raises(InfeasibleError, match=r"with max_consecutive_days at most 48 h fit"):
        solve(week, QUICK)


def test_same_seed_gives_the_same_roster() -> None:
    week = scenario(
        agent("a01", max_hours=40),
        agent("a02", timezone="America/New_York", max_hours=40),
        queues=(queue(min_agents=1),),
    )
    first = solve(week, QUICK)
    second = solve(week, QUICK)
    assert [(s.agent_id, s.start, s.end) for s in first.shifts] == [
        (s.agent_id, s.start, s.end) for s in second.shifts
    ]


def test_setting_the_stop_event_ends_the_search_early() -> None:
    import threading
    import time
    from pathlib import Path

    from roster.scenario import load_scenario

    week = load_scenario(Path(__file__).parents[1] / "fixtures" / "helpdesk-week")
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    started = time.monotonic()
    result = solve(week, SolveOptions(time_limit_seconds=300, workers=2), stop=stop)
    assert time.monotonic() - started < 60  # the limit alone would run for minutes
    assert result.status == "FEASIBLE"
    assert check_roster(week, result) == []


def test_an_hourly_week_of_167_and_a_half_hours_is_covered_to_its_last_half_hour() -> None:
    # Lord Howe Island's week of 28 Sep 2026 lasts 167.5 h (its clocks move 30 minutes):
    # 168 hourly intervals from 13:30Z, the last from 12:30Z to the week's end at 13:00Z.
    week = scenario(
        agent(max_hours=40),
        queues=(queue(min_agents=1),),
        week_start=date(2026, 9, 28),
        planning_timezone="Australia/Lord_Howe",
    )
    result = solved(week)
    assert len(result.coverage) == 168
    last = result.coverage[-1]
    assert (last.start, last.required) == (utc("2026-10-04T12:30"), 1.0)
    assert all(s.end <= utc("2026-10-04T13:00") for s in result.shifts)


def test_costs_too_large_for_the_solver_are_named_not_blamed_on_time() -> None:
    # 1e14 an hour, in hundredths, times the shortage weights overflows 64-bit integers.
    week = scenario(replace(agent(), hourly_cost=1e14), queues=(queue(min_agents=1),))
    with pytest.raises(SolveError, match=r"costs are too large.*hourly_cost up to 1e\+14") as e:
        solve(week, QUICK)
    # The floor of one agent is the whole requirement: no forecast.
    assert "up to 1 agents required at once" in str(e.value)
