"""Page render benchmark: `python -m api.views.bench [--agents 500] [--repeat 10]`. Not a test.

Builds a seeded scenario of N agents (roster.generate) and a valid roster for it (the
feed benchmark's greedy roster, checked by the validator), stores and publishes it in a
temporary SQLite file, then times every page through the ASGI app in-process: routing,
session check, database reads and template rendering, without network. Prints the median
and slowest time of each page and its size. The KPI summary is computed once first and
timed on its own: pages read it from the cache afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from api.app import create_app
from api.loadbench import benchmark_roster
from api.settings import Settings
from roster.generate import generate_scenario
from roster.scenario import SCENARIO_FILES, load_scenario

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

BENCH_KEY = "page-benchmark-manager-key-0123456789"
BASE = "https://bench.local"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        run(Path(work), args.agents, args.repeat, args.seed)
    return 0


def run(work: Path, agents: int, repeat: int, seed: int) -> None:
    folder = work / "scenario"
    generate_scenario(folder, agents=agents, seed=seed)
    scenario = load_scenario(folder)
    started = time.perf_counter()
    document = benchmark_roster(scenario).to_json()
    print(
        f"{agents} agents, {len(document['shifts'])} shifts, {scenario.interval_minutes}-min "
        f"intervals, {len(scenario.queues)} queues (roster built in "
        f"{time.perf_counter() - started:.1f} s)"
    )
    settings = Settings(
        database_url=f"sqlite:///{work / 'bench.sqlite3'}", api_key=BENCH_KEY, public_base_url=BASE
    )
    auth = {"Authorization": f"Bearer {BENCH_KEY}"}
    with TestClient(create_app(settings), base_url=BASE) as client:
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
        link = client.post(f"/scenarios/{scenario_id}/agents/{agent_id}/link", headers=auth).json()
        client.post("/ui/login", data={"api_key": BENCH_KEY}).raise_for_status()

        cache = client.app.state.roster_cache
        started = time.perf_counter()
        cache.summary(roster_id, wait_seconds=3600)
        print(
            f"KPI summary (roster.kpi.summarize), once per roster: "
            f"{time.perf_counter() - started:.2f} s\n"
        )

        roster = f"/ui/rosters/{roster_id}"
        pages = {
            "scenarios list": "/ui/scenarios",
            "scenario (agents, solves)": f"/ui/scenarios/{scenario_id}",
            "roster: KPI cards": roster,
            "roster: week grid": f"{roster}/week",
            "roster: week, agents' zones": f"{roster}/week?zone=agent",
            "roster: week, filtered (fr)": f"{roster}/week?language=fr",
            "roster: coverage charts": f"{roster}/coverage",
            "agent page (+ changes)": f"/ui/agent/{link['token']}",
        }
        print(f"{'page':<30} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'size kB':>8}")
        for name, path in pages.items():
            first, median, slowest, size = timed(lambda path=path: client.get(path), repeat)
            print(f"{name:<30} {first:>9.1f} {median:>10.1f} {slowest:>8.1f} {size / 1000:>8.0f}")


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
