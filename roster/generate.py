"""Seeded generator of realistic helpdesk scenario folders, written in the contract format.

`generate_scenario(out, agents=64, seed=7)` writes scenario.toml, agents.csv, forecast.csv
and time_off.csv. Everything random comes from one `numpy.random.default_rng(seed)` drawn
in a fixed order, so the same arguments give the same files byte for byte.

What makes the data realistic:

- Agents sit at sites on several continents (SITES); each speaks English, the site's home
  language and sometimes a neighbour's. About a quarter are L2 (22-30 %), spread over the
  sites so that L2 follows the sun too. Employees have 30-36 to 40 contracted hours, freelancers
  0-10 to 20-48. Hourly costs depend on the site.
- Each language's tickets come from customers in their own zones (CUSTOMER_REGIONS): a
  double hump in local business hours, quieter evenings and weekends, multiplicative noise.
- Queues and their opening hours depend on the team size (QUEUE_PLANS): every team runs
  English L1 24/7; a big one also runs English L2 24/7, long hours for the other
  languages and L2 for French and Spanish; a small one keeps the rest to business hours
  and drops the queues it cannot staff. Each open queue gets at least three agents whose
  local availability window covers every open interval, widening a few windows (and
  promoting a few agents to L2) where needed. A team under about 8 agents cannot staff
  even the 24/7 English queue; the files are still valid, the roster will be short.
- Volumes are calibrated with the contract's own staffing maths (roster.staffing) so that
  the required agent-hours come to about TARGET_LOAD of the team's contracted maximum,
  and no language asks more than LANGUAGE_CAP of the hours of the agents who speak it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from roster.folders import check_output_folder
from roster.model import OpenHours, Queue
from roster.staffing import agents_needed_per_interval, offered_load_erlangs, open_mask
from roster.timegrid import TimeGrid, iso, local_datetime, local_midnight_utc

KNOWN_LANGUAGES = ("en", "fr", "es", "pt", "de")
INTERVAL_CHOICES = (15, 30, 60)

# Calibration targets: required agent-hours over the team's summed max_hours, and the most
# any single language may ask of the agents who speak it.
TARGET_LOAD = 0.70
LANGUAGE_CAP = 0.50
# A queue is opened only if its floor (one agent per open interval, grossed up for
# shrinkage) is within FLOOR_CAP of the hours of those who may serve it, and all floors
# together stay within MAX_FLOOR_SHARE of the team's hours.
FLOOR_CAP = 0.7
MAX_FLOOR_SHARE = 0.7
# L2 agents spend at most this share of their hours on the L2 floors, in whole agents.
L2_FLOOR_CAP = 0.8
# Every open queue gets at least this many agents whose window covers each open interval.
MIN_AGENTS_IN_WINDOW = 3
L2_SHARE = 0.22  # drawn; coverage promotions add a few
MAX_L2_SHARE = 0.30  # promotions for coverage stop here
EMPLOYEE_SHARE = 0.65
TIME_OFF_SHARE = 0.06

SHIFT_HOURS = (6, 8, 10)
MIN_REST_HOURS = 11
MAX_CONSECUTIVE_DAYS = 6
MAX_OCCUPANCY = 0.85
ESCALATION_RATE = 0.15  # fr and es: L2 arrivals derived from L1
EN_L2_SHARE = 0.16  # en: explicit L2 rows, this share of en L1 on average


# --- where the agents are -----------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A place agents work from: zone, home language, sometimes-spoken extras, pay."""

    zone: str
    home_language: str
    extra_languages: tuple[tuple[str, float], ...]  # (language, probability an agent speaks it)
    hourly_cost: tuple[float, float]  # range for an L1 employee
    weight: int  # agents out of 64
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]

    @property
    def continent(self) -> str:
        return self.zone.split("/")[0]


