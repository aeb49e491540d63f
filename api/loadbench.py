"""Feed load benchmark: `python -m api loadbench` (arguments in api.cli). Not a test.

Starts a real server on a free localhost port with a fresh SQLite file, stores a seeded
500-agent scenario and a roster for it (built greedily, not solved, and checked by the
validator), publishes it, issues every agent a link, then lets N concurrent asyncio
clients fetch agents' feeds until a request count or a time budget is used up. Prints
requests/s, latency percentiles and errors. Traffic goes to 127.0.0.1 only and stops by
itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np

from roster.check import check_roster, format_violations
from roster.generate import generate_scenario
from roster.model import Agent, Scenario
from roster.result import CoverageRow, Roster, Shift
from roster.scenario import SCENARIO_FILES, load_scenario
from roster.shift_options import Candidate, candidate_shifts
from roster.staffing import required_agents
from roster.timegrid import iso

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_MIN_HOURS = 16  # hours every benchmark agent works, so that every feed has events


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def report(self) -> str:
        lat = np.array(self.latencies) * 1000 if self.latencies else np.zeros(1)
        done = len(self.latencies)
        failed = sum(self.errors.values())
        return "\n".join(
            [
                f"requests   {done} in {self.seconds:.1f} s = {done / self.seconds:.0f} req/s",
                f"latency    p50 {np.percentile(lat, 50):.1f} ms   p90 "
                f"{np.percentile(lat, 90):.1f} ms   p99 {np.percentile(lat, 99):.1f} ms   "
                f"max {lat.max():.1f} ms",
                f"statuses   {dict(sorted(self.statuses.items()))}",
                f"errors     {failed}" + (f" {dict(self.errors)}" if failed else ""),
            ]
        )


def main_loadbench(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="roster-loadbench-") as folder:
        work = Path(folder)
        print(f"building a {args.agents}-agent scenario and roster ...", flush=True)
        scenario_dir = generate_scenario(work / "scenario", agents=args.agents, seed=args.seed)
        scenario = load_scenario(scenario_dir)
        roster = benchmark_roster(scenario)
        print(f"  {len(roster.shifts)} shifts, validator: OK", flush=True)
        key = secrets.token_urlsafe(32)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _start_server(work, port, key, scenario)
        try:
            tokens = _prepare(base, key, scenario_dir, roster, scenario)
            warm_up = asyncio.run(_warm_up(port, tokens))
            print(f"warm-up: every feed built once, {len(tokens)} in {warm_up:.1f} s", flush=True)
            print(
                f"load: {args.clients} clients, up to {args.requests} requests or "
                f"{args.duration:g} s, think {args.think_ms:g} ms"
                + (", revalidating" if args.revalidate else ""),
                flush=True,
            )
            results = asyncio.run(_load(base, tokens, args))
        finally:
            server.terminate()
            server.wait(15)
    print(results.report())
    return 0 if not results.errors else 1


# --- a valid roster without a solve ------------------------------------------------------


def benchmark_roster(scenario: Scenario) -> Roster:
    """A valid roster without a solve: each agent greedily takes one shift per local day
    until its minimum hours, queues assigned greedily; checked by the validator."""
    shifts = [
        Shift(c.agent_id, c.start, c.end)
        for agent in scenario.agents
        for c in _agent_week(scenario, agent)
    ]
    return checked_roster(scenario, shifts)


def checked_roster(scenario: Scenario, shifts: list[Shift]) -> Roster:
    """`shifts` with queues assigned greedily and coverage, as a roster the validator
    accepts (or the benchmark stops, naming what is wrong)."""
    scheduled, labels = _assign_queues(scenario, shifts)
    roster = Roster(
        status="FEASIBLE",
        objective=0.0,
        bound=0.0,
        solve_seconds=0.0,
        shifts=[
            Shift(s.agent_id, s.start, s.end, labels.get((s.agent_id, s.start))) for s in shifts
        ],
        coverage=_coverage(scenario, scheduled),
    )
    violations = check_roster(scenario, roster)
    if violations:
        raise SystemExit(format_violations(violations))
    return roster


def _agent_week(scenario: Scenario, agent: Agent) -> list[Candidate]:
    """Earliest allowed shift of each local day, keeping rest and consecutive-day rules,
    until the agent's minimum hours (at least BENCH_MIN_HOURS, so every feed has events)."""
    by_day: dict[int, list[Candidate]] = {}
    for c in candidate_shifts(scenario, agent):
        by_day.setdefault(c.local_day, []).append(c)
    target = max(agent.min_hours, min(agent.max_hours, BENCH_MIN_HOURS))
    rest = timedelta(hours=scenario.rules.min_rest_hours)
    for prefer_long in (False, True):
        picks: list[Candidate] = []
        hours, streak = 0.0, 0
        for day in sorted(by_day):
            if hours >= target:
                break
            streak = streak + 1 if picks and picks[-1].local_day == day - 1 else 1
            if streak > scenario.rules.max_consecutive_days:
                streak = 0
                continue
            options = [
                c
                for c in by_day[day]
                if (not picks or c.start >= picks[-1].end + rest)
                and hours + c.minutes / 60 <= agent.max_hours
            ]
            if options:
                best = min(
                    options, key=lambda c: (c.start, -c.minutes if prefer_long else c.minutes)
                )
                picks.append(best)
                hours += best.minutes / 60
        if hours >= agent.min_hours:
            return picks
    raise SystemExit(f"agent {agent.id}: no greedy week reaches min_hours {agent.min_hours:g}")


