"""The previous roster as history: rest, local days, runs and successions across the week
boundary, in the engine (and its greedy start and diagnosis), the validator and the CLI.

Each solve test is a tiny week (Monday 2026-11-30, planning zone UTC unless said, 60-minute
intervals, demand from queue floors only) where the history forces a roster the solver
would not make without it. Most also solve without the history, to show the difference,
and hand that roster to the validator with the history: it must be caught. Every solved
roster passes the validator, with the history it was made with.
"""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from roster import check as check_module
from roster.check import HISTORY_RULES, check_roster
from roster.cli import main
from roster.engine import SolveOptions, solve, translate
from roster.errors import InfeasibleError, RosterFileError
from roster.history import History, history_from_roster, look_back_days
from roster.model import Scenario, ShiftKind, TimeOff
from roster.result import CoverageRow, Roster
from roster.scenario import parse_open_hours
from roster.solver import day_rules
from roster.solver.construct import construct
from roster.timegrid import local_datetime
from tests.builders import EN_L1, agent, queue, roster, scenario, shift, utc

QUICK = SolveOptions(time_limit_seconds=10, workers=1, seed=0)
MON = date(2026, 11, 30)


def day(offset: int) -> date:
    """The local date `offset` days after Monday 2026-11-30 (negative: last week)."""
    return MON + timedelta(days=offset)


def open_at(text: str, tz: str = "UTC"):
    return queue(EN_L1, min_agents=1, open_hours=parse_open_hours(text, tz))


def with_rules(week: Scenario, **changes) -> Scenario:
    return replace(week, rules=replace(week.rules, **changes))


def previous(week: Scenario, *shifts, covered_from: str | None = None) -> History:
    """History from a previous roster holding `shifts`; with `covered_from` its coverage
    (one row) starts then, else it has no coverage rows."""
    rows = [CoverageRow(utc(covered_from), "en", "L1", 1.0, 1)] if covered_from else []
    return history_from_roster(week, roster(*shifts, coverage=rows), "previous.json")


def daily(first: int, last: int, hours: tuple[str, str] = ("08:00", "16:00")) -> list:
    """One shift a day from day(first) to day(last), at the same UTC clock times."""
    return [shift(f"{day(d)}T{hours[0]}", f"{day(d)}T{hours[1]}") for d in range(first, last + 1)]


def solved(week: Scenario, history: History | None = None) -> Roster:
    result = solve(week, QUICK, history=history)
    assert check_roster(week, result, history) == []
    return result


def spans(result: Roster) -> list[tuple[str, str]]:
    return sorted((s.start.isoformat()[:16], s.end.isoformat()[:16]) for s in result.shifts)


def start_days(result: Roster, tz: str = "UTC") -> list[date]:
    return sorted(local_datetime(s.start, tz).date() for s in result.shifts)


def rule_ids(week: Scenario, result: Roster, history: History) -> list[str]:
    return [v.rule for v in check_roster(week, result, history)]


# --- the history forces what the solver would otherwise not do ---------------------------


def test_rest_after_last_weeks_late_shift_moves_mondays_shift_to_10_00() -> None:
    # Cover is wanted Mon 06:00-14:00. Alone the agent works 06:00-14:00. Last week ended
    # with a shift until Sunday 23:00, so with 11 h rest the first start is 10:00, and the
    # cheapest shift covering 10:00-14:00 is 10:00-16:00 (6 h).
    week = scenario(agent(), queues=(open_at("Mon 06:00-14:00"),))
    history = previous(week, shift("2026-11-29T15:00", "2026-11-29T23:00"))

    assert spans(solved(week)) == [("2026-11-30T06:00", "2026-11-30T14:00")]
    assert spans(solved(week, history)) == [("2026-11-30T10:00", "2026-11-30T16:00")]

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["min_rest"]
    assert "rests only 7.0 h, below min_rest_hours 11" in violations[0].message  # 23:00-06:00


def test_six_worked_days_at_the_end_of_last_week_keep_monday_off() -> None:
    # Worked Tue 24 .. Sun 29 (6 days), max 6 in a row: Monday must be off.
    week = scenario(agent(), queues=(open_at("Mon,Tue 08:00-16:00"),))
    history = previous(week, *daily(-6, -1))

    assert start_days(solved(week)) == [day(0), day(1)]
    assert start_days(solved(week, history)) == [day(1)]

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["max_consecutive_days"]
    # Tue 24 .. Tue 1 in a row: 6 days of last week and Mon, Tue of this one.
    assert "on 8 consecutive local days (2026-11-24 to 2026-12-01" in violations[0].message
    assert "6 of them from the previous roster" in violations[0].message


