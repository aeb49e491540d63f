"""The scenario generator and the committed fixtures it made.

Expected values come from the contract (columns, grid, DST week lengths worked out by hand
from the EU and US clock changes) and from the brief the fixtures were made for (zones,
continents, L2 share, requirement 60-80% of the team's hours). Files are read back with
csv, tomllib and zoneinfo, not with the generator's own helpers.
"""

from __future__ import annotations

import csv
import tomllib
from argparse import Namespace
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from roster.generate import FIXTURES, generate_scenario, main_generate
from roster.scenario import load_scenario
from roster.staffing import required_agents

FIXTURES_DIR = Path(__file__).parents[1] / "fixtures"
FIXTURE_NAMES = ("helpdesk-week", "dst-week", "small", "quarter-hour")
FILES = ("scenario.toml", "agents.csv", "forecast.csv", "time_off.csv")
AGENT_COLUMNS = [
    "id", "name", "timezone", "languages", "tier", "contract",
    "min_hours", "max_hours", "hourly_cost", "available_from", "available_to",
]  # fmt: skip
# Languages people plausibly speak where they sit (besides English, which everyone speaks).
HOME_LANGUAGE = {
    "Europe/Berlin": "de",
    "Europe/Paris": "fr",
    "Africa/Casablanca": "fr",
    "Europe/Madrid": "es",
    "America/Mexico_City": "es",
    "America/Bogota": "es",
    "Europe/Lisbon": "pt",
    "America/Sao_Paulo": "pt",
}


# --- helpers ------------------------------------------------------------------------------


def generate(tmp_path: Path, folder: str = "s", **kwargs: object) -> Path:
    arguments: dict = {"agents": 24, "seed": 1} | kwargs
    return generate_scenario(tmp_path / folder, **arguments)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def read_toml(folder: Path) -> dict:
    return tomllib.loads((folder / "scenario.toml").read_text(encoding="utf-8"))


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def window_minutes(agent: dict[str, str]) -> int:
    span = minutes(agent["available_to"]) - minutes(agent["available_from"])
    return span if span > 0 else span + 24 * 60


def week_bounds(settings: dict) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings["planning_timezone"])
    first = date.fromisoformat(str(settings["week_start"]))
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    last = first + timedelta(days=7)
    return start, datetime(last.year, last.month, last.day, tzinfo=zone)


def folders_under_test(tmp_path: Path) -> list[Path]:
    committed = [FIXTURES_DIR / name for name in FIXTURE_NAMES]
    generated = [
        generate(tmp_path, "q15", interval_minutes=15, agents=20),
        generate(tmp_path, "h60", interval_minutes=60, agents=20),
    ]
    return committed + generated


# --- determinism --------------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path, "one", seed=42)
    second = generate(tmp_path, "two", seed=42)
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_different_seeds_write_different_agents_and_forecast(tmp_path: Path) -> None:
    first = generate(tmp_path, "one", seed=1)
    second = generate(tmp_path, "two", seed=2)
    assert (first / "agents.csv").read_bytes() != (second / "agents.csv").read_bytes()
    assert (first / "forecast.csv").read_bytes() != (second / "forecast.csv").read_bytes()


def test_committed_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    assert set(FIXTURES) == set(FIXTURE_NAMES)
    for name, arguments in FIXTURES.items():
        fresh = generate_scenario(tmp_path / name, **arguments)
        for file in FILES:
            assert (fresh / file).read_bytes() == (FIXTURES_DIR / name / file).read_bytes(), (
                f"{name}/{file}"
            )


# --- the contract, structurally -----------------------------------------------------------


