"""Solve jobs: start one (202 at once), watch its progress, cancel it. A job may say
which previous roster its solve takes as history (`history`: auto, none or a roster id)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from api.db import JobRow
from api.deps import BaseUrl, OptionalId, ResourceId, StoreDep, require_manager
from api.schemas import JobOut, SolveIn, job_out
from api.store import Store

router = APIRouter(tags=["jobs"], dependencies=[Depends(require_manager)])


@router.post(
    "/scenarios/{scenario_id}/jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut
)
def start_solve(
    scenario_id: ResourceId,
    request: Request,
    response: Response,
    store: StoreDep,
    base: BaseUrl,
    body: SolveIn | None = None,
) -> JobOut:
    body = body or SolveIn()
    job = store.create_job(scenario_id, body.time_limit_seconds, body.seed, body.history)
    request.app.state.runner.wake()
    response.headers["Location"] = f"{base}/jobs/{job.id}"
    return _jobs_out(store, [job], base)[0]


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(store: StoreDep, base: BaseUrl, scenario_id: OptionalId = None) -> list[JobOut]:
    return _jobs_out(store, store.list_jobs(scenario_id), base)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: ResourceId, store: StoreDep, base: BaseUrl) -> JobOut:
    return _jobs_out(store, [store.get_job(job_id)], base)[0]


@router.post("/jobs/{job_id}/cancel", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def cancel_job(job_id: ResourceId, store: StoreDep, base: BaseUrl) -> JobOut:
    return _jobs_out(store, [store.request_cancel(job_id)], base)[0]


def _jobs_out(store: Store, jobs: list[JobRow], base: str) -> list[JobOut]:
    histories = store.job_histories([job.id for job in jobs])
    return [job_out(job, base, histories[job.id]) for job in jobs]