def test_a_run_on_fewer_known_days_than_the_rule_reaches_still_counts_in_full() -> None:
    # The previous roster covers only Wed 25 .. Sun 29, all worked: 5 known days, fewer
    # than the 6 that max_consecutive_days looks back. With at most 6 in a row, only one
    # of Mon and Tue may be worked. (A sweep of two-week scenarios found a roster working
    # both: the past was cut to its last day when fewer days were known than looked back.)
    week = scenario(agent(), queues=(open_at("Mon,Tue 08:00-16:00"),))
    history = previous(week, *daily(-5, -1), covered_from="2026-11-25T00:00")
    assert week.rules.max_consecutive_days == 6

    assert start_days(solved(week)) == [day(0), day(1)]
    assert len(start_days(solved(week, history))) == 1


def test_a_two_day_run_ending_last_week_goes_on_into_monday() -> None:
    # No demand at all, so alone the agent works nothing. Last week ended with a run of
    # two worked days (Sat, Sun; Friday off) and runs last at least 3 days: it must go on
    # into Monday, and only Monday.
    week = with_rules(scenario(agent()), min_consecutive_days=3)
    history = previous(week, *daily(-2, -1), covered_from="2026-11-23T00:00")

    assert solved(week).shifts == []
    result = solved(week, history)
    assert start_days(result) == [day(0)]
    assert [s.hours for s in result.shifts] == [6]  # the shortest shift does

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["min_consecutive_days"]
    assert "only 2 consecutive local day(s) (2026-11-28 to 2026-11-29" in violations[0].message


def test_a_run_starting_on_monday_is_no_longer_exempt_with_history() -> None:
    # Cover wanted on Monday only. Without history a run touching the week's first day is
    # exempt from min 3; with last week known (all off), Monday starts a run of 3 days.
    week = with_rules(
        scenario(agent(), queues=(open_at("Mon 08:00-16:00"),)), min_consecutive_days=3
    )
    history = previous(week, covered_from="2026-11-23T00:00")

    assert start_days(solved(week)) == [day(0)]
    assert start_days(solved(week, history)) == [day(0), day(1), day(2)]
    assert rule_ids(week, solved(week), history) == ["min_consecutive_days"]


def test_a_single_day_off_ending_last_week_keeps_monday_off() -> None:
    # Worked Thu-Sat, Sunday off; days off come in twos: Monday must be off too.
    week = with_rules(
        scenario(agent(), queues=(open_at("Mon,Tue 08:00-16:00"),)), min_consecutive_days_off=2
    )
    history = previous(week, *daily(-4, -2))

    assert start_days(solved(week)) == [day(0), day(1)]
    assert start_days(solved(week, history)) == [day(1)]

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["min_consecutive_days_off"]
    assert "only 1 consecutive local day(s) off (2026-11-29 to 2026-11-29" in violations[0].message


def test_a_late_shift_on_sunday_forbids_an_early_one_on_monday() -> None:
    # early starts 05:00-09:00, late 14:00-18:00; late -> early the next day is forbidden.
    # Rest is 8 h so Sunday's late shift (until 22:00) alone would allow 06:00 on Monday.
    week = with_rules(
        scenario(agent(), queues=(open_at("Mon 06:00-14:00"),)),
        min_rest_hours=8,
        shift_kinds=(ShiftKind("early", 5 * 60, 9 * 60), ShiftKind("late", 14 * 60, 18 * 60)),
        forbidden_successions=(("late", "early"),),
    )
    history = previous(week, shift("2026-11-29T14:00", "2026-11-29T22:00"))

    allowed = with_rules(week, forbidden_successions=())
    assert spans(solved(allowed, history)) == [("2026-11-30T06:00", "2026-11-30T14:00")]
    assert spans(solved(week, history)) == [("2026-11-30T09:00", "2026-11-30T15:00")]

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["forbidden_succession"]
    assert "previous roster's shift of kind 'late'" in violations[0].message


def test_a_local_day_started_last_week_gets_no_second_start() -> None:
    # Planning zone Paris: the week starts Mon 00:00 Paris = Sun 18:00 in New York, so the
    # New York agent's first local day is Sunday 29, on which last week's roster already
    # started a shift (08:00-14:00 New York). Cover is wanted Sunday 19:00-24:00 New York
    # (Mon 01:00-06:00 Paris); rest (1 h) would allow it, one start per local day does not.
    ny = agent(timezone="America/New_York")
    week = with_rules(
        scenario(ny, queues=(open_at("Mon 01:00-06:00", "Europe/Paris"),)),
        min_rest_hours=1,
    )
    week = replace(week, planning_timezone="Europe/Paris")
    history = previous(week, shift("2026-11-29T13:00", "2026-11-29T19:00"))

    assert start_days(solved(week), "America/New_York") == [date(2026, 11, 29)]
    result = solved(week, history)
    assert date(2026, 11, 29) not in start_days(result, "America/New_York")

    violations = check_roster(week, solved(week), history)
    assert [v.rule for v in violations] == ["one_start_per_local_day"]
    assert "on local day 2026-11-29, on which the previous roster's" in violations[0].message