SITES = (
    Site("America/New_York", "en", (("es", 0.3), ("fr", 0.1)), (36, 48), 7,
         ("Emily", "Jacob", "Olivia", "Marcus", "Hannah", "Tyler", "Grace", "Derek"),
         ("Johnson", "Miller", "Carter", "Brooks", "Hayes", "Sullivan", "Reed", "Foster")),
    Site("America/Mexico_City", "es", (), (14, 20), 6,
         ("Alejandro", "Mariana", "Diego", "Valeria", "Luis", "Fernanda", "Jorge", "Ximena"),
         ("Hernández", "García", "Martínez", "López", "Ramírez", "Cruz", "Flores", "Reyes")),
    Site("America/Bogota", "es", (), (12, 18), 3,
         ("Camila", "Andrés", "Daniela", "Santiago", "Laura", "Felipe", "Natalia", "Julián"),
         ("Rodríguez", "Gómez", "Castro", "Vargas", "Rojas", "Moreno", "Ortiz", "Salazar")),
    Site("America/Sao_Paulo", "pt", (("es", 0.35),), (15, 22), 6,
         ("Lucas", "Beatriz", "Gabriel", "Larissa", "Rafael", "Juliana", "Thiago", "Camila"),
         ("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida")),
    Site("Europe/Lisbon", "pt", (("es", 0.4), ("fr", 0.3)), (22, 30), 4,
         ("João", "Inês", "Tiago", "Mariana", "Rui", "Catarina", "Pedro", "Sofia"),
         ("Ferreira", "Pinto", "Carvalho", "Rocha", "Marques", "Teixeira", "Gomes", "Lopes")),
    Site("Europe/Madrid", "es", (("fr", 0.25), ("pt", 0.1)), (26, 34), 6,
         ("Lucía", "Javier", "Carmen", "Pablo", "Elena", "Sergio", "Marta", "Álvaro"),
         ("Fernández", "Sánchez", "Navarro", "Romero", "Torres", "Domínguez", "Gil", "Serrano")),
    Site("Europe/Paris", "fr", (("es", 0.2), ("de", 0.15)), (34, 44), 6,
         ("Camille", "Julien", "Manon", "Antoine", "Léa", "Nicolas", "Chloé", "Mathieu"),
         ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux")),
    Site("Europe/Berlin", "de", (("fr", 0.2),), (36, 46), 6,
         ("Lukas", "Anna", "Jonas", "Lena", "Felix", "Sophie", "Tobias", "Laura"),
         ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann")),
    Site("Africa/Casablanca", "fr", (("es", 0.35),), (13, 19), 5,
         ("Youssef", "Salma", "Mehdi", "Imane", "Karim", "Nadia", "Omar", "Leila"),
         ("El Amrani", "Benali", "Alaoui", "Bennani", "Idrissi", "Tazi", "Chraibi", "Berrada")),
    Site("Asia/Manila", "en", (("es", 0.05),), (10, 15), 7,
         ("Maria", "Jose", "Angelica", "Mark", "Kristine", "John Paul", "Jasmine", "Rafael"),
         ("Santos", "Reyes", "Dela Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos")),
    Site("Asia/Kolkata", "en", (), (10, 16), 4,
         ("Priya", "Arjun", "Ananya", "Rohan", "Sneha", "Vikram", "Kavya", "Rahul"),
         ("Sharma", "Banerjee", "Iyer", "Chatterjee", "Nair", "Gupta", "Mukherjee", "Rao")),
    Site("Asia/Dubai", "en", (("fr", 0.2), ("de", 0.1)), (26, 34), 4,
         ("Omar", "Aisha", "Hassan", "Fatima", "Ravi", "Sara", "Khalid", "Maya"),
         ("Al Mansoori", "Haddad", "Khan", "Nasser", "Pillai", "Saleh", "Farouk", "Dsouza")),
)  # fmt: skip

# Local availability windows (from, to, weight): mostly day and evening, a few night owls
# and anytime freelancers. Every window is at least 11 h, so a 10 h shift fits even when
# the start grid is offset from a half-hour zone.
WINDOWS = (
    ("07:00", "19:00", 0.22),
    ("08:00", "20:00", 0.18),
    ("06:00", "22:00", 0.18),
    ("09:00", "21:00", 0.10),
    ("12:00", "24:00", 0.15),
    ("21:00", "08:00", 0.05),
    ("22:00", "09:00", 0.04),
    ("00:00", "24:00", 0.08),
)
ANYTIME = ("00:00", "24:00")


@dataclass
class AgentRow:
    """One line of agents.csv while it is being drawn."""

    site: Site
    name: str
    languages: tuple[str, ...]
    contract: str
    min_hours: int
    max_hours: int
    tier: str = "L1"
    hourly_cost: float = 0.0
    available_from: str = "08:00"
    available_to: str = "20:00"
    id: str = ""

    def can_serve(self, language: str, tier: str) -> bool:
        return language in self.languages and (tier == "L1" or self.tier == "L2")


# --- where the customers are --------------------------------------------------------------

CUSTOMER_REGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "en": (
        ("America/New_York", 0.22), ("America/Chicago", 0.08), ("America/Los_Angeles", 0.10),
        ("Europe/London", 0.25), ("Asia/Dubai", 0.05), ("Asia/Kolkata", 0.08),
        ("Asia/Singapore", 0.12), ("Australia/Sydney", 0.10),
    ),
    "fr": (
        ("Europe/Paris", 0.70), ("Europe/Brussels", 0.08), ("Africa/Casablanca", 0.12),
        ("America/Toronto", 0.10),
    ),
    "es": (
        ("Europe/Madrid", 0.45), ("America/Mexico_City", 0.25), ("America/Bogota", 0.15),
        ("America/Argentina/Buenos_Aires", 0.15),
    ),
    "pt": (("America/Sao_Paulo", 0.75), ("Europe/Lisbon", 0.25)),
    "de": (("Europe/Berlin", 0.75), ("Europe/Zurich", 0.15), ("Europe/Vienna", 0.10)),
}  # fmt: skip
# Share of the week's tickets per language, before capping by who speaks it.
LANGUAGE_SHARE = {"en": 0.50, "es": 0.18, "fr": 0.14, "pt": 0.09, "de": 0.09}
# Local weekday (Mon=1) volume factors: busy Monday, quiet weekend.
WEEKDAY_FACTOR = {1: 1.15, 2: 1.08, 3: 1.02, 4: 1.0, 5: 0.92, 6: 0.45, 7: 0.38}
FORECAST_NOISE_SIGMA = 0.12
# Calibration searches mean tickets per hour in this range; at MIN_VOLUME a queue still
# needs its floor of one agent per open interval.
MIN_VOLUME = 0.2
MAX_VOLUME = 5000.0


def intraday_rate(local_hour: np.ndarray) -> np.ndarray:
    """Relative ticket rate by local clock hour: morning and afternoon humps, evening tail."""

    def hump(centre: float, width: float) -> np.ndarray:
        return np.exp(-0.5 * ((local_hour - centre) / width) ** 2)

    return 0.05 + hump(10.5, 1.7) + 0.85 * hump(15.0, 2.0) + 0.3 * hump(20.0, 1.8)


# --- queues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePlan:
    """A [[queue]] table; `open` is "24/7" or "<days> HH:MM-HH:MM <zone>" (PLANNING = ours)."""

    language: str
    tier: str
    aht_seconds: int
    service_level: float
    answer_seconds: int
    min_agents: int
    open: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.language, self.tier)

    def open_hours(self) -> OpenHours:
        if self.open == "24/7":
            return OpenHours("24/7")
        days, hours, tz = self.open.split()
        first, last = (WEEKDAYS.index(d) + 1 for d in days.split("-"))
        start, end = (_clock_minutes(t) for t in hours.split("-"))
        return OpenHours(self.open, False, frozenset(range(first, last + 1)), start, end, tz)

    def queue(self) -> Queue:
        return Queue(
            self.language,
            self.tier,
            self.aht_seconds,
            self.service_level,
            self.answer_seconds,
            self.min_agents,
            self.open_hours(),
        )


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PLANNING = "PLANNING"  # placeholder for the planning zone in QUEUE_PLANS


