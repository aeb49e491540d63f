"""roster.json and summary.json write the objective and bound without float noise, and
an empty optional CSV lists nothing."""

from __future__ import annotations

import json

from roster.kpi import summarize
from roster.result import Roster, roster_json_text
from roster.scenario import load_scenario, load_scenario_files
from tests.builders import scenario
from tests.test_scenario import SCENARIO_TOML, agents_csv, forecast_csv, write_scenario

# What CP-SAT reported for a Lord Howe week: a whole number of cents plus 4e-9 of noise.
NOISY = 30807040.000000004


def noisy_roster(bound: float) -> Roster:
    return Roster("FEASIBLE", NOISY, bound, 1.0, [], [])


def test_roster_json_writes_the_objective_as_the_whole_number_it_is() -> None:
    text = roster_json_text(noisy_roster(NOISY).to_json())
    assert '"objective": 30807040.0,' in text
    assert '"bound": 30807040.0,' in text


def test_a_fractional_bound_keeps_two_decimals() -> None:
    doc = noisy_roster(30807039.123456).to_json()
    assert doc["bound"] == 30807039.12 and doc["objective"] == 30807040.0


def test_summary_json_writes_the_same_rounded_figures() -> None:
    doc = summarize(scenario(), noisy_roster(30807039.996)).to_json()
    # 30807039.996 rounds to 30807040.00: two decimals, never above the objective.
    assert json.dumps(doc["objective"]) == "30807040.0"
    assert json.dumps(doc["bound"]) == "30807040.0"


def test_an_empty_time_off_file_means_no_absences(tmp_path) -> None:
    folder = write_scenario(tmp_path, time_off="")
    assert (folder / "time_off.csv").stat().st_size == 0
    assert load_scenario(folder).time_off == ()


def test_an_empty_requests_file_means_no_requests(tmp_path) -> None:
    folder = write_scenario(tmp_path)
    (folder / "requests.csv").write_bytes(b"")
    assert load_scenario(folder).requests == ()


def test_optional_files_of_blank_lines_or_a_bare_bom_list_nothing() -> None:
    files = {
        "scenario.toml": SCENARIO_TOML,
        "agents.csv": agents_csv(),
        "forecast.csv": forecast_csv(),
        "time_off.csv": b"\xef\xbb\xbf",
        "requests.csv": "\n\n",
    }
    loaded = load_scenario_files(files)
    assert loaded.time_off == () and loaded.requests == ()