def test_a_previous_shift_running_past_the_boundary_is_rested_after() -> None:
    # Last week's night shift Sun 20:00 - Mon 04:00 runs into the new week: it is kept, and
    # 11 h rest puts the first new start at Mon 15:00. Cover is wanted Mon 08:00-20:00.
    week = scenario(agent(), queues=(open_at("Mon 08:00-20:00"),))
    history = previous(week, shift("2026-11-29T20:00", "2026-11-30T04:00"))

    assert spans(solved(week, history)) == [("2026-11-30T15:00", "2026-11-30T21:00")]
    early = roster(shift("2026-11-30T02:00", "2026-11-30T08:00"))
    assert "no_overlap" in rule_ids(week, early, history)


# --- what the history does not count --------------------------------------------------------


def test_a_previous_roster_that_broke_a_rule_does_not_block_the_week() -> None:
    # Last week has 7 days in a row (max 6): the past cannot change. Monday is off, which
    # ends that run, and Tuesday may be worked.
    week = scenario(agent(), queues=(open_at("Tue 08:00-16:00"),))
    history = previous(week, *daily(-7, -1))
    assert start_days(solved(week, history)) == [day(1)]


def test_a_short_break_fixed_in_the_past_asks_nothing_of_the_new_days() -> None:
    # Planning zone Paris: the week starts Mon 07:00 in Manila, and the Manila agent's
    # first local day, Mon 30, already has a shift of last week's roster (started 01:00).
    # Before it: worked Sat 28, off Sun 29. Runs of work and of days off last 3 days.
    # The 1-day break on Sunday is past and cannot be mended; the run begun on Monday must
    # go on through Tue 1 and Wed 2, and nothing more is wanted.
    manila = agent(timezone="Asia/Manila")
    week = with_rules(
        replace(scenario(manila), planning_timezone="Europe/Paris"),
        min_rest_hours=8,
        min_consecutive_days=3,
        min_consecutive_days_off=3,
    )
    history = previous(
        week,
        shift("2026-11-27T22:00", "2026-11-28T06:00"),  # Sat 28 06:00-14:00 Manila
        shift("2026-11-29T17:00", "2026-11-30T01:00"),  # Mon 30 01:00-09:00 Manila
    )
    assert start_days(solved(week, history), "Asia/Manila") == [day(1), day(2)]


def test_day_rules_leave_a_run_fixed_in_the_past_alone() -> None:
    # Worked, off, worked: a 1-day break that constants fix; min 3 days off must not
    # stretch it over the first free day (the run of work in between has ended it).
    model = cp_model.CpModel()
    free = [model.new_bool_var(f"d{k}") for k in range(3)]
    day_rules.add_min_consecutive_days_off(model, [True, False, True, *free], 3)
    model.add(free[0] == 1)
    assert cp_model.CpSolver().solve(model) == cp_model.OPTIMAL


def test_weekly_limits_count_only_the_new_week() -> None:
    # Last week the agent worked its weekend, 20 h; max_hours 10 and max_weekends 1 hold
    # per week of the horizon, so this Saturday's cover is still worked (8 h).
    week = with_rules(
        scenario(agent(max_hours=10), queues=(open_at("Sat 08:00-16:00"),)), max_weekends=1
    )
    history = previous(week, *daily(-2, -1, ("06:00", "16:00")))
    assert spans(solved(week, history)) == [("2026-12-05T08:00", "2026-12-05T16:00")]


def test_days_before_the_previous_roster_cover_are_not_known() -> None:
    # Worked Sat and Sun, min 3 in a row. When the previous roster covers from Saturday on,
    # the run may have begun earlier and is exempt; covered from Friday, Friday was off.
    week = with_rules(scenario(agent()), min_consecutive_days=3)
    empty = solved(week)  # no demand: no shift
    from_saturday = previous(week, *daily(-2, -1), covered_from="2026-11-28T00:00")
    from_friday = previous(week, *daily(-2, -1), covered_from="2026-11-27T00:00")

    assert check_roster(week, empty, from_saturday) == []
    assert rule_ids(week, empty, from_friday) == ["min_consecutive_days"]
    assert solved(week, from_saturday).shifts == []


