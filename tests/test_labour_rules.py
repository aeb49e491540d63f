"""The optional labour rules of issue 5 in the helpdesk engine, end to end.

Each solve test is a tiny week (60-minute intervals, no forecast, demand from queue
floors) where the objective wants to break one rule: the roster must keep it exactly,
and pass the independent validator. Week of Monday 2026-11-30, planning zone UTC.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from roster.check import check_roster
from roster.cli import main
from roster.engine import SolveOptions, solve, translate
from roster.errors import InfeasibleError, ScenarioError
from roster.kpi import RequestOutcome, format_summary, summarize
from roster.model import Request, Scenario, ShiftKind, TimeOff
from roster.result import Roster, Shift
from roster.scenario import load_scenario_files, parse_open_hours
from roster.solver import core
from roster.solver.construct import construct
from roster.timegrid import local_datetime
from tests.builders import EN_L1, FR_L1, agent, hhmm, queue, roster, scenario, shift, utc
from tests.test_scenario import SCENARIO_TOML, agents_csv, forecast_csv, toml_with

QUICK = SolveOptions(time_limit_seconds=10, workers=1, seed=0)
MON = date(2026, 11, 30)


def day(offset: int) -> date:
    return MON + timedelta(days=offset)


def open_at(text: str, key=EN_L1, min_agents: int = 1):
    return queue(key, min_agents=min_agents, open_hours=parse_open_hours(text, "UTC"))


def with_rules(week: Scenario, **changes) -> Scenario:
    return replace(week, rules=replace(week.rules, **changes))


def solved(week: Scenario) -> Roster:
    result = solve(week, QUICK)
    assert check_roster(week, result) == []
    return result


def start_days(result: Roster, agent_id: str = "a01", tz: str = "UTC") -> list[date]:
    return sorted(
        local_datetime(s.start, tz).date() for s in result.shifts if s.agent_id == agent_id
    )


# --- solved rosters keep each rule -------------------------------------------------------


def test_short_runs_of_work_are_stretched_to_min_consecutive_days() -> None:
    # Work is wanted on Tuesday and Thursday only. Alone the agent would work those two
    # days; with runs of at least 2 days the cheapest cover is Tue-Wed-Thu in one run.
    week = scenario(agent(max_hours=60), queues=(open_at("Tue,Thu 08:00-16:00"),))
    week = with_rules(week, min_consecutive_days=2)
    assert start_days(solved(week)) == [day(1), day(2), day(3)]


def test_a_single_day_off_inside_the_week_is_filled_when_days_off_come_in_twos() -> None:
    # Work wanted Mon, Tue, Thu, Fri: the free Wednesday alone is a 1-day break, so the
    # agent works it too (Sat-Sun off touches the week's end and is exempt).
    week = scenario(agent(max_hours=60), queues=(open_at("Mon,Tue,Thu,Fri 08:00-16:00"),))
    week = with_rules(week, min_consecutive_days_off=2)
    assert start_days(solved(week)) == [day(0), day(1), day(2), day(3), day(4)]


def test_no_weekend_is_worked_when_max_weekends_is_zero() -> None:
    # Only Saturday and Sunday need cover. No shift may start then; the best left is a
    # Friday 23:00-09:00 shift reaching one hour into Saturday's demand.
    week = scenario(agent(max_hours=60), queues=(open_at("Sat-Sun 08:00-16:00"),))
    week = with_rules(week, max_weekends=0)
    assert start_days(solved(week)) == [day(4)]


def test_weekends_are_counted_on_the_agents_local_days() -> None:
    # In Honolulu (UTC-10) the week runs from Sunday 29 Nov 14:00 to Sunday 6 Dec 14:00:
    # two weekends touch it, Sunday 29 alone and Saturday 5 with Sunday 6. Work is wanted
    # on both (08:00-16:00 Honolulu time, cut by the week's ends); with max_weekends = 1
    # the agent keeps the bigger one, 5-6 Dec, and drops the 2 h left of Sunday 29.
    honolulu = agent(timezone="Pacific/Honolulu", max_hours=60)
    desk = open_at("Sat-Sun 08:00-16:00 Pacific/Honolulu")
    week = with_rules(scenario(honolulu, queues=(desk,)), max_weekends=1)
    assert start_days(solved(week), tz="Pacific/Honolulu") == [date(2026, 12, 5), day(6)]


def test_night_shifts_stop_at_their_weekly_maximum() -> None:
    night = ShiftKind("night", hhmm("18:00"), hhmm("06:00"), max_per_week=2)
    week = scenario(agent(max_hours=60), queues=(open_at("Mon-Sun 22:00-06:00"),))
    result = solved(with_rules(week, shift_kinds=(night,)))
    nights = [s for s in result.shifts if night.holds(s.start.hour * 60 + s.start.minute)]
    assert len(nights) == 2  # wanted every night; the limit binds


def test_a_late_shift_is_not_followed_by_an_early_one() -> None:
    # Monday 14-22 and Tuesday 10-18 need cover. Late (14:00-22:00 starts) then early
    # (06:00-11:00 starts) is forbidden, so Monday's cover must start before 14:00.
    late = ShiftKind("late", hhmm("14:00"), hhmm("22:00"))
    early = ShiftKind("early", hhmm("06:00"), hhmm("11:00"))
    week = scenario(
        agent(languages=("en", "fr"), max_hours=60),
        queues=(open_at("Mon 14:00-22:00"), open_at("Tue 10:00-18:00", key=FR_L1)),
    )
    week = with_rules(week, shift_kinds=(late, early), forbidden_successions=(("late", "early"),))
    result = solved(week)
    kinds = {s.start.date(): week.rules.kind_at(s.start) for s in result.shifts}
    assert kinds[day(0)] != "late" and kinds[day(1)] == "early"
    assert all(row.scheduled >= row.required for row in result.coverage)


def test_the_constructive_start_keeps_every_day_rule() -> None:
    # Three agents, two wanted around the clock: the greedy alone would work short runs
    # and weekends; its week must be replaced by one that keeps the rules.
    agents = [agent(f"a0{n}", max_hours=40) for n in (1, 2, 3)]
    week = scenario(*agents, queues=(open_at("Mon-Sun 00:00-24:00", min_agents=2),))
    late = ShiftKind("late", hhmm("14:00"), hhmm("22:00"), max_per_week=2)
    early = ShiftKind("early", hhmm("04:00"), hhmm("12:00"))
    week = with_rules(
        week,
        min_consecutive_days=3,
        min_consecutive_days_off=2,
        max_weekends=0,
        shift_kinds=(late, early),
        forbidden_successions=(("late", "early"),),
    )
    translation = translate(week)
    start = construct(translation.problem)
    assert start is not None
    shifts = [
        translation.candidates[worker_id][option]
        for worker_id, options in start.items()
        for option in options
    ]
    assert sum(c.minutes for c in shifts) == 3 * 40 * 60  # demand is never met
    first = roster(*(Shift(c.agent_id, c.start, c.end) for c in shifts))
    labour_rules = {
        "min_rest",
        "max_consecutive_days",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "max_weekends",
        "max_shifts_per_kind",
        "forbidden_succession",
        "weekly_hours",
    }
    assert [v.message for v in check_roster(week, first) if v.rule in labour_rules] == []


def reasons_for_a_weekend_only_agent_without_weekends() -> list[str]:
    """What the solve of a week says about a01: available only at the weekend (time off
    Monday to Friday), with max_weekends = 0 and min_hours 8."""
    off = TimeOff("a01", utc("2026-11-30T00:00"), utc("2026-12-05T00:00"))
    week = scenario(agent(min_hours=8, max_hours=40), time_off=(off,))
    with pytest.raises(InfeasibleError) as info:
        solve(with_rules(week, max_weekends=0), QUICK)
    return info.value.reasons


def test_an_agent_whom_the_day_rules_leave_no_hours_is_named() -> None:
    assert reasons_for_a_weekend_only_agent_without_weekends() == [
        "agent a01 (A01): min_hours 8 cannot be reached: with max_weekends at most 0 h fit"
    ]


def test_a_worker_proven_to_have_no_week_skips_the_search(monkeypatch) -> None:
    # As above: the one-worker model of the first roster proves that a01 has no week, so
    # no roster exists and the time limit is not spent searching for one.
    def no_search(*args, **kwargs):
        raise AssertionError("searched for a roster that cannot exist")

    monkeypatch.setattr(core, "_search", no_search)
    assert reasons_for_a_weekend_only_agent_without_weekends() == [
        "agent a01 (A01): min_hours 8 cannot be reached: with max_weekends at most 0 h fit"
    ]


def test_the_diagnosis_names_the_kind_limit_and_not_the_rules_left_unset_or_idle() -> None:
    # Every shift that fits the 20:00-06:00 window starts at night, and night shifts are
    # limited to 2 a week: at most 2 x 10 h, short of 24. max_weekends = 2 is set but
    # leaves 20 h or more; the minimum runs are not set at all.
    night = ShiftKind("night", hhmm("20:00"), hhmm("06:00"), max_per_week=2)
    week = scenario(agent(min_hours=24, max_hours=40, window=("20:00", "06:00")))
    with pytest.raises(InfeasibleError) as info:
        solve(with_rules(week, shift_kinds=(night,), max_weekends=2), QUICK)
    assert info.value.reasons == [
        "agent a01 (A01): min_hours 24 cannot be reached: with max_per_week of shift kinds "
        "at most 20 h fit"
    ]


# --- the validator catches each rule broken, and only then ------------------------------


def violations(week: Scenario, *shifts, rule: str) -> list[str]:
    return [v.message for v in check_roster(week, roster(*shifts)) if v.rule == rule]


def day_shift(offset: int, start: str = "08:00", end: str = "16:00"):
    return shift(f"{day(offset)}T{start}", f"{day(offset)}T{end}")


def test_check_flags_a_too_short_run_of_work_but_not_one_at_the_weeks_start() -> None:
    week = with_rules(scenario(), min_consecutive_days=2)
    # Monday alone touches the week's start (exempt); Wed-Thu lasts 2 days.
    assert (
        violations(week, day_shift(0), day_shift(2), day_shift(3), rule="min_consecutive_days")
        == []
    )
    assert violations(week, day_shift(0), day_shift(2), rule="min_consecutive_days") == [
        "agent a01: shifts start on only 1 consecutive local day(s) (2026-12-02 to "
        "2026-12-02, UTC), below min_consecutive_days 2"
    ]


def test_check_flags_a_lone_day_off_between_worked_days() -> None:
    week = with_rules(scenario(), min_consecutive_days_off=2)
    rule = "min_consecutive_days_off"
    assert violations(week, day_shift(0), day_shift(1), day_shift(4), rule=rule) == []
    assert violations(week, day_shift(0), day_shift(1), day_shift(3), day_shift(4), rule=rule) == [
        "agent a01: only 1 consecutive local day(s) off (2026-12-02 to 2026-12-02, UTC), "
        "below min_consecutive_days_off 2"
    ]


def test_check_flags_a_weekend_start_but_not_a_friday_night_running_into_saturday() -> None:
    week = with_rules(scenario(), max_weekends=0)
    friday_night = shift("2026-12-04T23:00", "2026-12-05T09:00")  # starts on Friday
    assert violations(week, friday_night, rule="max_weekends") == []
    assert violations(week, day_shift(6), rule="max_weekends") == [
        "agent a01: works 1 weekend(s) (2026-12-05 to 2026-12-06, local UTC), above max_weekends 0"
    ]


def test_check_flags_one_night_shift_too_many_counting_starts_after_midnight() -> None:
    night = ShiftKind("night", hhmm("20:00"), hhmm("04:00"), max_per_week=1)
    week = with_rules(scenario(), shift_kinds=(night,))
    first = shift("2026-11-30T22:00", "2026-12-01T06:00")
    second = shift("2026-12-02T01:00", "2026-12-02T09:00")  # 01:00 is inside 20:00-04:00
    assert violations(week, first, rule="max_shifts_per_kind") == []
    assert violations(week, first, second, rule="max_shifts_per_kind") == [
        "agent a01: 2 shifts of kind 'night' (local starts 2026-11-30T22:00:00+00:00, "
        "2026-12-02T01:00:00+00:00, UTC), above its max_per_week 1"
    ]


def test_check_flags_an_early_shift_the_day_after_a_late_one() -> None:
    late = ShiftKind("late", hhmm("14:00"), hhmm("22:00"))
    early = ShiftKind("early", hhmm("06:00"), hhmm("11:00"))
    week = with_rules(
        scenario(), shift_kinds=(late, early), forbidden_successions=(("late", "early"),)
    )
    monday_late = day_shift(0, "14:00", "22:00")
    rule = "forbidden_succession"
    assert violations(week, monday_late, day_shift(1, "11:00", "19:00"), rule=rule) == []
    assert violations(week, monday_late, day_shift(1, "10:00", "18:00"), rule=rule) == [
        "agent a01: shift of kind 'late' starting 2026-11-30T14:00:00+00:00 is followed by "
        "shift of kind 'early' starting 2026-12-01T10:00:00+00:00 the next local day (UTC); "
        "this succession is forbidden"
    ]


# --- requests ----------------------------------------------------------------------------


def weekday_desk(*agents) -> Scenario:
    return scenario(*agents, queues=(open_at("Mon-Fri 08:00-16:00"),))


def test_a_day_off_request_is_granted_when_a_colleague_can_cover() -> None:
    week = weekday_desk(agent("a01", max_hours=40), agent("a02", max_hours=40))
    week = replace(week, requests=(Request("a01", day(2), "off", 1.0),))
    result = solved(week)
    assert day(2) not in start_days(result, "a01")
    outcome = summarize(week, result).requests
    assert outcome == [RequestOutcome("a01", day(2), "off", 1.0, True)]


def test_a_day_off_request_is_denied_when_no_one_else_can_cover() -> None:
    week = replace(
        weekday_desk(agent(max_hours=40)), requests=(Request("a01", day(2), "off", 1.0),)
    )
    result = solved(week)
    assert day(2) in start_days(result)
    summary = summarize(week, result)
    assert summary.requests == [RequestOutcome("a01", day(2), "off", 1.0, False)]
    assert "requests: 0 of 1 granted" in format_summary(summary)
    assert summary.to_json()["requests"][0]["granted"] is False


@pytest.mark.parametrize(("weight", "granted"), [(10.0, True), (2.0, False)])
def test_a_request_for_an_early_shift_on_a_quiet_day_is_granted_only_if_it_weighs_enough(
    weight: float, granted: bool
) -> None:
    # Weight 1 costs a typical hour (20.00). The cheapest early shift on the quiet Saturday
    # costs 6 h x 20.00 = 120.00 plus a little overstaffing: weight 10 (200.00) pays for
    # it, weight 2 (40.00) does not.
    early = ShiftKind("early", hhmm("06:00"), hhmm("10:00"))
    week = with_rules(weekday_desk(agent(max_hours=60)), shift_kinds=(early,))
    week = replace(week, requests=(Request("a01", day(5), "early", weight),))
    result = solved(week)
    assert (day(5) in start_days(result)) is granted
    assert summarize(week, result).requests[0].granted is granted


# --- loader ------------------------------------------------------------------------------


def load(toml: str = SCENARIO_TOML, requests: str | None = None) -> Scenario:
    files = {"scenario.toml": toml, "agents.csv": agents_csv(), "forecast.csv": forecast_csv()}
    if requests is not None:
        files["requests.csv"] = requests
    return load_scenario_files(files)


def load_error(toml: str = SCENARIO_TOML, requests: str | None = None) -> str:
    with pytest.raises(ScenarioError) as info:
        load(toml, requests)
    return str(info.value)


RULES_LINE = "max_consecutive_days = 6"
KINDS = """
[[shift_kind]]
name = "early"
starts_from = "05:00"
starts_before = "10:00"
max_per_week = 3