def _l1(language: str, aht: int, open_: str = "24/7", min_agents: int = 1) -> QueuePlan:
    return QueuePlan(language, "L1", aht, 0.80, 60, min_agents, open_)


def _l2(language: str, open_: str = "24/7", min_agents: int = 0) -> QueuePlan:
    # L2 takes escalations: longer handling, answered within 30 minutes.
    return QueuePlan(language, "L2", 1200, 0.80, 1800, min_agents, open_)


# Team size classes (smallest team size, shrinkage, queues). A bigger team staffs more
# queues for longer; every queue open 24/7 keeps one agent on it at all times.
QUEUE_PLANS: tuple[tuple[int, float, tuple[QueuePlan, ...]], ...] = (
    (56, 0.30, (
        _l1("en", 420), _l2("en", min_agents=1),
        _l1("fr", 480, "Mon-Sat 07:00-22:00 Europe/Paris"),
        _l2("fr", "Mon-Fri 09:00-18:00 Europe/Paris"),
        _l1("es", 450, "Mon-Sun 07:00-02:00 Europe/Madrid"),
        _l2("es", "Mon-Fri 09:00-18:00 Europe/Madrid"),
        _l1("de", 480, "Mon-Sat 07:00-20:00 Europe/Berlin"),
        _l1("pt", 450, "Mon-Sat 06:00-23:00 America/Sao_Paulo"),
    )),
    (28, 0.25, (
        _l1("en", 420), _l2("en", f"Mon-Fri 07:00-22:00 {PLANNING}"),
        _l1("fr", 480, "Mon-Fri 08:00-20:00 Europe/Paris"),
        _l1("es", 450, "Mon-Sat 07:00-02:00 Europe/Madrid"),
        _l1("de", 480, "Mon-Fri 08:00-18:00 Europe/Berlin"),
        _l1("pt", 450, "Mon-Fri 08:00-20:00 America/Sao_Paulo"),
    )),
    (0, 0.15, (
        _l1("en", 420), _l2("en", f"Mon-Fri 09:00-17:00 {PLANNING}"),
        _l1("fr", 480, "Mon-Fri 09:00-17:00 Europe/Paris"),
        _l1("es", 450, "Mon-Fri 09:00-17:00 Europe/Madrid"),
        _l1("de", 480, "Mon-Fri 09:00-17:00 Europe/Berlin"),
        _l1("pt", 450, "Mon-Fri 09:00-17:00 America/Sao_Paulo"),
    )),
)  # fmt: skip


def plan_queues(
    n_agents: int, languages: tuple[str, ...], planning_timezone: str
) -> tuple[float, list[QueuePlan]]:
    """Shrinkage and queues for a team of `n_agents` serving `languages`."""
    shrinkage, plans = next((s, p) for smallest, s, p in QUEUE_PLANS if n_agents >= smallest)
    chosen = [
        replace(plan, open=plan.open.replace(PLANNING, planning_timezone))
        for plan in plans
        if plan.language in languages
    ]
    return shrinkage, chosen


def floor_hours(
    plan: QueuePlan, grid: TimeGrid, shrinkage: float, *, whole_agents: bool = False
) -> float:
    """Agent-hours a queue needs at a trickle of tickets: one agent, grossed up for
    shrinkage (or min_agents if more), in every open interval. With `whole_agents`, what a
    roster without any shortage must schedule: 1.43 agents take 2 people."""
    per_interval = max(plan.min_agents, 1.0 / (1.0 - shrinkage))
    if whole_agents:
        per_interval = math.ceil(per_interval - 1e-9)
    open_intervals = int(open_mask(plan.open_hours(), grid.interval_starts()).sum())
    return per_interval * open_intervals * grid.interval_minutes / 60


