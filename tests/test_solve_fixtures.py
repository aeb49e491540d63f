"""Every bundled fixture, and generated weeks of other sizes, zones and grids, solve into
rosters that the independent validator accepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from roster.check import check_roster
from roster.engine import SolveOptions, solve
from roster.generate import generate_scenario
from roster.kpi import summarize
from roster.scenario import load_scenario

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHORT = SolveOptions(time_limit_seconds=3, workers=2, seed=0)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_solves_into_a_valid_roster(name: str) -> None:
    scenario = load_scenario(FIXTURES / name)
    roster = solve(scenario, SHORT)
    assert check_roster(scenario, roster) == []
    summary = summarize(scenario, roster)
    # The fixtures are staffed to be coverable: a usable roster covers most of the need.
    assert summary.coverage_pct > 85


@pytest.mark.parametrize(
    ("agents", "seed", "interval", "week_start", "zone"),
    [
        (24, 7, 15, date(2026, 10, 19), "America/Sao_Paulo"),  # a quarter-hour grid
        (30, 11, 60, date(2026, 10, 19), "Australia/Sydney"),  # Sydney's clocks don't move
        (30, 5, 30, date(2026, 10, 19), "Europe/London"),  # London falls back on 10-25
    ],
)
def test_generated_week_solves_into_a_valid_roster(
    tmp_path: Path, agents: int, seed: int, interval: int, week_start: date, zone: str
) -> None:
    folder = generate_scenario(
        tmp_path / "week",
        agents,
        seed,
        week_start=week_start,
        planning_timezone=zone,
        interval_minutes=interval,
    )
    scenario = load_scenario(folder)
    roster = solve(scenario, SHORT)
    assert check_roster(scenario, roster) == []
