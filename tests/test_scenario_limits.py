"""Values far outside any real helpdesk are rejected at load with a message naming them.

Each of these once got through the loader and then crashed or hung further down: the
Erlang search for minutes (aht_seconds = 1e300), float infinity turned into an integer
(hourly_cost = 1e308), a CP-SAT domain (max_hours = 1e300), Python's datetime range
(a timestamp of year 9999 at -14:00). The base folder is the one of test_scenario.py:
30-minute intervals in Paris, en-L1 with aht_seconds 420 at max_occupancy 0.85.
"""

from __future__ import annotations

import pytest

from roster import staffing
from roster.engine import translate
from roster.scenario import load_scenario
from roster.timegrid import parse_instant
from tests.test_scenario import (
    SCENARIO_TOML,
    agents_csv,
    forecast_csv,
    load_error,
    time_off_csv,
    toml_with,
    write_scenario,
)

WEEK_NOTE = "(a week has 168 hours, up to 170 with a clock change)"


# --- timestamps past datetime's range -----------------------------------------------------


@pytest.mark.parametrize("text", ["9999-12-31T23:00:00-14:00", "0001-01-01T00:00:00+08:00"])
def test_timestamp_that_leaves_the_years_1_to_9999_in_utc_is_a_value_error(text):
    with pytest.raises(ValueError) as info:
        parse_instant(text)
    assert str(info.value) == (
        f"timestamp '{text}' is outside the years 0001 to 9999 once converted to UTC"
    )


def test_forecast_start_past_year_9999_in_utc_names_row_and_column(tmp_path):
    forecast = forecast_csv(start="9999-12-31T23:00:00-14:00")
    assert str(load_error(write_scenario(tmp_path, forecast=forecast))) == (
        "forecast.csv, row 3, column 'start': timestamp '9999-12-31T23:00:00-14:00' is "
        "outside the years 0001 to 9999 once converted to UTC"
    )


@pytest.mark.parametrize(
    ("column", "text"),
    [("start", "0001-01-01T00:00:00+08:00"), ("end", "9999-12-31T23:59:00-10:00")],
)
def test_time_off_past_datetime_range_names_row_and_column(tmp_path, column, text):
    error = load_error(write_scenario(tmp_path, time_off=time_off_csv(**{column: text})))
    assert str(error) == (
        f"time_off.csv, row 2, column '{column}': timestamp '{text}' is outside the years "
        "0001 to 9999 once converted to UTC"
    )


def test_time_off_until_the_last_instant_datetime_holds_is_accepted(tmp_path):
    time_off = time_off_csv(end="9999-12-31T23:59:59+00:00")
    scenario = load_scenario(write_scenario(tmp_path, time_off=time_off))
    assert scenario.time_off[0].end.year == 9999


# --- scenario.toml ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "aht_seconds = 420",
            "aht_seconds = 1e300",
            "key 'queue[1].aht_seconds': must be at most 86,400 (a day), got 1e+300",
        ),
        (
            "escalation_rate = 0.20",
            "escalation_rate = 1e300",
            "key 'staffing.escalation_rate': must be at most 100, got 1e+300",
        ),
        (
            "min_rest_hours = 11",
            "min_rest_hours = 1e300",
            f"key 'rules.min_rest_hours': must be at most 170 {WEEK_NOTE}, got 1e+300",
        ),
        (
            "max_consecutive_days = 6",
            "max_consecutive_days = 99999999999999999999",
            "key 'rules.max_consecutive_days': must be at most 1,000, got 1e+20",
        ),
        (
            "max_consecutive_days = 6",
            "max_consecutive_days = 6\nmax_weekends = 99999999999999999999",
            "key 'rules.max_weekends': must be at most 1,000, got 1e+20",
        ),
        (
            "max_consecutive_days = 6",
            "max_consecutive_days = 6\nmin_consecutive_days_off = 1001",
            "key 'rules.min_consecutive_days_off': must be at most 1,000, got 1001",
        ),
        (
            "shift_start_step_minutes = 30",
            "shift_start_step_minutes = 600000000000000000000",
            "key 'rules.shift_start_step_minutes': must be at most a week (10080), "
            "got 600000000000000000000",
        ),
        (
            "shift_hours = [6, 8]",
            "shift_hours = [6, 1e15]",
            "key 'rules.shift_hours': a shift cannot outlast a week: at most 170, got 1e+15",
        ),
        (
            "min_rest_hours = 11",
            "min_rest_hours = " + "9" * 400,
            f"key 'rules.min_rest_hours': must be at most 170 {WEEK_NOTE}, got an integer of "
            "more than 308 digits",
        ),
    ],
)
def test_absurd_scenario_toml_value_is_rejected_naming_the_key(tmp_path, old, new, message):
    error = load_error(write_scenario(tmp_path, toml=toml_with(old, new)))
    assert str(error) == f"scenario.toml, {message}"