# --- reading a previous roster --------------------------------------------------------------


def test_a_previous_shift_starting_at_the_horizon_start_is_refused() -> None:
    week = scenario(agent())
    with pytest.raises(RosterFileError) as info:
        previous(week, shift("2026-11-29T08:00", "2026-11-29T16:00"), shift(*_monday()))
    assert str(info.value) == (
        "previous.json: shifts[1]: agent a01's shift starts 2026-11-30T00:00:00+00:00, not "
        "before the new horizon start 2026-11-30T00:00:00+00:00; a previous roster holds "
        "only shifts that start before it"
    )


def _monday() -> tuple[str, str]:
    return ("2026-11-30T00:00", "2026-11-30T06:00")


def test_a_previous_roster_whose_coverage_reaches_into_the_week_is_refused() -> None:
    week = scenario(agent())
    with pytest.raises(RosterFileError, match="coverage reaches into the new horizon"):
        previous(week, covered_from="2026-11-30T00:00")


def test_shifts_of_agents_not_in_the_scenario_are_ignored_and_reported() -> None:
    week = scenario(agent())
    history = previous(
        week,
        shift("2026-11-29T08:00", "2026-11-29T16:00"),
        shift("2026-11-29T08:00", "2026-11-29T16:00", agent_id="gone"),
        shift("2026-11-28T08:00", "2026-11-28T16:00", agent_id="gone"),
    )
    assert [s.agent_id for s in history.shifts] == ["a01"]
    assert history.summary_line() == (
        "history: previous.json, 1 shift(s) of 1 agent(s); "
        "ignored 2 shift(s) of agents not in this scenario: gone"
    )
    assert history.to_json()["ignored_agents"] == ["gone"]


def test_look_back_reaches_as_far_as_the_longest_run_rule() -> None:
    rules = scenario(agent()).rules  # max_consecutive_days 6
    assert look_back_days(rules) == 6
    assert look_back_days(replace(rules, min_consecutive_days_off=9)) == 9


def test_solver_days_before_day_0_are_the_known_days() -> None:
    # Worked Fri 27 and Sun 29 (kinds: none); max 6, so 6 days back: Tue 24 .. Sun 29.
    week = scenario(agent())
    history = previous(week, *daily(-3, -3), *daily(-1, -1))
    past = translate(week, history).problem.workers[0].past
    assert past.count == 6
    assert past.worked == ((-3, None), (-1, None))
    assert past.worked_flags() == [False, False, False, True, False, True]


# --- greedy start and diagnosis -------------------------------------------------------------


def test_the_greedy_start_keeps_the_boundary_rules() -> None:
    week = scenario(agent(), queues=(open_at("Mon,Tue 08:00-16:00"),))
    problem = translate(week, previous(week, *daily(-6, -1))).problem
    chosen = construct(problem)
    assert chosen is not None
    assert sorted(o.day for o in chosen["a01"]) == [1]

    run = with_rules(scenario(agent()), min_consecutive_days=3)
    history = previous(run, *daily(-2, -1), covered_from="2026-11-23T00:00")
    chosen = construct(translate(run, history).problem)
    assert chosen is not None
    assert [o.day for o in chosen["a01"]] == [0]


def test_infeasibility_caused_by_the_previous_roster_says_so() -> None:
    # 8 h wanted, the agent is away Tue-Sun, and six worked days before Monday keep it off.
    away = TimeOff("a01", utc("2026-12-01T00:00"), utc("2026-12-07T00:00"))
    week = scenario(agent(min_hours=8), time_off=(away,))
    with pytest.raises(InfeasibleError) as info:
        solve(week, QUICK, history=previous(week, *daily(-6, -1)))
    (reason,) = info.value.reasons
    assert reason.startswith("agent a01 (A01): min_hours 8 cannot be reached: with ")
    assert "max_consecutive_days after the previous roster's last days at most 0 h fit" in reason


def test_a_run_that_cannot_go_on_is_named_even_for_an_agent_without_min_hours() -> None:
    # Last week ended with a 2-day run (Friday off), runs last 3 days, and Monday is time
    # off: no week can keep the rule, and the diagnosis says whose and why.
    away = TimeOff("a01", utc("2026-11-30T00:00"), utc("2026-12-01T00:00"))
    week = with_rules(scenario(agent(), time_off=(away,)), min_consecutive_days=3)
    history = previous(week, *daily(-2, -1), covered_from="2026-11-23T00:00")
    with pytest.raises(InfeasibleError) as info:
        solve(week, QUICK, history=history)
    assert info.value.reasons == [
        "agent a01 (A01): no week keeps its rules: with min_consecutive_days after the "
        "previous roster's last days no week is possible"
    ]


