"""Helpers for the page tests: a logged-in client, and a tiny DST-week scenario.

The DST-week scenario has one agent in Paris who may only work 09:00-17:00 local on 8-hour
shifts and is off Monday to Friday, with exactly 16 hours to work: the only valid roster
gives her Saturday 28 and Sunday 29 March 2026, 09:00-17:00 Paris time. Europe moves to
summer time at 02:00 on that Sunday, so the two shifts start at 08:00 and 07:00 UTC.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.api.helpers import AGENTS_HEADER, MANAGER_KEY, TestClient

# The browser tests' Chromium (Debian's), the server they run against and the manager's
# viewport; the fixtures are in conftest.py.
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOW = "2026-03-24T09:00:00Z"  # Tuesday of the DST week: the agent page's "this week"
MANAGER_VIEW = {"width": 1440, "height": 900}

DST_SCENARIO_TOML = """name = "DST week"
week_start = "2026-03-23"
planning_timezone = "Europe/Paris"
interval_minutes = 60

[staffing]
shrinkage = 0.0
max_occupancy = 0.85
escalation_rate = 0.0

[rules]
shift_hours = [8]
shift_start_step_minutes = 60
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 300
service_level = 0.8
answer_seconds = 60
min_agents = 0
"""
DST_AGENTS_CSV = f"""{AGENTS_HEADER}
d01,Dana Weekend,Europe/Paris,en,L1,employee,16,16,20.00,09:00,17:00
d02,Kai Santos,Asia/Manila,en fr,L2,freelance,0,40,15.00,00:00,24:00
"""
DST_TIME_OFF_CSV = """agent_id,start,end
d01,2026-03-23T00:00:00+01:00,2026-03-28T00:00:00+01:00
"""
DST_FILES = {
    "scenario.toml": DST_SCENARIO_TOML,
    "agents.csv": DST_AGENTS_CSV,
    "forecast.csv": "start,language,tier,tickets\n",
    "time_off.csv": DST_TIME_OFF_CSV,
}


def write_dst_scenario(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DST_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def log_in(client: TestClient) -> None:
    response = client.post("/ui/login", data={"api_key": MANAGER_KEY}, follow_redirects=False)
    assert response.status_code == 303, response.text


def agent_page_path(client: TestClient, scenario_id: int, agent_id: str) -> str:
    """Make the agent's link through the manager page and return the page's path."""
    page = client.post(f"/ui/scenarios/{scenario_id}/agents/{agent_id}/link")
    assert page.status_code == 200, page.text
    url = re.search(r'id="agent-page-link" href="([^"]+)"', page.text)
    assert url is not None, page.text
    return urlsplit(url.group(1)).path


def text_of(html: str) -> str:
    """The page's text with tags dropped and whitespace collapsed, for exact phrases."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\s+", " ", without_tags).strip()
    return text.replace("&#39;", "'").replace("&amp;", "&")


# Three weeks from Monday 16 March 2026 in Paris, with the change to summer time on Sunday
# 29 March (week 2). Wanda (Paris) may only work 09:00-17:00 local on 8-hour shifts, is off
# Monday to Friday every week and must work exactly 16 hours a week: the only valid roster
# gives her Saturday and Sunday 09:00-17:00 Paris time in each week. Mika (Manila, no DST)
# may only work 09:00-17:00 Manila time on Wednesdays and must work 8 hours a week: one
# shift each Wednesday, 01:00-09:00 UTC. One ticket arrives on Tuesday 24 March 10:00-11:00
# Paris time, when nobody may work: the only shortfall, in week 2 (see test_multiweek).
MULTIWEEK_SCENARIO_TOML = """name = "Three weeks around the DST change"
week_start = "2026-03-16"
weeks = 3
planning_timezone = "Europe/Paris"
interval_minutes = 60

[staffing]
shrinkage = 0.0
max_occupancy = 0.85
escalation_rate = 0.0

[rules]
shift_hours = [8]
shift_start_step_minutes = 60
min_rest_hours = 11
max_consecutive_days = 6

[[queue]]
language = "en"
tier = "L1"
aht_seconds = 300
service_level = 0.8
answer_seconds = 60
min_agents = 0
"""
MULTIWEEK_AGENTS_CSV = f"""{AGENTS_HEADER}
w01,Wanda Weekend,Europe/Paris,en,L1,employee,16,16,20.00,09:00,17:00
w02,Mika Santos,Asia/Manila,en,L1,freelance,8,8,15.00,09:00,17:00
"""
MULTIWEEK_TIME_OFF_CSV = """agent_id,start,end
w01,2026-03-16T00:00:00+01:00,2026-03-21T00:00:00+01:00
w01,2026-03-23T00:00:00+01:00,2026-03-28T00:00:00+01:00
w01,2026-03-30T00:00:00+02:00,2026-04-04T00:00:00+02:00
w02,2026-03-16T00:00:00+08:00,2026-03-18T00:00:00+08:00
w02,2026-03-19T00:00:00+08:00,2026-03-25T00:00:00+08:00
w02,2026-03-26T00:00:00+08:00,2026-04-01T00:00:00+08:00
w02,2026-04-02T00:00:00+08:00,2026-04-07T00:00:00+08:00
"""
MULTIWEEK_FILES = {
    "scenario.toml": MULTIWEEK_SCENARIO_TOML,
    "agents.csv": MULTIWEEK_AGENTS_CSV,
    "forecast.csv": "start,language,tier,tickets\n2026-03-24T10:00:00+01:00,en,L1,1\n",
    "time_off.csv": MULTIWEEK_TIME_OFF_CSV,
}


def write_multiweek_scenario(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in MULTIWEEK_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