def affordable_plans(
    plans: list[QueuePlan], team: list[AgentRow], grid: TimeGrid, shrinkage: float
) -> list[QueuePlan]:
    """The queues this team can staff: a team does not open a queue it cannot man.

    A queue goes when its floor hours exceed FLOOR_CAP of the hours of the agents who speak
    its language (L2 can be staffed by promoting them); then the last queues go until all
    floors fit in MAX_FLOOR_SHARE of the team's hours. The first queue always stays.
    """

    def speakers_hours(plan: QueuePlan) -> float:
        return sum(a.max_hours for a in team if plan.language in a.languages)

    def floor(plan: QueuePlan) -> float:
        return floor_hours(plan, grid, shrinkage)

    kept = [plans[0]] + [p for p in plans[1:] if floor(p) <= FLOOR_CAP * speakers_hours(p)]
    kept = [p for p in kept if p.tier == "L1" or (p.language, "L1") in {q.key for q in kept}]
    capacity = sum(a.max_hours for a in team)
    while len(kept) > 1 and sum(map(floor, kept)) > MAX_FLOOR_SHARE * capacity:
        kept.pop()
    return kept


def promote_for_l2_queues(
    rng: np.random.Generator,
    team: list[AgentRow],
    plans: list[QueuePlan],
    grid: TimeGrid,
    shrinkage: float,
) -> None:
    """Promote L1 speakers until L2 can carry its queues' floors.

    Each L2 queue's floor must be within FLOOR_CAP of the hours of the L2 agents who speak
    its language, and the floors of all L2 queues counted in whole agents within
    L2_FLOOR_CAP of all L2 hours: the same people staff every L2 queue.
    """
    l2_plans = [p for p in plans if p.tier == "L2"]

    def l2_hours(language: str | None = None) -> float:
        return sum(
            a.max_hours
            for a in team
            if a.tier == "L2" and (language is None or language in a.languages)
        )

    for plan in l2_plans:
        needed = floor_hours(plan, grid, shrinkage) / FLOOR_CAP
        while l2_hours(plan.language) < needed and _promote_one(rng, team, plan):
            pass
    whole = {p.key: floor_hours(p, grid, shrinkage, whole_agents=True) for p in l2_plans}
    while l2_plans and l2_hours() < sum(whole.values()) / L2_FLOOR_CAP:
        tightest = max(l2_plans, key=lambda p: whole[p.key] / max(l2_hours(p.language), 1.0))
        if not _promote_one(rng, team, tightest):
            break


# --- public API ---------------------------------------------------------------------------


def generate_scenario(
    out: Path,
    agents: int,
    seed: int,
    *,
    week_start: date = date(2026, 11, 30),
    planning_timezone: str = "Europe/Paris",
    interval_minutes: int = 30,
    languages: tuple[str, ...] = KNOWN_LANGUAGES,
    name: str | None = None,
    shrinkage: float | None = None,
    weeks: int = 1,
) -> Path:
    """Write a scenario folder for `agents` agents at `out` (created if needed); return it.

    The horizon is [week_start 00:00, +7 `weeks` local days) in `planning_timezone`, on a
    grid of `interval_minutes` (15, 30 or 60), with `weeks` from 1 to 12. `shrinkage`
    overrides the team size's usual value. Raises ValueError for arguments outside that.
    """
    _check_arguments(agents, interval_minutes, languages, shrinkage, weeks)
    rng = np.random.default_rng(seed)
    # Queues and the team are sized on one week (hour limits are weekly); the forecast and
    # the time off cover the whole horizon.
    first_week = TimeGrid.for_week(week_start, planning_timezone, interval_minutes)
    grid = TimeGrid.for_week(week_start, planning_timezone, interval_minutes, weeks=weeks)
    usual_shrinkage, plans = plan_queues(agents, languages, planning_timezone)
    shrinkage = usual_shrinkage if shrinkage is None else shrinkage
    team = draw_agents(rng, agents, languages)
    plans = affordable_plans(plans, team, first_week, shrinkage)
    promote_for_l2_queues(rng, team, plans, first_week, shrinkage)
    widen_windows_to_cover_queues(rng, team, plans, first_week)
    for agent in team:  # once tiers are final: L2 earns a premium
        agent.hourly_cost = _hourly_cost(rng, agent)
    forecast = draw_forecast(rng, grid, plans, team, shrinkage, weeks=weeks)
    time_off = draw_time_off(rng, team, grid, weeks=weeks)

    folder = Path(out)
    check_output_folder(folder, "folder")
    folder.mkdir(parents=True, exist_ok=True)
    title = name or _title(week_start, weeks, agents, seed)
    files = {
        "scenario.toml": scenario_toml(
            title, week_start, planning_timezone, interval_minutes, shrinkage, plans, weeks
        ),
        "agents.csv": agents_csv(team),
        "forecast.csv": forecast_csv(forecast, grid, planning_timezone),
        "time_off.csv": time_off_csv(time_off),
    }
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8", newline="")
    return folder


