"""Solve jobs: start one (202 at once), watch its progress, cancel it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import BaseUrl, OptionalId, ResourceId, StoreDep, require_manager
from api.schemas import JobOut, SolveIn, job_out

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
    job = store.create_job(scenario_id, body.time_limit_seconds, body.seed)
    request.app.state.runner.wake()
    response.headers["Location"] = f"{base}/jobs/{job.id}"
    return job_out(job, base)


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(store: StoreDep, base: BaseUrl, scenario_id: OptionalId = None) -> list[JobOut]:
    return [job_out(job, base) for job in store.list_jobs(scenario_id)]


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: ResourceId, store: StoreDep, base: BaseUrl) -> JobOut:
    return job_out(store.get_job(job_id), base)


@router.post("/jobs/{job_id}/cancel", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def cancel_job(job_id: ResourceId, store: StoreDep, base: BaseUrl) -> JobOut:
    return job_out(store.request_cancel(job_id), base)
