"""One solve job in its own process: `python -m api.worker JOB_ID`.

The server's JobRunner starts it with the database URL in ROSTER_DATABASE_URL. It loads
the job's scenario from the database and the previous roster it takes as history (see
`Store.resolve_job_history`), runs the engine, writes progress as solutions arrive and
elapsed time every second, and stores the roster (checked by the independent validator,
across the boundary with that history too) with the job's outcome. A watcher thread stops
the search when the job is cancelled, when the server marked it ended, or when the server
process is gone.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Sequence

from api.db import make_engine
from api.settings import Settings
from api.store import JOB_CANCELLED, JOB_FAILED, JOB_SUCCEEDED, Store
from roster.check import check_roster, format_violations
from roster.engine import Progress, SolveOptions, solve
from roster.errors import RosterError
from roster.result import Roster

WATCH_SECONDS = 0.25
ELAPSED_EVERY_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 0.5
STOP_GRACE_SECONDS = 3.0
SERVER_PID_VARIABLE = "ROSTER_SERVER_PID"
SERVER_GONE_MESSAGE = "the server stopped during the solve"
CANCELLED_WITHOUT_ROSTER = "cancelled; the search did not stop in time to keep a roster"

log = logging.getLogger("roster.worker")


class Watcher(threading.Thread):
    """Sets `stop` when the job should end early; writes elapsed time while it runs."""

    def __init__(self, store: Store, job_id: int, stop: threading.Event) -> None:
        super().__init__(name=f"watch-job-{job_id}", daemon=True)
        self.store, self.job_id, self.stop = store, job_id, stop
        self.started = time.monotonic()
        # The server's pid comes from the environment: by the time this runs the server
        # may already be gone and this process adopted by another parent.
        self.parent_pid = int(os.environ.get(SERVER_PID_VARIABLE) or os.getppid())
        self.cancelled = False
        self.orphaned = False
        self._done = threading.Event()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def run(self) -> None:
        last_elapsed_write = 0.0
        while not self._done.wait(WATCH_SECONDS):
            if os.getppid() != self.parent_pid:
                self.orphaned = True
                self._stop_solve(JOB_FAILED, SERVER_GONE_MESSAGE)
                return
            if self.store.job_should_stop(self.job_id):
                self.cancelled = True
                self._stop_solve(JOB_CANCELLED, CANCELLED_WITHOUT_ROSTER)
                return
            if self.elapsed() - last_elapsed_write >= ELAPSED_EVERY_SECONDS:
                last_elapsed_write = self.elapsed()
                self.store.record_progress(self.job_id, None, last_elapsed_write)

    def _stop_solve(self, state: str, message: str) -> None:
        """Ask the search to stop; if it has not returned within STOP_GRACE_SECONDS (the
        engine only looks at `stop` when it finds a solution), end the process here."""
        self.stop.set()
        if self._done.wait(STOP_GRACE_SECONDS):
            return
        self.store.finish_job(self.job_id, state, None, message, self.elapsed())
        self.store.engine.dispose()
        os._exit(0)

    def finish(self) -> None:
        self._done.set()
        self.join()


class ProgressWriter:
    """Writes the solver's progress, at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self, store: Store, job_id: int, watcher: Watcher) -> None:
        self.store, self.job_id, self.watcher = store, job_id, watcher
        self.last_write = float("-inf")

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last_write >= PROGRESS_EVERY_SECONDS:
            self.last_write = now
            self.store.record_progress(self.job_id, progress, self.watcher.elapsed())


def run_job(store: Store, job_id: int) -> str:
    """Solve the job and record its outcome; returns the state written."""
    job = store.get_job(job_id)
    stop = threading.Event()
    watcher = Watcher(store, job_id, stop)
    watcher.start()
    options = SolveOptions(
        time_limit_seconds=job.time_limit_seconds,
        workers=job.workers,
        seed=job.seed,
        deterministic=False,  # a service promises wall-clock limits
    )
    roster: Roster | None = None
    try:
        scenario = store.scenario(job.scenario_id)
        previous = store.resolve_job_history(job_id, scenario)
        roster = solve(
            scenario, options, ProgressWriter(store, job_id, watcher), stop, previous.history
        )
        if previous.roster_id is not None:
            roster.extra["history"] = {**roster.extra["history"], "roster_id": previous.roster_id}
        violations = check_roster(scenario, roster, previous.history)
        if violations:
            state, roster, error = JOB_FAILED, None, format_violations(violations)
        else:
            state, error = (JOB_SUCCEEDED, None)
            if watcher.cancelled:
                state, error = JOB_CANCELLED, "cancelled; the best roster found so far was kept"
    except RosterError as exc:
        state, error = (JOB_CANCELLED if watcher.cancelled else JOB_FAILED), str(exc)
    except Exception as exc:  # a bug: record it on the job rather than leave it running
        log.exception("job %s failed", job_id)
        state, error = JOB_FAILED, f"internal error in the solve worker: {exc}"
    finally:
        watcher.finish()
    if watcher.orphaned:
        state, roster, error = JOB_FAILED, None, SERVER_GONE_MESSAGE
    store.finish_job(job_id, state, roster, error, watcher.elapsed())
    return state


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m api.worker JOB_ID", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="worker %(process)d: %(message)s")
    settings = Settings(database_url=os.environ["ROSTER_DATABASE_URL"])
    engine = make_engine(settings.database_url)
    try:
        run_job(Store(engine, settings), int(args[0]))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