def _title(week_start: date, weeks: int, agents: int, seed: int) -> str:
    period = "week of" if weeks == 1 else f"{weeks} weeks from"
    return f"Helpdesk {period} {week_start.isoformat()} ({agents} agents, seed {seed})"


def main_generate(argv_namespace: Any) -> int:
    """`roster generate --agents N --seed S [--interval 30] [--week-start D] [--weeks 1] OUT`.

    Reads `agents`, `seed`, `out` and optionally `interval`, `week_start` (text or date),
    `timezone`, `name`, `shrinkage` and `weeks` from the namespace; prints what it wrote.
    """
    ns = argv_namespace
    week_start = getattr(ns, "week_start", None) or date(2026, 11, 30)
    if isinstance(week_start, str):
        week_start = date.fromisoformat(week_start)
    folder = generate_scenario(
        Path(ns.out),
        int(ns.agents),
        int(ns.seed),
        week_start=week_start,
        planning_timezone=getattr(ns, "timezone", None) or "Europe/Paris",
        interval_minutes=int(getattr(ns, "interval", None) or 30),
        name=getattr(ns, "name", None),
        shrinkage=getattr(ns, "shrinkage", None),
        weeks=int(getattr(ns, "weeks", None) or 1),
    )
    print(describe_folder(folder))
    return 0


def describe_folder(folder: Path) -> str:
    """One line on what a generated folder holds (counted from its files)."""

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    agents = rows("agents.csv")
    zones = {a["timezone"] for a in agents}
    l2 = sum(a["tier"] == "L2" for a in agents)
    queues = (folder / "scenario.toml").read_text(encoding="utf-8").count("[[queue]]")
    return (
        f"wrote {folder}/: scenario.toml ({queues} queues), agents.csv ({len(agents)} agents, "
        f"{l2} L2, {len(zones)} zones), forecast.csv ({len(rows('forecast.csv'))} rows), "
        f"time_off.csv ({len(rows('time_off.csv'))} absences)"
    )


def _check_arguments(
    agents: int,
    interval_minutes: int,
    languages: tuple[str, ...],
    shrinkage: float | None,
    weeks: int,
) -> None:
    if agents < 1:
        raise ValueError(f"agents must be at least 1, got {agents}")
    if interval_minutes not in INTERVAL_CHOICES:
        raise ValueError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes}")
    unknown = [code for code in languages if code not in KNOWN_LANGUAGES]
    if unknown or not languages:
        raise ValueError(f"languages must be drawn from {KNOWN_LANGUAGES}, got {languages}")
    if shrinkage is not None and not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if not 1 <= weeks <= 12:
        raise ValueError(f"weeks must be a whole number from 1 to 12, got {weeks}")


# --- agents -------------------------------------------------------------------------------


def draw_agents(rng: np.random.Generator, n: int, languages: tuple[str, ...]) -> list[AgentRow]:
    """`n` agents over the sites whose home language is wanted, ids in file order."""
    sites = [s for s in SITES if s.home_language in languages]
    counts = _largest_remainder(n, [s.weight for s in sites])
    team: list[AgentRow] = []
    used_names: set[str] = set()
    for site, count in zip(sites, counts, strict=True):
        team.extend(_draw_site_agent(rng, site, languages, used_names) for _ in range(count))
    _choose_l2(rng, team, counts)
    order = rng.permutation(len(team))
    team = [team[i] for i in order]
    width = max(2, len(str(n)))
    for number, agent in enumerate(team, start=1):
        agent.id = f"a{number:0{width}d}"
    return team


def _draw_site_agent(
    rng: np.random.Generator, site: Site, languages: tuple[str, ...], used_names: set[str]
) -> AgentRow:
    spoken = ["en", site.home_language] + [
        code for code, p in site.extra_languages if rng.random() < p
    ]
    spoken = [code for code in dict.fromkeys(spoken) if code in languages or code == "en"]
    if rng.random() < EMPLOYEE_SHARE:
        contract = "employee"
        min_hours, max_hours = int(rng.choice([30, 32, 35, 36])), 40
    else:
        contract = "freelance"
        min_hours = int(rng.choice([0, 4, 6, 8, 10]))
        max_hours = int(rng.choice([20, 24, 30, 36, 40, 48]))
    available_from, available_to, _ = WINDOWS[rng.choice(len(WINDOWS), p=[w for *_, w in WINDOWS])]
    return AgentRow(
        site=site,
        name=_unique_name(rng, site, used_names),
        languages=tuple(spoken),
        contract=contract,
        min_hours=min_hours,
        max_hours=max_hours,
        available_from=available_from,
        available_to=available_to,
    )


def _unique_name(rng: np.random.Generator, site: Site, used: set[str]) -> str:
    for _ in range(50):
        name = f"{rng.choice(site.first_names)} {rng.choice(site.last_names)}"
        if name not in used:
            break
    used.add(name)
    return name


def _choose_l2(rng: np.random.Generator, team: list[AgentRow], site_counts: list[int]) -> None:
    """Make about L2_SHARE of the team L2, spread over sites in proportion to their size."""
    l2_counts = _largest_remainder(round(L2_SHARE * len(team)), site_counts)
    first = 0
    for count, l2 in zip(site_counts, l2_counts, strict=True):
        for index in rng.choice(count, size=l2, replace=False):
            team[first + int(index)].tier = "L2"
        first += count