@pytest.mark.parametrize("interval", [15, 30, 60])
def test_generated_files_have_every_contract_column_and_key(tmp_path: Path, interval: int) -> None:
    folder = generate(tmp_path, interval_minutes=interval)
    settings = read_toml(folder)
    assert {"name", "week_start", "planning_timezone", "interval_minutes"} <= set(settings)
    assert settings["interval_minutes"] == interval
    assert {"shrinkage", "max_occupancy", "escalation_rate"} <= set(settings["staffing"])
    rules = settings["rules"]
    assert {"shift_hours", "min_rest_hours", "max_consecutive_days"} <= set(rules)
    assert rules["shift_start_step_minutes"] % interval == 0
    queue_keys = {"language", "tier", "aht_seconds", "service_level", "answer_seconds"}
    assert all(queue_keys | {"min_agents", "open"} <= set(q) for q in settings["queue"])
    assert header(folder / "agents.csv") == AGENT_COLUMNS
    assert header(folder / "forecast.csv") == ["start", "language", "tier", "tickets"]
    assert header(folder / "time_off.csv") == ["agent_id", "start", "end"]


def test_every_forecast_language_and_tier_has_a_queue(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        queues = {(q["language"], q["tier"]) for q in read_toml(folder)["queue"]}
        named = {(r["language"], r["tier"] or "L1") for r in read_csv(folder / "forecast.csv")}
        assert named <= queues, folder.name


def test_forecast_starts_lie_on_the_interval_grid_inside_the_week(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        settings = read_toml(folder)
        start, end = week_bounds(settings)
        step = timedelta(minutes=settings["interval_minutes"])
        for row in read_csv(folder / "forecast.csv"):
            instant = datetime.fromisoformat(row["start"])
            assert instant.utcoffset() is not None, row
            assert start <= instant < end, (folder.name, row)
            assert (instant - start) % step == timedelta(0), (folder.name, row)
            assert float(row["tickets"]) >= 0


def test_availability_windows_fit_the_longest_shift(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        longest_minutes = 60 * max(read_toml(folder)["rules"]["shift_hours"])
        for agent in read_csv(folder / "agents.csv"):
            assert window_minutes(agent) >= longest_minutes, (folder.name, agent)


def test_agents_have_unique_ids_and_sane_contracts(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        agents = read_csv(folder / "agents.csv")
        assert len({a["id"] for a in agents}) == len(agents)
        for agent in agents:
            assert agent["tier"] in ("L1", "L2")
            assert agent["contract"] in ("employee", "freelance")
            assert 0 <= float(agent["min_hours"]) <= float(agent["max_hours"])
            assert float(agent["hourly_cost"]) > 0


def test_time_off_names_known_agents_and_runs_from_local_midnight(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        agents = {a["id"]: a for a in read_csv(folder / "agents.csv")}
        absences = read_csv(folder / "time_off.csv")
        assert absences, folder.name
        for row in absences:
            zone = ZoneInfo(agents[row["agent_id"]]["timezone"])
            start = datetime.fromisoformat(row["start"]).astimezone(zone)
            end = datetime.fromisoformat(row["end"]).astimezone(zone)
            assert (start.hour, start.minute) == (0, 0) == (end.hour, end.minute)
            assert (end.date() - start.date()).days in (1, 2)


# --- a realistic team ---------------------------------------------------------------------


def continents(agents: list[dict[str, str]]) -> set[str]:
    return {agent["timezone"].split("/")[0] for agent in agents}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_64_agents_work_from_6_zones_on_3_continents(tmp_path: Path, seed: int) -> None:
    agents = read_csv(generate(tmp_path, agents=64, seed=seed) / "agents.csv")
    assert len({a["timezone"] for a in agents}) >= 6
    assert len(continents(agents)) >= 3


def test_helpdesk_week_fixture_is_a_follow_the_sun_team() -> None:
    folder = FIXTURES_DIR / "helpdesk-week"
    agents = read_csv(folder / "agents.csv")
    settings = read_toml(folder)
    assert len(agents) >= 60
    assert len({a["timezone"] for a in agents}) >= 6
    assert continents(agents) >= {"America", "Europe", "Asia"}
    assert {lang for a in agents for lang in a["languages"].split()} >= {
        "en",
        "fr",
        "es",
        "pt",
        "de",
    }
    assert Counter(a["contract"] for a in agents).keys() == {"employee", "freelance"}
    assert settings["interval_minutes"] == 30
    assert str(settings["week_start"]) == "2026-11-30"
    assert settings["planning_timezone"] == "Europe/Paris"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_about_a_quarter_of_a_team_is_l2(tmp_path: Path, seed: int) -> None:
    agents = read_csv(generate(tmp_path, agents=64, seed=seed) / "agents.csv")
    share = sum(a["tier"] == "L2" for a in agents) / len(agents)
    assert 0.15 <= share <= 0.35


def test_about_a_quarter_of_each_fixture_is_l2() -> None:
    for name in FIXTURE_NAMES:
        agents = read_csv(FIXTURES_DIR / name / "agents.csv")
        share = sum(a["tier"] == "L2" for a in agents) / len(agents)
        assert 0.15 <= share <= 0.35, name


def test_everyone_speaks_english_and_the_language_of_their_place(tmp_path: Path) -> None:
    agents = read_csv(generate(tmp_path, agents=64, seed=5) / "agents.csv")
    for agent in agents:
        spoken = agent["languages"].split()
        assert "en" in spoken
        if agent["timezone"] in HOME_LANGUAGE:
            assert HOME_LANGUAGE[agent["timezone"]] in spoken, agent


def test_employees_and_freelancers_have_their_hour_ranges(tmp_path: Path) -> None:
    agents = read_csv(generate(tmp_path, agents=64, seed=6) / "agents.csv")
    employees = [a for a in agents if a["contract"] == "employee"]
    freelancers = [a for a in agents if a["contract"] == "freelance"]
    assert employees and freelancers
    assert all(30 <= float(a["min_hours"]) <= 36 for a in employees)
    assert all(float(a["max_hours"]) == 40 for a in employees)
    assert all(0 <= float(a["min_hours"]) <= 10 for a in freelancers)
    assert all(20 <= float(a["max_hours"]) <= 48 for a in freelancers)


# --- the forecast's shape -----------------------------------------------------------------


def tickets_by(folder: Path, language: str, key) -> dict:
    zone = ZoneInfo(read_toml(folder)["planning_timezone"])
    totals: dict = defaultdict(float)
    for row in read_csv(folder / "forecast.csv"):
        if row["language"] == language and row["tier"] == "L1":
            totals[key(datetime.fromisoformat(row["start"]).astimezone(zone))] += float(
                row["tickets"]
            )
    return totals


def test_european_languages_peak_in_european_business_hours() -> None:
    folder = FIXTURES_DIR / "helpdesk-week"  # planning zone Europe/Paris
    for language in ("fr", "de"):
        by_hour = tickets_by(folder, language, lambda t: t.hour)
        business = by_hour[10] + by_hour[11]
        night = by_hour[3] + by_hour[4]
        assert business > 4 * night, language


def test_weekends_are_quieter_than_weekdays() -> None:
    folder = FIXTURES_DIR / "helpdesk-week"
    for language in ("en", "fr", "es", "pt", "de"):
        by_day = tickets_by(folder, language, lambda t: t.isoweekday())
        weekday = sum(by_day[d] for d in range(1, 6)) / 5
        weekend = (by_day[6] + by_day[7]) / 2
        assert weekend < 0.7 * weekday, language


def test_english_has_tickets_in_every_interval_of_the_week() -> None:
    folder = FIXTURES_DIR / "helpdesk-week"
    starts = {r["start"] for r in read_csv(folder / "forecast.csv") if r["language"] == "en"}
    assert len(starts) == 7 * 24 * 2


# --- weeks in which the clocks change -----------------------------------------------------


def distinct_starts(folder: Path) -> set[datetime]:
    return {datetime.fromisoformat(r["start"]) for r in read_csv(folder / "forecast.csv")}


def test_spring_forward_week_has_334_half_hour_intervals(tmp_path: Path) -> None:
    # Paris skips 02:00-03:00 on Sunday 2026-03-29: the week lasts 167 h = 334 half hours.
    for folder in (FIXTURES_DIR / "dst-week", generate(tmp_path, week_start=date(2026, 3, 23))):
        starts = distinct_starts(folder)
        assert len(starts) == 334
        assert min(starts).isoformat() == "2026-03-23T00:00:00+01:00"
        assert max(starts).isoformat() == "2026-03-29T23:30:00+02:00"


def test_fall_back_week_has_338_half_hour_intervals(tmp_path: Path) -> None:
    # Paris repeats 02:00-03:00 on Sunday 2026-10-25: 169 h = 338 half hours.
    folder = generate(tmp_path, week_start=date(2026, 10, 19), agents=64)
    assert len(distinct_starts(folder)) == 338


def test_quarter_hour_fixture_plans_in_new_york_in_15_minute_steps() -> None:
    folder = FIXTURES_DIR / "quarter-hour"
    settings = read_toml(folder)
    assert settings["interval_minutes"] == 15
    assert settings["rules"]["shift_start_step_minutes"] == 15
    assert settings["planning_timezone"] == "America/New_York"
    assert len(distinct_starts(folder)) == 7 * 24 * 4  # no clock change that week


def test_small_fixture_is_small() -> None:
    folder = FIXTURES_DIR / "small"
    settings = read_toml(folder)
    assert settings["interval_minutes"] == 60
    assert 3 <= len(settings["queue"]) <= 4
    assert 10 <= len(read_csv(folder / "agents.csv")) <= 14


# --- through the loader and the staffing maths --------------------------------------------


def test_every_fixture_and_generated_scenario_loads(tmp_path: Path) -> None:
    for folder in folders_under_test(tmp_path):
        scenario = load_scenario(folder)
        assert len(scenario.agents) == len(read_csv(folder / "agents.csv"))
        assert scenario.time_off


def test_fixtures_ask_for_60_to_80_percent_of_the_teams_hours() -> None:
    for name in FIXTURE_NAMES:
        scenario = load_scenario(FIXTURES_DIR / name)
        hours_per_interval = scenario.interval_minutes / 60
        required = {
            k: float(v.sum()) * hours_per_interval for k, v in required_agents(scenario).items()
        }
        capacity = sum(a.max_hours for a in scenario.agents)
        assert 0.60 * capacity <= sum(required.values()) <= 0.80 * capacity, name
        for language in {lang for lang, _ in required}:
            speakers = sum(a.max_hours for a in scenario.agents if language in a.languages)
            asked = sum(h for (lang, _), h in required.items() if lang == language)
            assert asked <= 0.6 * speakers, (name, language)
        for (language, tier), hours in required.items():
            if tier == "L2":
                l2 = [a for a in scenario.agents if a.tier == "L2" and language in a.languages]
                assert hours <= 0.6 * sum(a.max_hours for a in l2), (name, language)


# --- command line and arguments -----------------------------------------------------------


def test_main_generate_writes_the_folder_and_says_so(tmp_path: Path, capsys) -> None:
    out = tmp_path / "week50"
    arguments = Namespace(agents=16, seed=3, interval=60, week_start="2026-12-07", out=str(out))
    assert main_generate(arguments) == 0
    settings = read_toml(out)
    assert str(settings["week_start"]) == "2026-12-07"
    assert settings["interval_minutes"] == 60
    assert len(read_csv(out / "agents.csv")) == 16
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments",
    [{"interval_minutes": 20}, {"agents": 0}, {"languages": ("en", "it")}, {"shrinkage": 1.0}],
)
def test_impossible_arguments_are_rejected(tmp_path: Path, arguments: dict) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, **arguments)