def test_absurd_max_per_week_of_a_shift_kind_is_rejected(tmp_path):
    kind = (
        '[[shift_kind]]\nname = "early"\nstarts_from = "05:00"\nstarts_before = "10:00"\n'
        "max_per_week = 99999999999999999999\n\n[[queue]]"
    )
    toml = SCENARIO_TOML.replace("[[queue]]", kind, 1)
    assert str(load_error(write_scenario(tmp_path, toml=toml))) == (
        "scenario.toml, key 'shift_kind[1].max_per_week': must be at most 1,000, got 1e+20"
    )


def test_integer_too_long_for_python_to_read_is_invalid_toml(tmp_path):
    toml = toml_with("min_rest_hours = 11", "min_rest_hours = " + "9" * 5000)
    error = load_error(write_scenario(tmp_path, toml=toml))
    assert str(error).startswith("scenario.toml: not valid TOML: Exceeds the limit (4300 digits)")


def test_shift_length_past_the_range_of_a_float_is_not_a_number_of_hours(tmp_path):
    toml = toml_with("shift_hours = [6, 8]", "shift_hours = [6, " + "9" * 400 + "]")
    error = load_error(write_scenario(tmp_path, toml=toml))
    assert error.key == "rules.shift_hours"
    assert error.problem == "must hold numbers of hours, got " + "9" * 400


def test_a_day_long_handling_time_and_any_shrinkage_below_one_are_accepted(tmp_path):
    # The contract allows 0 <= shrinkage < 1: 0.999999999 makes every requirement a
    # billion times the agents on the phones, which still fits the solver's integers.
    toml = toml_with("aht_seconds = 420", "aht_seconds = 86400")
    toml = toml.replace("shrinkage = 0.30", "shrinkage = 0.999999999")
    scenario = load_scenario(write_scenario(tmp_path, toml=toml))
    assert (scenario.queues[0].aht_seconds, scenario.staffing.shrinkage) == (86400, 0.999999999)


# --- agents.csv ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"hourly_cost": "1e308"}, "hourly_cost", "must be at most 1,000,000,000, got 1e308"),
        ({"max_hours": "1e300"}, "max_hours", "must be at most 1,000,000, got 1e300"),
        (
            {"min_hours": "171", "max_hours": "171"},
            "min_hours",
            f"must be at most 170 {WEEK_NOTE}, got 171",
        ),
    ],
)
def test_absurd_agent_numbers_are_rejected_naming_row_and_column(
    tmp_path, changes, column, problem
):
    error = load_error(write_scenario(tmp_path, agents=agents_csv(**changes)))
    assert str(error) == f"agents.csv, row 3, column '{column}': {problem}"


def test_a_billion_an_hour_and_170_hours_a_week_are_accepted(tmp_path):
    agents = agents_csv(hourly_cost="1e9", max_hours="170")
    ben = load_scenario(write_scenario(tmp_path, agents=agents)).agents[1]
    assert (ben.hourly_cost, ben.max_hours) == (1e9, 170)


def test_a_max_hours_beyond_the_week_means_no_weekly_limit(tmp_path):
    # "max_hours = 1000" is how a user writes "no limit": accepted, and the model caps
    # the agent at the 170 hours a week can hold at most, as it would for 170.
    agents = agents_csv(max_hours="1000")
    scenario = load_scenario(write_scenario(tmp_path, agents=agents))
    assert scenario.agents[1].max_hours == 1000
    ben = translate(scenario).problem.workers[1]
    assert ben.max_minutes == 170 * 60