def _assign_queues(
    scenario: Scenario, shifts: list[Shift]
) -> tuple[dict[tuple[str, str], np.ndarray], dict[tuple[str, object], str]]:
    """Each on-shift agent serves the open queue it can serve that is furthest behind."""
    grid = scenario.grid
    required = required_agents(scenario)
    keys = [q.key for q in scenario.queues]
    scheduled = {k: np.zeros(grid.n_intervals, dtype=int) for k in keys}
    served: dict[tuple[str, object], Counter] = {}
    for shift in shifts:
        agent = scenario.agents_by_id[shift.agent_id]
        servable = [k for k in keys if agent.can_serve(k)]
        if not servable:
            continue
        first = grid.minutes_from_start(shift.start) // scenario.interval_minutes
        last = grid.minutes_from_start(shift.end) // scenario.interval_minutes
        counts = served.setdefault((shift.agent_id, shift.start), Counter())
        for i in range(first, last):
            best = max(servable, key=lambda k: required[k][i] - scheduled[k][i])
            scheduled[best][i] += 1
            counts[best] += 1
    labels = {
        shift: "-".join(counts.most_common(1)[0][0]) for shift, counts in served.items() if counts
    }
    return scheduled, labels


def _coverage(scenario: Scenario, scheduled: dict) -> list[CoverageRow]:
    required = required_agents(scenario)
    return [
        CoverageRow(start, q.language, q.tier, float(required[q.key][i]), int(scheduled[q.key][i]))
        for i, start in enumerate(scenario.grid.interval_starts())
        for q in scenario.queues
    ]


# --- the server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(work: Path, port: int, key: str, scenario: Scenario) -> subprocess.Popen:
    now = scenario.grid.start - timedelta(days=3)  # the published week is in every feed
    env = {
        **os.environ,
        "ROSTER_DB_PATH": str(work / "bench.sqlite3"),
        "ROSTER_API_KEY": key,
        "ROSTER_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ROSTER_FIXED_NOW": iso(now),
        "ROSTER_MAX_UPLOAD_BYTES": str(100_000_000),
    }
    env.pop("ROSTER_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        "-m",
        "api",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    server.wait()
    raise SystemExit("the server did not start within 30 s")


def _prepare(base: str, key: str, folder: Path, roster: Roster, scenario: Scenario) -> list[str]:
    """Upload, publish, issue links; returns one feed token per agent."""
    with httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120
    ) as client:
        files = [
            ("files", (n, (folder / n).read_bytes(), "text/plain"))
            for n in SCENARIO_FILES
            if (folder / n).exists()
        ]
        scenario_id = _ok(client.post("/scenarios", files=files))["id"]
        roster_id = _ok(client.post(f"/scenarios/{scenario_id}/rosters", json=roster.to_json()))[
            "id"
        ]
        _ok(client.post(f"/rosters/{roster_id}/publish"))
        base = f"/scenarios/{scenario_id}/agents"
        links = [f"{base}/{quote(a.id, safe='')}/link" for a in scenario.agents]
        return [_ok(client.post(link))["token"] for link in links]


