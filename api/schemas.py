"""Request and response bodies of the HTTP API, kept apart from the domain objects.

Builders named `*_out` turn stored rows and domain objects into these schemas, so routes
stay one call long and no response can leak a field by accident (an agent's schemas have
no cost, contract or other agents).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError

from api.db import JobRow, PublicationRow, ScenarioRow
from api.deps import MAX_ID
from api.store import AgentProfile, AgentWeek, JobHistory, RosterInfo
from roster.calendar import ShiftEvent
from roster.model import Agent
from roster.timegrid import local_datetime


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests ---------------------------------------------------------------------------


class ScenarioFilesIn(Strict):
    """A scenario folder as JSON: file name -> file text."""

    files: dict[str, str] = Field(
        description="scenario.toml, agents.csv, forecast.csv and optionally time_off.csv and "
        "requests.csv",
        examples=[{"scenario.toml": "name = ...", "agents.csv": "id,name,...", "forecast.csv": ""}],
    )


class SolveIn(Strict):
    time_limit_seconds: float | None = Field(
        default=None, gt=0, description="seconds of search; the server's default when omitted"
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    history: Literal["auto", "none"] | Annotated[int, Field(ge=1, le=MAX_ID)] = Field(
        default="auto",
        description="the previous roster whose last days the solve keeps the rules with "
        "(rest, one start per local day, runs of days, forbidden successions): 'auto', the "
        "latest published roster ending at this scenario's start or up to 3 days before; "
        "'none'; or a roster id",
    )

    @field_validator("history", mode="wrap")
    @classmethod
    def _history_is_one_of_its_choices(
        cls, value: Any, handler: ValidatorFunctionWrapHandler
    ) -> Any:
        # One message naming the choices, not one per branch of the union under the
        # names pydantic gives them ("literal['auto','none']", "constrained-int").
        try:
            return handler(value)
        except ValidationError as error:
            if isinstance(value, int) and not isinstance(value, bool):
                # A number out of range: the roster-id branch's message names the bound.
                bound = next(e["msg"] for e in error.errors() if e["type"] != "literal_error")
                raise PydanticCustomError("history_choice", bound) from None
            raise PydanticCustomError(
                "history_choice",
                'give "auto", "none" or a roster id (a whole number from 1), not {shown}',
                {"shown": json.dumps(value, default=str)},
            ) from None


# --- responses --------------------------------------------------------------------------


class ScenarioOut(BaseModel):
    id: int
    name: str
    week_start: date
    planning_timezone: str
    interval_minutes: int
    agents: int
    queues: list[str]
    created_at: datetime
    links: dict[str, str]
    warnings: list[str] | None = Field(
        default=None,
        description="on upload and on GET of one scenario: what was accepted but is worth "
        "a look, such as keys of scenario.toml that nothing reads (a misspelt rule)",
    )


class ScenarioAgentOut(BaseModel):
    agent_id: str
    name: str
    timezone: str
    languages: list[str]
    tier: str
    contract: str
    min_hours: float
    max_hours: float
    hourly_cost: float
    has_link: bool


class ProgressOut(BaseModel):
    solutions: int
    objective: float | None
    bound: float | None
    gap: float | None
    elapsed_seconds: float


class JobHistoryOut(BaseModel):
    requested: str | int = Field(description="'auto', 'none' or a roster id, as asked")
    roster_id: int | None = Field(description="the roster used as history, once the solve runs")
    note: str | None = Field(description="what the history held, or why there was none")


class JobOut(BaseModel):
    id: int
    scenario_id: int
    state: str = Field(description="queued, running, succeeded, failed or cancelled")
    time_limit_seconds: float
    seed: int
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: ProgressOut
    roster_id: int | None
    error: str | None
    links: dict[str, str]
    history: JobHistoryOut | None = None


class RosterOut(BaseModel):
    id: int
    scenario_id: int
    week_start: date
    state: str = Field(
        description="draft, published (current for at least one of its weeks) or superseded"
    )
    source: str
    job_id: int | None
    status: str
    objective: float
    shifts: int
    created_at: datetime
    published_at: datetime | None
    links: dict[str, str]
    history_roster_id: int | None = Field(
        default=None, description="the previous roster its solve kept the rules with"
    )


class PublicationOut(BaseModel):
    id: int
    roster_id: int
    week_start: date
    published_at: datetime
    boundary_conflicts: list[str] | None = Field(
        default=None,
        description="after publishing: hard rules broken across the boundary with the "
        "rosters current for the week before and after (rest, one start per local day, "
        "runs of days, successions); empty when it fits both",
    )


class WeekOut(BaseModel):
    week_start: date
    current_roster_id: int
    publications: list[PublicationOut]


class ShiftOut(BaseModel):
    start_utc: datetime
    end_utc: datetime
    start_local: datetime
    end_local: datetime
    timezone: str
    hours: float
    queue: str | None


UNPUBLISHED_NOTE = "null while no published roster has the agent"
PUBLISHED_NAME = f"as the latest published roster has it; {UNPUBLISHED_NOTE}"


class AgentWeekOut(BaseModel):
    agent_id: str
    name: str | None = Field(description=PUBLISHED_NAME)
    week_start: date
    roster_id: int | None
    shifts: list[ShiftOut]


class AgentPageOut(BaseModel):
    agent_id: str
    name: str | None = Field(description=PUBLISHED_NAME)
    timezone: str | None = Field(
        description="the agent's zone in the latest published roster that has it (each shift "
        f"gives its own); {UNPUBLISHED_NOTE}"
    )
    languages: list[str]
    tier: str | None = Field(description=UNPUBLISHED_NOTE)
    feed_url: str
    webcal_url: str
    upcoming: list[ShiftOut]


class AgentLinkOut(BaseModel):
    agent_id: str
    token: str = Field(description="shown once; issuing a new link revokes this one")
    page_url: str
    api_url: str
    feed_url: str
    webcal_url: str


class ApiKeyOut(BaseModel):
    key: str = Field(description="shown once; only its hash is stored")


# --- builders ---------------------------------------------------------------------------


def scenario_out(
    row: ScenarioRow, base: str, warnings: tuple[str, ...] | None = None
) -> ScenarioOut:
    here = f"{base}/scenarios/{row.id}"
    return ScenarioOut(
        warnings=None if warnings is None else list(warnings),
        id=row.id,
        name=row.name,
        week_start=row.week_start,
        planning_timezone=row.planning_timezone,
        interval_minutes=row.interval_minutes,
        agents=row.n_agents,
        queues=row.queues,
        created_at=row.created_at,
        links={
            "self": here,
            "agents": f"{here}/agents",
            "jobs": f"{here}/jobs",
            "rosters": f"{here}/rosters",
        },
    )


def scenario_agent_out(agent: Agent, has_link: bool) -> ScenarioAgentOut:
    return ScenarioAgentOut(
        agent_id=agent.id,
        name=agent.name,
        timezone=agent.timezone,
        languages=list(agent.languages),
        tier=agent.tier,
        contract=agent.contract,
        min_hours=agent.min_hours,
        max_hours=agent.max_hours,
        hourly_cost=agent.hourly_cost,
        has_link=has_link,
    )


def job_out(job: JobRow, base: str, history: JobHistory | None = None) -> JobOut:
    links = {"self": f"{base}/jobs/{job.id}", "cancel": f"{base}/jobs/{job.id}/cancel"}
    if job.roster_id is not None:
        links["roster"] = f"{base}/rosters/{job.roster_id}"
    if history is not None and history.roster_id is not None:
        links["history_roster"] = f"{base}/rosters/{history.roster_id}"
    return JobOut(
        id=job.id,
        scenario_id=job.scenario_id,
        state=job.state,
        time_limit_seconds=job.time_limit_seconds,
        seed=job.seed,
        cancel_requested=job.cancel_requested,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        progress=ProgressOut(
            solutions=job.solutions,
            objective=job.objective,
            bound=job.bound,
            gap=job.gap,
            elapsed_seconds=round(job.elapsed_seconds, 3),
        ),
        roster_id=job.roster_id,
        error=job.error,
        links=links,
        history=None
        if history is None
        else JobHistoryOut(
            requested=history.requested, roster_id=history.roster_id, note=history.note
        ),
    )


def roster_out(info: RosterInfo, base: str) -> RosterOut:
    row = info.row
    here = f"{base}/rosters/{row.id}"
    return RosterOut(
        id=row.id,
        scenario_id=row.scenario_id,
        week_start=row.week_start,
        state=info.state,
        source=row.source,
        job_id=row.job_id,
        status=row.status,
        objective=row.objective,
        shifts=row.n_shifts,
        created_at=row.created_at,
        published_at=info.published_at,
        history_roster_id=_history_roster_id(row.document),
        links={
            "self": here,
            "roster_json": f"{here}/roster.json",
            "shifts_csv": f"{here}/shifts.csv",
            "coverage_csv": f"{here}/coverage.csv",
            "summary": f"{here}/summary",
            "calendar": f"{here}/calendar.ics",
            "publish": f"{here}/publish",
        },
    )


def _history_roster_id(document: dict) -> int | None:
    """The stored roster a solved roster.json records as its history, if any."""
    history = document.get("history")
    roster_id = history.get("roster_id") if isinstance(history, dict) else None
    return roster_id if isinstance(roster_id, int) else None


def publication_out(
    row: PublicationRow, boundary_conflicts: list[str] | None = None
) -> PublicationOut:
    return PublicationOut(
        id=row.id,
        roster_id=row.roster_id,
        week_start=row.week_start,
        published_at=row.published_at,
        boundary_conflicts=boundary_conflicts,
    )


def week_out(week_start: date, publications: list[PublicationRow]) -> WeekOut:
    return WeekOut(
        week_start=week_start,
        current_roster_id=publications[-1].roster_id,
        publications=[publication_out(p) for p in publications],
    )


def shift_out(event: ShiftEvent) -> ShiftOut:
    return ShiftOut(
        start_utc=event.start,
        end_utc=event.end,
        start_local=local_datetime(event.start, event.timezone),
        end_local=local_datetime(event.end, event.timezone),
        timezone=event.timezone,
        hours=round((event.end - event.start).total_seconds() / 3600, 2),
        queue=event.queue,
    )


def agent_week_out(week: AgentWeek) -> AgentWeekOut:
    return AgentWeekOut(
        agent_id=week.profile.agent_id,
        name=week.profile.name if week.profile.published else None,
        week_start=week.week_start,
        roster_id=week.roster_id,
        shifts=[shift_out(e) for e in week.events],
    )


def feed_links(token: str, base: str) -> dict[str, str]:
    feed = f"{base}/calendar/{token}.ics"
    return {
        "page_url": f"{base}/ui/agent/{token}",  # the agent's own page, for people
        "api_url": f"{base}/agent/{token}",  # the same as JSON, for tools
        "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1],
    }


def agent_page_out(
    profile: AgentProfile, token: str, upcoming: list[ShiftEvent], base: str
) -> AgentPageOut:
    links = feed_links(token, base)
    return AgentPageOut(
        agent_id=profile.agent_id,
        name=profile.name if profile.published else None,
        timezone=profile.timezone if profile.published else None,
        languages=list(profile.languages),
        tier=profile.tier if profile.published else None,
        feed_url=links["feed_url"],
        webcal_url=links["webcal_url"],
        upcoming=[shift_out(e) for e in upcoming],
    )


def agent_link_out(agent_id: str, token: str, base: str) -> AgentLinkOut:
    return AgentLinkOut(agent_id=agent_id, token=token, **feed_links(token, base))