# --- forecast.csv: offered load --------------------------------------------------------
#
# en-L1: A = tickets x 420 s / 1800 s = 7/30 tickets Erlangs; at max_occupancy 0.85 the
# queue needs A / 0.85 agents at least, so 100,000 agents are exceeded from
# 100000 x 0.85 x 30 / 7 = 364,285.7 tickets on.


def en_l1_forecast(tickets: str) -> str:
    return f"start,language,tier,tickets\n2026-11-30T08:00:00+01:00,en,L1,{tickets}\n"


def test_load_needing_more_than_100000_agents_at_once_is_rejected(tmp_path):
    error = load_error(write_scenario(tmp_path, forecast=en_l1_forecast("364286")))
    # 364286 x 7 / 30 = 85000.07 Erlangs; / 0.85 = 100000.08 agents
    assert str(error) == (
        "forecast.csv, row 2, column 'tickets': 364286 en-L1 tickets at "
        "2026-11-30T08:00:00+01:00 with aht_seconds 420 (queue[1] of scenario.toml) are an "
        "offered load of 85,000.1 Erlangs; at max_occupancy 0.85 that needs more than "
        "100,000 agents at once, the most roster staffs one queue with"
    )


def test_the_largest_accepted_load_is_staffed_at_the_occupancy_cap(tmp_path):
    scenario = load_scenario(write_scenario(tmp_path, forecast=en_l1_forecast("364285")))
    # A = 84999.83 Erlangs: the cap asks for ceil(A / 0.85) = 100000 agents, and with
    # 15,000 agents beyond the load nearly nobody waits, so 100000 meet 80 % in 60 s; the
    # requirement on shift is 100000 / (1 - 0.3).
    index = scenario.grid.index_of(parse_instant("2026-11-30T08:00:00+01:00"))
    required = staffing.required_agents(scenario)[("en", "L1")][index]
    assert required == pytest.approx(100000 / 0.7)


def test_a_load_of_thousands_of_erlangs_is_staffed_as_a_helpdesk_would_be(tmp_path):
    # 2,000 Erlangs at 30-minute intervals and aht 420 s: 2000 x 30 / 7 = 8571.4 tickets.
    # At max_occupancy 0.85 the cap alone asks for ceil(2000 / 0.85) = 2353 agents, 353
    # beyond the load, where Erlang C is negligible: 2353 meet 80 % in 60 s.
    scenario = load_scenario(write_scenario(tmp_path, forecast=en_l1_forecast("8571.42857")))
    index = scenario.grid.index_of(parse_instant("2026-11-30T08:00:00+01:00"))
    required = staffing.required_agents(scenario)[("en", "L1")][index]
    assert required == pytest.approx(2353 / 0.7)


def test_escalated_l2_load_names_the_l1_row_and_the_escalation_rate(tmp_path):
    # en-L2 has no rows of its own here: 100 x 1750 tickets x 900 s / 1800 s = 87,500
    # Erlangs, / 0.85 = 102,941 agents; en-L1 itself has 1750 x 7 / 30 = 408.3 Erlangs.
    toml = toml_with("escalation_rate = 0.20", "escalation_rate = 100")
    error = load_error(write_scenario(tmp_path, toml=toml, forecast=en_l1_forecast("1750")))
    assert str(error) == (
        "forecast.csv, row 2, column 'tickets': 1750 en-L1 tickets x escalation_rate 100 for "
        "en-L2 at 2026-11-30T08:00:00+01:00 with aht_seconds 900 (queue[3] of scenario.toml) "
        "are an offered load of 87,500.0 Erlangs; at max_occupancy 0.85 that needs more than "
        "100,000 agents at once, the most roster staffs one queue with"
    )


def test_tiny_occupancy_cap_that_needs_a_million_agents_is_rejected(tmp_path):
    # 12 en-L1 tickets: 12 x 7 / 30 = 2.8 Erlangs; / 0.000001 = 2.8 million agents.
    toml = toml_with("max_occupancy = 0.85", "max_occupancy = 0.000001")
    error = load_error(write_scenario(tmp_path, toml=toml))
    assert (error.file, error.row, error.column) == ("forecast.csv", 2, "tickets")
    assert "offered load of 2.8 Erlangs; at max_occupancy 1e-06 that needs more than" in str(error)
