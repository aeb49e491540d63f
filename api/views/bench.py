"""Page render benchmark: `python -m api.views.bench [--agents 500] [--weeks 1] [--repeat 10]`.
Not a test.

Builds a seeded scenario of N agents over 1 to 12 weeks (roster.generate) and a valid
roster for it (a greedy roster checked by the validator: the feed benchmark's for one
week, the same greedy week after week for longer horizons), stores and publishes it in a
temporary SQLite file, then times every page through the ASGI app in-process: routing,
session check, database reads and template rendering, without network. The server's clock
is fixed at Tuesday 09:00 UTC of the first week, so pages open on week 1 and the agent
page shows every week. Prints the median and slowest time of each page and its size. The
KPI summary is computed once first and timed on its own: pages read it from the cache
afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from api.app import create_app
from api.loadbench import BENCH_MIN_HOURS, benchmark_roster, checked_roster
from api.settings import Settings
from roster.generate import generate_scenario
from roster.model import Agent, Scenario
from roster.result import Roster, Shift
from roster.scenario import SCENARIO_FILES, load_scenario
from roster.shift_options import Candidate, candidate_shifts

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

BENCH_KEY = "page-benchmark-manager-key-0123456789"
BASE = "https://bench.local"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=1, choices=range(1, 13), metavar="1..12")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        run(Path(work), args.agents, args.repeat, args.seed, args.weeks)
    return 0


def run(work: Path, agents: int, repeat: int, seed: int, weeks: int = 1) -> None:
    folder = work / "scenario"
    generate_scenario(folder, agents=agents, seed=seed, weeks=weeks)
    scenario = load_scenario(folder)
    started = time.perf_counter()
    document = horizon_roster(scenario).to_json()
    print(
        f"{agents} agents, {weeks} week{'s' if weeks > 1 else ''}, {len(document['shifts'])} "
        f"shifts, {scenario.interval_minutes}-min intervals, {len(scenario.queues)} queues "
        f"(roster built in {time.perf_counter() - started:.1f} s)"
    )
    settings = Settings(
        database_url=f"sqlite:///{work / 'bench.sqlite3'}", api_key=BENCH_KEY, public_base_url=BASE
    )
    auth = {"Authorization": f"Bearer {BENCH_KEY}"}
    now = scenario.grid.start + timedelta(days=1, hours=9)
    with TestClient(create_app(settings, lambda: now), base_url=BASE) as client:
        files = {
            name: (folder / name).read_text() for name in SCENARIO_FILES if (folder / name).exists()
        }
        scenario_id = client.post("/scenarios", json={"files": files}, headers=auth).json()["id"]
        roster_id = client.post(
            f"/scenarios/{scenario_id}/rosters", json=document, headers=auth
        ).json()["id"]
        # Published twice, so that the agent page also compares two publications.
        for _ in range(2):
            client.post(f"/rosters/{roster_id}/publish", headers=auth).raise_for_status()
        agent_id = scenario.agents[0].id
        link = client.post(
            f"/scenarios/{scenario_id}/agents/{quote(agent_id, safe='')}/link", headers=auth
        ).json()
        client.post("/ui/login", data={"api_key": BENCH_KEY}).raise_for_status()

        cache = client.app.state.roster_cache
        started = time.perf_counter()
        cache.summary(roster_id, wait_seconds=3600)
        print(
            f"KPI summary (roster.kpi.summarize), once per roster: "
            f"{time.perf_counter() - started:.2f} s\n"
        )

        print(f"{'page':<32} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'size kB':>8}")
        for name, path in pages(scenario_id, roster_id, link["token"], weeks).items():
            first, median, slowest, size = timed(lambda path=path: client.get(path), repeat)
            print(f"{name:<32} {first:>9.1f} {median:>10.1f} {slowest:>8.1f} {size / 1000:>8.0f}")


def pages(scenario_id: int, roster_id: int, token: str, weeks: int) -> dict[str, str]:
    roster = f"/ui/rosters/{roster_id}"
    timed_pages = {
        "scenarios list": "/ui/scenarios",
        "scenario (agents, solves)": f"/ui/scenarios/{scenario_id}",
        "roster: KPI cards": roster,
        "roster: week grid": f"{roster}/week",
        "roster: week, agents' zones": f"{roster}/week?zone=agent",
        "roster: week, filtered (fr)": f"{roster}/week?language=fr",
        "roster: coverage charts": f"{roster}/coverage",
        "agent page (+ changes)": f"/ui/agent/{token}",
    }
    if weeks > 1:
        timed_pages |= {
            f"roster: week grid, week {weeks}": f"{roster}/week?week={weeks}",
            "roster: week 2, agents' zones": f"{roster}/week?week=2&zone=agent",
            f"roster: coverage, week {weeks}": f"{roster}/coverage?week={weeks}",
            "roster: hours by week": f"{roster}/hours",
        }
    return timed_pages


def horizon_roster(scenario: Scenario) -> Roster:
    """A valid roster without a solve. One week: the feed benchmark's. Longer horizons:
    the same greedy, week after week: each agent takes the earliest allowed shift of each
    local day until its weekly minimum (at least BENCH_MIN_HOURS) in every week, keeping
    rest and the run of days across weeks; queues as the feed benchmark assigns them."""
    if scenario.weeks == 1:
        return benchmark_roster(scenario)
    shifts = [
        Shift(c.agent_id, c.start, c.end)
        for agent in scenario.agents
        for c in _agent_horizon(scenario, agent)
    ]
    return checked_roster(scenario, shifts)


def _agent_horizon(scenario: Scenario, agent: Agent) -> list[Candidate]:
    by_day: dict[int, list[Candidate]] = {}
    for c in candidate_shifts(scenario, agent):
        by_day.setdefault(c.local_day, []).append(c)
    for prefer_long in (False, True):
        picks, hours = _greedy_horizon(scenario, agent, by_day, prefer_long)
        if all(h >= agent.min_hours for h in hours):
            return picks
    raise SystemExit(f"agent {agent.id}: no greedy horizon reaches min_hours in every week")


def _greedy_horizon(
    scenario: Scenario, agent: Agent, by_day: dict[int, list[Candidate]], prefer_long: bool
) -> tuple[list[Candidate], list[float]]:
    target = max(agent.min_hours, min(agent.max_hours, BENCH_MIN_HOURS))
    rest = timedelta(hours=scenario.rules.min_rest_hours)
    picks: list[Candidate] = []
    hours = [0.0] * scenario.weeks
    for day in sorted(by_day):
        streak = _run_before(picks, day) + 1
        if streak > scenario.rules.max_consecutive_days:
            continue
        options = [c for c in by_day[day] if _fits(c, picks, hours, rest, target, scenario, agent)]
        if options:
            best = min(options, key=lambda c: (c.start, -c.minutes if prefer_long else c.minutes))
            picks.append(best)
            hours[scenario.week_of(best.start)] += best.minutes / 60
    return picks, hours


def _run_before(picks: list[Candidate], day: int) -> int:
    """Days in a row with a shift right before local day `day`."""
    run = 0
    for c in reversed(picks):
        if c.local_day != day - 1 - run:
            break
        run += 1
    return run


def _fits(
    c: Candidate,
    picks: list[Candidate],
    hours: list[float],
    rest: timedelta,
    target: float,
    scenario: Scenario,
    agent: Agent,
) -> bool:
    week = scenario.week_of(c.start)
    return (
        hours[week] < target
        and hours[week] + c.minutes / 60 <= agent.max_hours
        and (not picks or c.start >= picks[-1].end + rest)
    )


def timed(fetch: Callable, repeat: int) -> tuple[float, float, float, int]:
    """First request (templates compiled, roster parsed), then the median and max of more."""
    started = time.perf_counter()
    fetch()
    first = 1000 * (time.perf_counter() - started)
    times = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = fetch()
        times.append(1000 * (time.perf_counter() - started))
        response.raise_for_status()
        size = len(response.content)
    return first, statistics.median(times), max(times), size


if __name__ == "__main__":
    raise SystemExit(main())