def _hourly_cost(rng: np.random.Generator, agent: AgentRow) -> float:
    low, high = agent.site.hourly_cost
    cost = rng.uniform(low, high)
    cost *= 1.3 if agent.tier == "L2" else 1.0
    cost *= 1.15 if agent.contract == "freelance" else 1.0
    return round(cost * 2) / 2  # rates are quoted to the half unit


def _largest_remainder(total: int, weights: list[int] | list[float]) -> list[int]:
    """Split `total` in proportion to `weights` into whole numbers that sum to `total`."""
    shares = np.asarray(weights, dtype=float) * total / float(sum(weights))
    counts = np.floor(shares).astype(int)
    remainders = shares - counts
    for index in np.argsort(-remainders, kind="stable")[: total - counts.sum()]:
        counts[index] += 1
    return [int(c) for c in counts]


# --- availability that covers the queues --------------------------------------------------


def widen_windows_to_cover_queues(
    rng: np.random.Generator, team: list[AgentRow], plans: list[QueuePlan], grid: TimeGrid
) -> None:
    """Give every open interval of every queue MIN_AGENTS_IN_WINDOW agents who may serve it.

    A manager hires for coverage: where too few agents' windows reach an open interval of
    an L2 queue, promote the L1 speaker whose window covers most of those intervals (while
    L2 stays under MAX_L2_SHARE of the team); else make a speaker available any time,
    freelancers first.
    """
    starts = grid.interval_starts()
    zones = sorted({a.site.zone for a in team})
    local_minutes = {zone: _local_minutes(starts, zone) for zone in zones}

    def in_window(agent: AgentRow) -> np.ndarray:
        return _in_window(agent, local_minutes[agent.site.zone])

    for plan in plans:
        is_open = open_mask(plan.open_hours(), starts)
        while True:
            eligible = [a for a in team if a.can_serve(plan.language, plan.tier)]
            covering = sum((in_window(a) for a in eligible), start=np.zeros(len(starts)))
            gaps = is_open & (covering < MIN_AGENTS_IN_WINDOW)
            if not gaps.any():
                break
            promoted = (
                plan.tier == "L2"
                and sum(a.tier == "L2" for a in team) < MAX_L2_SHARE * len(team)
                and _promote_covering(rng, team, plan, gaps, in_window)
            )
            if not promoted and not _widen_one(rng, eligible):
                break  # nobody speaks the language: the requirement stays uncovered


def _promote_covering(
    rng: np.random.Generator,
    team: list[AgentRow],
    plan: QueuePlan,
    gaps: np.ndarray,
    in_window: Callable[[AgentRow], np.ndarray],
) -> bool:
    """Promote to L2 the L1 speaker whose window covers most gap intervals, if any does."""
    speakers = [a for a in team if plan.language in a.languages and a.tier == "L1"]
    rank = rng.permutation(len(speakers))
    covered = [int(np.sum(gaps & in_window(a))) for a in speakers]
    best = max(range(len(speakers)), key=lambda i: (covered[i], -rank[i]), default=None)
    if best is None or covered[best] == 0:
        return False
    speakers[best].tier = "L2"
    return True


def _widen_one(rng: np.random.Generator, eligible: list[AgentRow]) -> bool:
    narrow = [a for a in eligible if (a.available_from, a.available_to) != ANYTIME]
    if not narrow:
        return False
    rank = rng.permutation(len(narrow))
    chosen = min(range(len(narrow)), key=lambda i: (narrow[i].contract != "freelance", rank[i]))
    narrow[chosen].available_from, narrow[chosen].available_to = ANYTIME
    return True


def _promote_one(rng: np.random.Generator, team: list[AgentRow], plan: QueuePlan) -> bool:
    speakers = [a for a in team if plan.language in a.languages and a.tier == "L1"]
    if not speakers:
        return False
    speakers[int(rng.integers(len(speakers)))].tier = "L2"
    return True


def _local_minutes(starts: list[datetime], zone: str) -> np.ndarray:
    local = [local_datetime(s, zone) for s in starts]
    return np.array([t.hour * 60 + t.minute for t in local])


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _in_window(agent: AgentRow, local_minute: np.ndarray) -> np.ndarray:
    """True where a local clock minute lies inside the agent's window (which may wrap)."""
    start, end = _clock_minutes(agent.available_from), _clock_minutes(agent.available_to)
    if end <= start:
        return (local_minute >= start) | (local_minute < end)
    return (local_minute >= start) & (local_minute < end)


# --- forecast -----------------------------------------------------------------------------


def customer_profile(starts: list[datetime], language: str) -> np.ndarray:
    """Relative tickets per hour at each interval start, mean 1 over the week."""
    rate = np.zeros(len(starts))
    for zone, weight in CUSTOMER_REGIONS[language]:
        local = [local_datetime(s, zone) for s in starts]
        hour = np.array([t.hour + t.minute / 60 for t in local])
        weekday = np.array([WEEKDAY_FACTOR[t.isoweekday()] for t in local])
        rate += weight * weekday * intraday_rate(hour)
    return rate / rate.mean()


