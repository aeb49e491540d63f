"""A real `python -m api serve` process on a free localhost port, driven over HTTP:
upload -> solve -> publish -> agent page -> agent feed, a changed roster re-published,
then the server killed mid-solve and restarted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import psutil
import pytest
from icalendar import Calendar

from api.loadbench import benchmark_roster
from roster.check import check_roster
from roster.model import Scenario
from roster.result import CoverageRow, Roster, Shift
from roster.scenario import load_scenario
from tests.api.helpers import MANAGER_KEY

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
AUTH = {"Authorization": f"Bearer {MANAGER_KEY}"}
NOW = "2026-11-25T09:00:00Z"  # the fixture's week (30 Nov) is inside the feed window


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    @property
    def port(self) -> str:
        return self.url.rsplit(":", 1)[1]

    def start(self) -> None:
        command = [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", self.port]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not start:\n" + self.log.read_text())

    def stop(self, sig: int = signal.SIGTERM) -> None:
        assert self.process is not None
        self.process.send_signal(sig)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(work: Path, url: str, uid_domain: str, now: str = NOW) -> dict[str, str]:
    """Environment of a test server: its own SQLite file, a fixed clock, short solves."""
    env = {
        **os.environ,
        "ROSTER_DB_PATH": str(work / "roster.sqlite3"),
        "ROSTER_API_KEY": MANAGER_KEY,
        "ROSTER_PUBLIC_BASE_URL": url,
        "ROSTER_FIXED_NOW": now,
        "ROSTER_SOLVE_TIME_LIMIT": "5",
        "ROSTER_UID_DOMAIN": uid_domain,
    }
    env.pop("ROSTER_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    running = Server(url, server_env(tmp_path, url, "e2e.test"), tmp_path / "server.log")
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def upload_small(client: httpx.Client) -> int:
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(SMALL.iterdir())]
    response = client.post("/scenarios", files=files)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def wait_for_job(client: httpx.Client, job_id: int, states: tuple[str, ...]) -> dict:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["state"] in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} never reached {states}: {job}")


def feed_events(body: bytes) -> dict[str, dict]:
    return {
        str(e["UID"]): {
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
            "sequence": int(e["SEQUENCE"]),
            "status": str(e["STATUS"]),
        }
        for e in Calendar.from_ical(body).walk("VEVENT")
    }


def uid(agent_id: str, start: datetime) -> str:
    return f"shift-{start:%Y%m%dT%H%M%SZ}-{agent_id}@e2e.test"


def changed_roster(scenario: Scenario, roster: Roster) -> tuple[Roster, Shift, Shift]:
    """The roster with one shift removed (coverage recounted so that the validator accepts
    it) and another shift relabelled to a different queue its agent can serve. Which
    shifts depends on the solve, so the first that keep the roster valid are taken."""
    removed, changed = None, roster
    for shift in sorted(roster.shifts, key=lambda s: (s.agent_id, s.start)):
        others = [s for s in roster.shifts if s is not shift]
        candidate = Roster(
            roster.status,
            roster.objective,
            roster.bound,
            roster.solve_seconds,
            others,
            without_agent(scenario, roster.coverage, shift),
        )
        if check_roster(scenario, candidate) == []:
            removed, changed = shift, candidate
            break
    assert removed is not None, "no shift can be removed validly"
    for shift in sorted(changed.shifts, key=lambda s: (s.agent_id, s.start)):
        agent = scenario.agents_by_id[shift.agent_id]
        labels = [q.label for q in scenario.queues if agent.can_serve(q.key)]
        if len(labels) > 1:
            relabelled = Shift(
                shift.agent_id,
                shift.start,
                shift.end,
                next(label for label in labels if label != shift.queue),
            )
            changed.shifts = [relabelled if s is shift else s for s in changed.shifts]
            assert check_roster(scenario, changed) == []
            return changed, removed, relabelled
    raise AssertionError("no agent of the fixture serves two queues")


def summary(scenario: Scenario, shift: Shift) -> str:
    agent = scenario.agents_by_id[shift.agent_id]
    return f"Shift {shift.queue} · {' '.join(agent.languages)} · {agent.tier}"


def without_agent(scenario: Scenario, coverage: list[CoverageRow], removed: Shift) -> list:
    """Take the removed shift's agent out of one queue it can serve in each of its intervals."""
    agent = scenario.agents_by_id[removed.agent_id]
    rows = list(coverage)
    for start in {r.start for r in rows if removed.start <= r.start < removed.end}:
        for k, row in enumerate(rows):
            servable = agent.can_serve((row.language, row.tier))
            if row.start == start and row.scheduled > 0 and servable:
                rows[k] = CoverageRow(
                    row.start, row.language, row.tier, row.required, row.scheduled - 1
                )
                break
    return rows