def _ok(response: httpx.Response) -> dict:
    if response.status_code >= 300:
        raise SystemExit(
            f"{response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json()


# --- the load ----------------------------------------------------------------------------


async def _warm_up(port: int, tokens: list[str], connections: int = 10) -> float:
    """Fetch every feed once so the measured load sees the steady state (feeds cached)."""
    started = time.monotonic()
    queue = iter(tokens)

    async def fetch_all() -> None:
        async with RawFeedClient(port) as client:
            for token in queue:
                await client.get(f"/calendar/{token}.ics", None)

    await asyncio.gather(*(fetch_all() for _ in range(connections)))
    return time.monotonic() - started


async def _load(base: str, tokens: list[str], args: argparse.Namespace) -> Results:
    """Every client loops: pick the next agent's feed, GET it, record, pause `think_ms`."""
    results = Results()
    budget = iter(range(args.requests))
    deadline = time.monotonic() + args.duration
    etags: dict[str, str] = {}
    port = int(base.rsplit(":", 1)[1])
    factory = HttpxFeedClient if args.client == "httpx" else RawFeedClient

    async def one_client(number: int) -> None:
        async with factory(port) as client:
            # Spread the clients over one think time, as independent pollers would be.
            await asyncio.sleep(args.think_ms / 1000 * number / args.clients)
            for n in budget:
                if time.monotonic() > deadline:
                    return
                token = tokens[(n * 7 + number) % len(tokens)]
                etag = etags.get(token) if args.revalidate else None
                started = time.perf_counter()
                try:
                    status, new_etag = await client.get(f"/calendar/{token}.ics", etag)
                except (OSError, asyncio.IncompleteReadError, httpx.HTTPError) as exc:
                    results.errors[type(exc).__name__] += 1
                    continue
                results.latencies.append(time.perf_counter() - started)
                results.statuses[status] += 1
                if status == 200:
                    etags[token] = new_etag
                elif status != 304:
                    results.errors[f"HTTP {status}"] += 1
                if args.think_ms:
                    await asyncio.sleep(args.think_ms / 1000)

    started = time.monotonic()
    await asyncio.gather(*(one_client(i) for i in range(args.clients)))
    results.seconds = time.monotonic() - started
    return results


class RawFeedClient:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for GET.

    httpx's async pool costs more CPU per request than the server does at this
    concurrency, so with it the benchmark would mostly measure the client.
    """

    def __init__(self, port: int) -> None:
        self.port = port

    async def __aenter__(self) -> RawFeedClient:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()
        await self.writer.wait_closed()

    async def get(self, path: str, etag: str | None) -> tuple[int, str]:
        extra = f"If-None-Match: {etag}\r\n" if etag else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        await self.reader.readexactly(int(headers.get("content-length", "0")))
        return int(head[0].split()[1]), headers.get("etag", "")


class HttpxFeedClient:
    """The same requests through httpx, for comparison (`--client httpx`)."""

    def __init__(self, port: int) -> None:
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30)

    async def __aenter__(self) -> HttpxFeedClient:
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.__aexit__(*exc)

    async def get(self, path: str, etag: str | None) -> tuple[int, str]:
        response = await self.client.get(path, headers={"If-None-Match": etag} if etag else {})
        return response.status_code, response.headers.get("etag", "")
