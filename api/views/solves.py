"""Solve pages: start a solve, watch its progress, see its result, cancel it.

The job page refreshes itself without JavaScript (a meta refresh inside <noscript>); with
JavaScript, static/job.js polls the progress endpoint below and updates the figures.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request, Response
from pydantic import ValidationError

from api.deps import ResourceId, StoreDep
from api.errors import Unprocessable
from api.schemas import SolveIn, job_out
from api.store import ACTIVE_JOB_STATES, JOB_SUCCEEDED, Store
from api.views.deps import CacheDep, manager_pages
from api.views.scenarios import scenario_context
from api.views.templating import render, see_other

router = manager_pages()


@router.post("/ui/scenarios/{scenario_id}/solve")
def start_solve(
    request: Request,
    scenario_id: ResourceId,
    store: StoreDep,
    time_limit_seconds: Annotated[str, Form(max_length=20)] = "",
    seed: Annotated[str, Form(max_length=20)] = "0",
) -> Response:
    try:
        body = SolveIn.model_validate(
            {"time_limit_seconds": time_limit_seconds or None, "seed": seed or 0}
        )
        job = store.create_job(scenario_id, body.time_limit_seconds, body.seed)
    except ValidationError as error:
        problem = "; ".join(f"{p['loc'][0]}: {p['msg']}" for p in error.errors())
        return _scenario_with_error(request, store, scenario_id, problem)
    except Unprocessable as error:
        return _scenario_with_error(request, store, scenario_id, error.detail)
    request.app.state.runner.wake()
    return see_other(f"/ui/jobs/{job.id}")


def _scenario_with_error(
    request: Request, store: Store, scenario_id: int, problem: str
) -> Response:
    context = scenario_context(store, scenario_id, solve_error=problem)
    return render(request, "scenario.html", context, 422)


@router.get("/ui/jobs/{job_id}")
def job_page(request: Request, job_id: ResourceId, store: StoreDep, cache: CacheDep) -> Response:
    job = store.get_job(job_id)
    context: dict[str, Any] = {
        "job": job,
        "active": job.state in ACTIVE_JOB_STATES,
        "scenario": store.get_scenario(job.scenario_id),
        "roster": None,
    }
    if job.state == JOB_SUCCEEDED and job.roster_id is not None:
        context["roster"] = store.roster_info(job.roster_id)
        cache.warm(job.roster_id)  # the roster page will want its KPIs next
    return render(request, "job.html", context)


@router.get("/ui/jobs/{job_id}/progress")
def job_progress(job_id: ResourceId, store: StoreDep) -> dict[str, Any]:
    """The JSON API's job document, for the page's script (the session cookie opens it)."""
    return job_out(store.get_job(job_id), store.settings.public_base_url).model_dump(mode="json")


@router.post("/ui/jobs/{job_id}/cancel")
def cancel(job_id: ResourceId, store: StoreDep) -> Response:
    store.request_cancel(job_id)
    return see_other(f"/ui/jobs/{job_id}")