# --- the validator module -------------------------------------------------------------------


def test_every_across_rule_is_listed_once_in_history_rules() -> None:
    names = [rule.__name__ for rule in HISTORY_RULES]
    assert len(names) == len(set(names)) == 6
    assert {n for n in dir(check_module) if n.startswith("across_")} == set(names)


def test_history_module_never_imports_the_solver() -> None:
    path = Path(__file__).resolve().parents[1] / "roster" / "history.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in modules if m and m.startswith(("roster.solver", "roster.engine"))]


# --- the command line -----------------------------------------------------------------------

SCENARIO_TOML = """\
name = "History desk"
week_start = "2026-11-30"
planning_timezone = "UTC"
interval_minutes = 60

[staffing]
shrinkage = 0.0
max_occupancy = 0.85
escalation_rate = 0.0

[rules]
shift_hours = [6, 8, 10]
shift_start_step_minutes = 60
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 300
service_level = 0.8
answer_seconds = 60
min_agents = 1
open = "Mon 06:00-14:00"
"""
AGENTS_CSV = (
    "id,name,timezone,languages,tier,contract,min_hours,max_hours,hourly_cost,"
    "available_from,available_to\na01,Ana,UTC,en,L1,employee,0,60,20,00:00,24:00\n"
)
LAST_WEEK = {
    "status": "OPTIMAL",
    "shifts": [
        {"agent_id": "a01", "start": "2026-11-29T15:00:00+00:00", "end": "2026-11-29T23:00:00Z"},
        {"agent_id": "x9", "start": "2026-11-29T08:00:00+00:00", "end": "2026-11-29T16:00:00Z"},
    ],
    "coverage": [],
}


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "scenario.toml").write_text(SCENARIO_TOML)
    (folder / "agents.csv").write_text(AGENTS_CSV)
    (folder / "forecast.csv").write_text("start,language,tier,tickets\n")
    (tmp_path / "last-week.json").write_text(json.dumps(LAST_WEEK))
    return folder


def cli_solve(folder: Path, out: Path, *extra: str) -> int:
    return main(
        ["solve", str(folder), "--out", str(out), "--time-limit", "5", "--workers", "1", *extra]
    )


def test_cli_solves_and_checks_with_history(desk: Path, tmp_path: Path, capsys) -> None:
    last_week = str(tmp_path / "last-week.json")
    out = tmp_path / "out"
    assert cli_solve(desk, out, "--history", last_week) == 0
    printed = capsys.readouterr().out
    assert (
        f"history: {last_week}, 1 shift(s) of 1 agent(s); ignored 1 shift(s) of agents "
        "not in this scenario: x9"
    ) in printed
    document = json.loads((out / "roster.json").read_text())
    assert document["history"]["source"] == last_week
    assert [s["start"] for s in document["shifts"]] == ["2026-11-30T10:00:00+00:00"]

    assert main(["check", str(desk), str(out / "roster.json"), "--history", last_week]) == 0
    assert "all hard rules hold (also across the boundary" in capsys.readouterr().out

    plain = tmp_path / "plain"
    assert cli_solve(desk, plain, "--quiet") == 0
    assert main(["check", str(desk), str(plain / "roster.json")]) == 0
    capsys.readouterr()
    assert main(["check", str(desk), str(plain / "roster.json"), "--history", last_week]) == 1
    assert "[min_rest] agent a01: shift 2026-11-30T06:00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "file not found"),
        ("{not json", "not valid JSON"),
        (json.dumps({**LAST_WEEK, "shifts": [{"start": "2026-11-29T08:00:00Z"}]}), "shifts[0]"),
        (
            json.dumps(
                {
                    **LAST_WEEK,
                    "shifts": [
                        {
                            "agent_id": "a01",
                            "start": "2026-12-01T08:00Z",
                            "end": "2026-12-01T16:00Z",
                        }
                    ],
                }
            ),
            "not before the new horizon start",
        ),
    ],
)
def test_cli_bad_history_file_exits_2_and_writes_nothing(
    desk: Path, tmp_path: Path, capsys, content: str | None, problem: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    out = tmp_path / "out"
    assert cli_solve(desk, out, "--history", str(bad)) == 2
    error = capsys.readouterr().err
    assert str(bad) in error and problem in error
    assert not out.exists()
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"status": "OPTIMAL", "shifts": [], "coverage": []}))
    assert main(["check", str(desk), str(empty), "--history", str(bad)]) == 2
    error = capsys.readouterr().err
    assert str(bad) in error and problem in error
