"""Runs solve jobs in worker processes, so a long solve never blocks the API.

The JobRunner thread claims queued jobs while fewer than `max_parallel_solves` workers run,
starts one `python -m api.worker JOB_ID` process per job (its own session, so a Ctrl-C in
the server's terminal reaches only the server) and reaps them. Each worker has its own
process and job row, so two solves never share state. A worker that dies without writing
an outcome fails its job; one that ignores a cancel for CANCEL_GRACE_SECONDS is killed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from api.store import JOB_CANCELLED, JOB_FAILED, Store
from api.worker import SERVER_PID_VARIABLE

POLL_SECONDS = 0.2
CANCEL_GRACE_SECONDS = 10.0
STOP_GRACE_SECONDS = 5.0
SERVER_STOPPED_MESSAGE = "the server stopped during the solve"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger("roster.api.jobs")


@dataclass
class _Worker:
    process: subprocess.Popen
    cancel_seen_at: float | None = None
    killed_for_cancel: bool = field(default=False)


class JobRunner:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.max_parallel = store.settings.max_parallel_solves
        self._workers: dict[int, _Worker] = {}
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="job-runner", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Look for queued jobs now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Stop the loop, end every worker and fail the jobs they were solving."""
        self._stopping.set()
        self._wake.set()
        self._thread.join()
        for worker in self._workers.values():
            worker.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for job_id, worker in self._workers.items():
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            self.store.end_running_job(job_id, JOB_FAILED, SERVER_STOPPED_MESSAGE)
        self._workers.clear()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._reap()
                self._enforce_cancels()
                self._launch()
            except Exception:  # keep the runner alive; the next poll retries
                log.exception("job runner poll failed")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def _launch(self) -> None:
        for job_id in self.store.claim_queued_jobs(self.max_parallel - len(self._workers)):
            self._workers[job_id] = _Worker(self._spawn(job_id))

    def _spawn(self, job_id: int) -> subprocess.Popen:
        env = dict(os.environ)
        env["ROSTER_DATABASE_URL"] = self.store.settings.database_url
        env[SERVER_PID_VARIABLE] = str(os.getpid())
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        return subprocess.Popen(
            [sys.executable, "-m", "api.worker", str(job_id)],
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _reap(self) -> None:
        for job_id, worker in list(self._workers.items()):
            code = worker.process.poll()
            if code is None:
                continue
            del self._workers[job_id]
            if worker.killed_for_cancel:
                self.store.end_running_job(
                    job_id, JOB_CANCELLED, "cancelled; the worker was stopped after the cancel"
                )
            else:
                self.store.end_running_job(
                    job_id, JOB_FAILED, f"the solve worker exited (code {code}) without a result"
                )

    def _enforce_cancels(self) -> None:
        now = time.monotonic()
        for job_id, worker in self._workers.items():
            if worker.killed_for_cancel:
                continue
            if worker.cancel_seen_at is None:
                if self.store.get_job(job_id).cancel_requested:
                    worker.cancel_seen_at = now
            elif now - worker.cancel_seen_at > CANCEL_GRACE_SECONDS:
                worker.process.kill()
                worker.killed_for_cancel = True