def test_upload_solve_publish_agent_page_and_feed_then_republish(server: Server) -> None:
    scenario = load_scenario(SMALL)
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client:
        scenario_id = upload_small(client)
        job = client.post(f"/scenarios/{scenario_id}/jobs", json={"time_limit_seconds": 3})
        assert job.status_code == 202
        started = time.monotonic()
        assert httpx.get(f"{server.url}/health", timeout=2).status_code == 200
        assert time.monotonic() - started < 1.0  # responsive while the worker solves
        job = wait_for_job(client, job.json()["id"], ("succeeded", "failed", "cancelled"))
        assert job["state"] == "succeeded", job
        roster = Roster.from_json(client.get(f"/rosters/{job['roster_id']}/roster.json").json())
        assert check_roster(scenario, roster) == []
        assert client.post(f"/rosters/{job['roster_id']}/publish").status_code == 200
        links = {
            agent.id: client.post(f"/scenarios/{scenario_id}/agents/{agent.id}/link").json()
            for agent in scenario.agents
        }

        for agent in scenario.agents:
            link = links[agent.id]
            assert link["webcal_url"] == (
                f"webcal://127.0.0.1:{server.port}/calendar/{link['token']}.ics"
            )
            mine = sorted(
                (s for s in roster.shifts if s.agent_id == agent.id), key=lambda s: s.start
            )
            page = httpx.get(link["api_url"]).json()
            assert (page["name"], page["timezone"]) == (agent.name, agent.timezone)
            assert [(s["start_utc"], s["end_utc"], s["queue"]) for s in page["upcoming"]] == [
                (f"{s.start:%Y-%m-%dT%H:%M:%SZ}", f"{s.end:%Y-%m-%dT%H:%M:%SZ}", s.queue)
                for s in mine
            ]
            feed = httpx.get(link["feed_url"])
            assert feed.status_code == 200
            assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
            assert feed_events(feed.content) == {
                uid(agent.id, s.start): {
                    "start": s.start,
                    "end": s.end,
                    "summary": summary(scenario, s),
                    "sequence": 0,
                    "status": "CONFIRMED",
                }
                for s in mine
            }
            link["etag"] = feed.headers["etag"]

        changed, removed, relabelled = changed_roster(scenario, roster)
        upload = client.post(f"/scenarios/{scenario_id}/rosters", json=changed.to_json())
        assert upload.status_code == 201, upload.text
        assert client.post(f"/rosters/{upload.json()['id']}/publish").status_code == 200

    for shift, status in ((removed, "CANCELLED"), (relabelled, "CONFIRMED")):
        link = links[shift.agent_id]
        again = httpx.get(link["feed_url"], headers={"If-None-Match": link["etag"]})
        assert again.status_code == 200
        events = feed_events(again.content)
        before = [s for s in roster.shifts if s.agent_id == shift.agent_id]
        assert set(events) == {uid(s.agent_id, s.start) for s in before}
        event = events[uid(shift.agent_id, shift.start)]
        assert (event["status"], event["sequence"]) == (status, 1)
        expected = summary(scenario, shift)
        assert event["summary"] == (f"Cancelled: {expected}" if status == "CANCELLED" else expected)
        untouched = {s.start for s in before} - {removed.start, relabelled.start}
        assert all(events[uid(shift.agent_id, start)]["sequence"] == 0 for start in untouched)


def test_killed_server_fails_its_solve_on_restart_and_keeps_published_rosters(
    server: Server,
) -> None:
    scenario = load_scenario(SMALL)
    published = benchmark_roster(scenario).to_json()  # valid (checked), no solve needed
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client:
        scenario_id = upload_small(client)
        roster_id = client.post(f"/scenarios/{scenario_id}/rosters", json=published).json()["id"]
        client.post(f"/rosters/{roster_id}/publish").raise_for_status()
        job_id = client.post(
            f"/scenarios/{scenario_id}/jobs", json={"time_limit_seconds": 60}
        ).json()["id"]
        wait_for_job(client, job_id, ("running",))
        assert server.process is not None
        workers = psutil.Process(server.process.pid).children(recursive=True)
        assert workers, "no solve worker process"
        server.stop(signal.SIGKILL)
        _gone, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == [], "orphaned solve workers kept running"

    server.start()
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client:
        job = client.get(f"/jobs/{job_id}").json()
        # The orphaned worker records the failure itself; had it not, the restart would have.
        assert job["state"] == "failed"
        assert job["error"] in (
            "the server stopped during the solve",
            "server restarted during the solve",
        )
        states = {r["id"]: r["state"] for r in client.get("/rosters").json()}
        assert states == {roster_id: "published"}
        assert client.get(f"/rosters/{roster_id}/roster.json").json() == published