def draw_forecast(
    rng: np.random.Generator,
    grid: TimeGrid,
    plans: list[QueuePlan],
    team: list[AgentRow],
    shrinkage: float,
    weeks: int = 1,
) -> dict[tuple[str, str], np.ndarray]:
    """Tickets per interval for each language's L1 queue, and en L2 as its own rows, over a
    grid of `weeks` weeks."""
    starts = grid.interval_starts()
    hours_per_interval = grid.interval_minutes / 60
    languages = list(dict.fromkeys(plan.language for plan in plans))
    # Unit series: one ticket per hour on average, with noise; calibration scales them.
    unit: dict[tuple[str, str], np.ndarray] = {}
    for language in languages:
        noise = rng.lognormal(0.0, FORECAST_NOISE_SIGMA, len(starts))
        unit[(language, "L1")] = customer_profile(starts, language) * noise * hours_per_interval
    if any(plan.key == ("en", "L2") for plan in plans):
        escalation = EN_L2_SHARE * rng.lognormal(-0.03, 0.25, len(starts))
        unit[("en", "L2")] = unit[("en", "L1")] * escalation
    volumes = calibrate_volumes(unit, plans, team, grid, shrinkage, weeks)
    return {key: np.round(series * volumes[key[0]], 2) for key, series in unit.items()}


def required_hours(
    arrivals: dict[tuple[str, str], np.ndarray],
    plans: list[QueuePlan],
    grid: TimeGrid,
    shrinkage: float,
) -> float:
    """Agent-hours on shift the contract's staffing rule asks for these arrivals.

    The same steps as `roster.staffing.required_agents`, for queues not yet written out
    as a Scenario.
    """
    starts = grid.interval_starts()
    total = 0.0
    for plan in plans:
        queue = plan.queue()
        lambdas = arrivals.get(plan.key)
        if lambdas is None:  # an L2 queue without rows: escalations of its L1
            lambdas = ESCALATION_RATE * arrivals[(plan.language, "L1")]
        loads = offered_load_erlangs(lambdas, queue.aht_seconds, grid.interval_minutes)
        needed = agents_needed_per_interval(loads, queue, MAX_OCCUPANCY)
        on_shift = np.maximum(float(queue.min_agents), needed / (1.0 - shrinkage))
        total += float(np.sum(np.where(open_mask(queue.open_hours, starts), on_shift, 0.0)))
    return total * grid.interval_minutes / 60


def calibrate_volumes(
    unit: dict[tuple[str, str], np.ndarray],
    plans: list[QueuePlan],
    team: list[AgentRow],
    grid: TimeGrid,
    shrinkage: float,
    weeks: int = 1,
) -> dict[str, float]:
    """Mean tickets per hour for each language so that requirements meet the targets.

    `grid` spans `weeks` weeks, so the team's weekly hours count `weeks` times.

    The team's hours above what the queues need at a trickle of tickets are shared out by
    LANGUAGE_SHARE; a language may not ask more than LANGUAGE_CAP of its speakers' hours,
    and what it gives up goes to English, which everybody speaks.
    """
    languages = list(dict.fromkeys(plan.language for plan in plans))

    def hours_at(language: str, volume: float) -> float:
        own = [p for p in plans if p.language == language]
        scaled = {k: v * volume for k, v in unit.items() if k[0] == language}
        return required_hours(scaled, own, grid, shrinkage)

    capacity = weeks * sum(a.max_hours for a in team)
    floors = {lang: hours_at(lang, MIN_VOLUME) for lang in languages}
    room = max(0.0, TARGET_LOAD * capacity - sum(floors.values()))
    share_total = sum(LANGUAGE_SHARE[lang] for lang in languages)
    budgets = {lang: floors[lang] + room * LANGUAGE_SHARE[lang] / share_total for lang in languages}
    for lang in languages:
        if lang == "en":
            continue
        speakers = weeks * sum(a.max_hours for a in team if lang in a.languages)
        capped = max(floors[lang], LANGUAGE_CAP * speakers)
        if budgets[lang] > capped:
            if "en" in budgets:
                budgets["en"] += budgets[lang] - capped
            budgets[lang] = capped
    return {lang: _volume_for(lambda v, lang=lang: hours_at(lang, v), budgets[lang])
            for lang in languages}  # fmt: skip


def _volume_for(hours_at: Callable[[float], float], budget: float) -> float:
    """Largest volume (to 0.5%) whose required hours stay within `budget` (geometric search)."""
    low, high = MIN_VOLUME, MAX_VOLUME
    if hours_at(low) >= budget:
        return low
    while high / low > 1.005:
        middle = (low * high) ** 0.5
        if hours_at(middle) <= budget:
            low = middle
        else:
            high = middle
    return round(low, 3)


# --- time off -----------------------------------------------------------------------------


