"""The FastAPI application: `create_app(settings, clock)`.

Start-up creates the schema, fails jobs a previous process left unfinished ("server
restarted during the solve") and starts the job runner; shut-down stops the workers.
Run it with `roster serve`, or `uvicorn --factory api.app:create_app`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.db import create_schema, make_engine
from api.errors import install_error_handlers
from api.jobs import JobRunner
from api.limits import BodySizeLimit
from api.routes import agents, jobs, keys, rosters, scenarios
from api.settings import Settings
from api.store import Clock, Store, utc_now
from api.views import install_views

DOCS_STATIC_URL = "/docs-static"  # Swagger UI and ReDoc's own files

DESCRIPTION = """
Rosters for a 24/7 helpdesk over HTTP. Managers (bearer API key) upload scenarios, run
solves in the background, read rosters as JSON, CSV, KPIs or .ics and publish them.
Each agent gets a personal link that opens only that agent's page and calendar feed.
"""


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    store = Store(make_engine(settings.database_url), settings, clock or _default_clock(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = store.engine
        create_schema(engine)
        store.fail_interrupted_jobs()
        runner = JobRunner(store)
        app.state.runner = runner
        runner.start()
        try:
            yield
        finally:
            runner.stop()
            engine.dispose()

    # FastAPI's /docs and /redoc load their scripts from a CDN and stay blank offline;
    # fastapi-offline serves the same pages with the scripts shipped in its package.
    app = FastAPIOffline(
        title="roster",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url=DOCS_STATIC_URL,
    )
    app.state.store = store
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    for router in (
        scenarios.router,
        jobs.router,
        rosters.router,
        agents.managers,
        agents.links,
        keys.router,
    ):
        app.include_router(router)
    app.add_api_route("/health", health, methods=["GET"], tags=["health"])
    install_views(app)  # the HTML pages (api/views) and their static files
    return app


def health() -> dict[str, str]:
    return {"status": "ok"}


def _default_clock(settings: Settings) -> Clock:
    fixed = settings.fixed_now
    if fixed is None:
        return utc_now

    def fixed_clock() -> datetime:
        return fixed

    return fixed_clock