[[shift_kind]]
name = "late"
starts_from = "14:00"
starts_before = "22:00"
"""


def test_new_rule_keys_and_shift_kinds_load() -> None:
    toml = toml_with(
        RULES_LINE,
        f"{RULES_LINE}\nmin_consecutive_days = 2\nmin_consecutive_days_off = 2\n"
        'max_weekends = 1\n[[rules.forbidden_succession]]\nfirst = "late"\nnext = "early"\n',
    )
    rules = load(toml + KINDS).rules
    assert (rules.min_consecutive_days, rules.min_consecutive_days_off) == (2, 2)
    assert rules.max_weekends == 1
    assert rules.shift_kinds == (
        ShiftKind("early", 300, 600, 3),
        ShiftKind("late", 840, 1320, None),
    )
    assert rules.forbidden_successions == (("late", "early"),)


def test_without_new_keys_the_rules_change_nothing() -> None:
    rules = load().rules
    assert (rules.min_consecutive_days, rules.min_consecutive_days_off) == (1, 1)
    assert (rules.max_weekends, rules.shift_kinds, rules.forbidden_successions) == (None, (), ())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "min_consecutive_days = 7",
            "scenario.toml, key 'rules.min_consecutive_days': must be at most "
            "max_consecutive_days (6), got 7",
        ),
        (
            "min_consecutive_days_off = 0",
            "scenario.toml, key 'rules.min_consecutive_days_off': must be at least 1, got 0",
        ),
        (
            "max_weekends = 1.5",
            "scenario.toml, key 'rules.max_weekends': must be a whole number, got 1.5",
        ),
        (
            '[[rules.forbidden_succession]]\nfirst = "late"\nnext = "night"',
            "scenario.toml, key 'rules.forbidden_succession[1].next': unknown shift kind "
            "'night' (kinds: early, late)",
        ),
    ],
)
def test_bad_rule_keys_are_rejected_with_their_key(line: str, message: str) -> None:
    assert load_error(toml_with(RULES_LINE, f"{RULES_LINE}\n{line}\n") + KINDS) == message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"10:00"',
            '"10:75"',
            "scenario.toml, key 'shift_kind[1].starts_before': '10:75' is not a clock time "
            "HH:MM between 00:00 and 24:00",
        ),
        (
            '"10:00"',
            '"05:00"',
            "scenario.toml, key 'shift_kind[1].starts_before': must differ from "
            "starts_from (05:00)",
        ),
        ('"late"', '"early"', "scenario.toml, key 'shift_kind[2]': duplicate shift kind 'early'"),
        (
            '"late"',
            '"off"',
            "scenario.toml, key 'shift_kind[2].name': 'off' is reserved for requests.csv; "
            "choose another name",
        ),
        (
            "max_per_week = 3",
            "max_per_week = -1",
            "scenario.toml, key 'shift_kind[1].max_per_week': must be at least 0, got -1",
        ),
    ],
)
def test_bad_shift_kinds_are_rejected_with_their_key(old: str, new: str, message: str) -> None:
    assert load_error(SCENARIO_TOML + KINDS.replace(old, new, 1)) == message


REQUESTS_HEADER = "agent_id,date,kind,weight\n"


def test_requests_load_with_the_agents_local_date() -> None:
    text = REQUESTS_HEADER + "a01,2026-12-02,off,2\na02,2026-12-07,late,0.5\n"
    requests = load(SCENARIO_TOML + KINDS, text).requests
    # a02 works in Manila (UTC+8): its week ends Monday 7 Dec 07:00 local, a local day.
    assert requests == (
        Request("a01", date(2026, 12, 2), "off", 2.0),
        Request("a02", date(2026, 12, 7), "late", 0.5),
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a09,2026-12-02,off,1", "row 2, column 'agent_id': unknown agent id 'a09'"),
        ("a01,2/12/2026,off,1", "row 2, column 'date': '2/12/2026' is not a date YYYY-MM-DD"),
        (
            "a01,2026-12-07,off,1",
            "row 2, column 'date': 2026-12-07 is not one of agent a01's local days of the "
            "week (2026-11-30 to 2026-12-06, Europe/Paris)",
        ),
        (
            "a01,2026-12-02,night,1",
            "row 2, column 'kind': unknown kind 'night'; use off, on, early, late",
        ),
        (
            "a01,2026-12-02,on,0",
            "row 2, column 'weight': must be greater than 0 and at most 1,000,000, got 0",
        ),
        (
            "a01,2026-12-02,on,1e17",  # would overflow the solver's 64-bit objective
            "row 2, column 'weight': must be greater than 0 and at most 1,000,000, got 1e17",
        ),
        (
            "a01,2026-12-02,on,1,extra",  # every row one cell too long shifted the columns
            "row 2: 5 cells where the header names 4 columns (extra: 'extra')",
        ),
    ],
)
def test_a_bad_request_row_is_rejected_with_row_and_column(row: str, message: str) -> None:
    error = load_error(SCENARIO_TOML + KINDS, REQUESTS_HEADER + row + "\n")
    assert error.startswith(f"requests.csv, {message}")


# --- end to end --------------------------------------------------------------------------

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_folder_with_day_rules_and_requests_solves_checks_and_reports_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shutil.copytree(FIXTURES / "small", tmp_path / "desk")
    toml = (folder / "scenario.toml").read_text()
    toml = toml.replace(
        "max_consecutive_days = 6",
        "max_consecutive_days = 6\nmin_consecutive_days = 2\nmin_consecutive_days_off = 2\n"
        'max_weekends = 1\n[[rules.forbidden_succession]]\nfirst = "late"\nnext = "early"\n',
    )
    (folder / "scenario.toml").write_text(toml + KINDS)
    (folder / "requests.csv").write_text(
        REQUESTS_HEADER + "a01,2026-12-02,off,1\na02,2026-12-03,late,2\na03,2026-12-05,on,0.5\n"
    )
    out = tmp_path / "out"
    assert (
        main(
            [
                "solve",
                str(folder),
                "--out",
                str(out),
                "--time-limit",
                "5",
                "--workers",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    assert main(["check", str(folder), str(out / "roster.json")]) == 0
    assert "all hard rules hold" in capsys.readouterr().out
    requests = json.loads((out / "summary.json").read_text())["requests"]
    assert [(r["agent_id"], r["date"], r["kind"]) for r in requests] == [
        ("a01", "2026-12-02", "off"),
        ("a02", "2026-12-03", "late"),
        ("a03", "2026-12-05", "on"),
    ]
    shifts = Roster.read(out / "roster.json").shifts
    a01_days = {
        local_datetime(x.start, "Asia/Manila").date() for x in shifts if x.agent_id == "a01"
    }
    assert requests[0]["granted"] is (date(2026, 12, 2) not in a01_days)
    text = (out / "summary.txt").read_text()
    granted = sum(r["granted"] for r in requests)
    assert f"requests: {granted} of 3 granted" in text