def draw_time_off(
    rng: np.random.Generator, team: list[AgentRow], grid: TimeGrid, weeks: int = 1
) -> list[tuple[str, datetime, datetime, str]]:
    """A day or two off, local midnight to local midnight, for a few agents each week of a
    grid of `weeks` weeks."""
    count = max(1, round(TIME_OFF_SHARE * len(team)))
    absences = []
    for week in range(weeks):
        chosen = sorted(rng.choice(len(team), size=min(count, len(team)), replace=False))
        first_day = local_datetime(grid.start, grid.planning_timezone).date()
        first_day += timedelta(days=7 * week)
        for index in chosen:
            agent = team[int(index)]
            days = int(rng.choice([1, 2]))
            day = first_day + timedelta(days=int(rng.integers(1, 6 - days + 1)))
            start = local_midnight_utc(day, agent.site.zone)
            end = local_midnight_utc(day + timedelta(days=days), agent.site.zone)
            absences.append((agent.id, start, end, agent.site.zone))
    return absences


# --- writing ------------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def scenario_toml(
    name: str,
    week_start: date,
    planning_timezone: str,
    interval_minutes: int,
    shrinkage: float,
    plans: list[QueuePlan],
    weeks: int = 1,
) -> str:
    lines = [
        f"name = {_toml_string(name)}",
        f'week_start = "{week_start.isoformat()}"',
        *([f"weeks = {weeks}"] if weeks != 1 else []),  # 1 is the default: leave it out
        f"planning_timezone = {_toml_string(planning_timezone)}",
        f"interval_minutes = {interval_minutes}",
        "",
        "[staffing]",
        f"shrinkage = {shrinkage:.2f}",
        f"max_occupancy = {MAX_OCCUPANCY:.2f}",
        f"escalation_rate = {ESCALATION_RATE:.2f}",
        "",
        "[rules]",
        f"shift_hours = [{', '.join(str(h) for h in SHIFT_HOURS)}]",
        f"shift_start_step_minutes = {interval_minutes}",
        f"min_rest_hours = {MIN_REST_HOURS}",
        f"max_consecutive_days = {MAX_CONSECUTIVE_DAYS}",
    ]
    for plan in plans:
        lines += [
            "",
            "[[queue]]",
            f'language = "{plan.language}"',
            f'tier = "{plan.tier}"',
            f"aht_seconds = {plan.aht_seconds}",
            f"service_level = {plan.service_level:.2f}",
            f"answer_seconds = {plan.answer_seconds}",
            f"min_agents = {plan.min_agents}",
            f"open = {_toml_string(plan.open)}",
        ]
    return "\n".join(lines) + "\n"


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def agents_csv(team: list[AgentRow]) -> str:
    header = [
        "id", "name", "timezone", "languages", "tier", "contract",
        "min_hours", "max_hours", "hourly_cost", "available_from", "available_to",
    ]  # fmt: skip
    rows = [
        [
            a.id, a.name, a.site.zone, " ".join(a.languages), a.tier, a.contract,
            str(a.min_hours), str(a.max_hours), f"{a.hourly_cost:.2f}",
            a.available_from, a.available_to,
        ]
        for a in team
    ]  # fmt: skip
    return _csv_text(header, rows)


def forecast_csv(
    forecast: dict[tuple[str, str], np.ndarray], grid: TimeGrid, planning_timezone: str
) -> str:
    """Rows in time order, stamped in the planning zone's offset; zero intervals omitted."""
    rows = []
    for index, start in enumerate(grid.interval_starts()):
        stamp = iso(local_datetime(start, planning_timezone))
        for (language, tier), series in forecast.items():
            if series[index] > 0:
                rows.append([stamp, language, tier, f"{series[index]:.2f}"])
    return _csv_text(["start", "language", "tier", "tickets"], rows)


def time_off_csv(absences: list[tuple[str, datetime, datetime, str]]) -> str:
    rows = [
        [agent_id, iso(local_datetime(start, zone)), iso(local_datetime(end, zone))]
        for agent_id, start, end, zone in absences
    ]
    return _csv_text(["agent_id", "start", "end"], rows)


# --- the committed fixtures ---------------------------------------------------------------

# fixtures/<folder>: the arguments that made it. `python -m roster.generate fixtures`
# rewrites them all; fixtures/README.md explains each.
FIXTURES: dict[str, dict[str, Any]] = {
    "helpdesk-week": dict(agents=64, seed=49, name="Follow-the-sun helpdesk, week 49 of 2026"),
    "dst-week": dict(
        agents=40,
        seed=13,
        week_start=date(2026, 3, 23),
        name="Follow-the-sun helpdesk, week 13 of 2026 (Europe moves to summer time on Sunday)",
    ),
    "small": dict(
        agents=12,
        seed=12,
        interval_minutes=60,
        languages=("en", "fr"),
        shrinkage=0.0,
        name="Small helpdesk, week 49 of 2026",
    ),
    "quarter-hour": dict(
        agents=30,
        seed=15,
        interval_minutes=15,
        planning_timezone="America/New_York",
        languages=("en", "es", "fr"),
        name="Americas helpdesk in quarter hours, week 49 of 2026",
    ),
}


def write_fixtures(root: Path) -> list[Path]:
    """(Re)generate every folder of FIXTURES under `root`."""
    return [generate_scenario(Path(root) / folder, **kw) for folder, kw in FIXTURES.items()]


if __name__ == "__main__":
    import sys

    for written in write_fixtures(Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures")):
        print(describe_folder(written))
