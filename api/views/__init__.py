"""HTML pages for managers and agents, served by the same app as the JSON API.

Manager pages (a session cookie opened with a manager API key; anything else redirects
to the login form):

    GET  /ui/login, POST /ui/login, POST /ui/logout
    GET  /ui/scenarios                  list, upload forms (files, folder or zip)
    POST /ui/scenarios                  upload; the engine's file/row/column error in place
    GET  /ui/scenarios/{id}             agents, solve form, solves, rosters
    POST /ui/scenarios/{id}/solve       start a solve  -> /ui/jobs/{job}
    POST /ui/scenarios/{id}/agents/{agent}/link   a new personal link, shown once
    GET  /ui/jobs/{id}                  live progress, then the result
    GET  /ui/jobs/{id}/progress         the job as JSON, polled by static/job.js
    POST /ui/jobs/{id}/cancel
    GET  /ui/rosters/{id}               KPI cards, publish, downloads
    GET  /ui/rosters/{id}/week          agents x days grid of one week (?week=N); zone, filters
    GET  /ui/rosters/{id}/coverage      per queue: required vs scheduled SVG of one week,
                                        shortfalls, why; a queue x week table
    GET  /ui/rosters/{id}/hours         every agent's hours in every week of the horizon
    POST /ui/rosters/{id}/publish
    GET  /ui/rosters/{id}/shifts.csv | coverage.csv | calendar.ics | roster.json

A roster of several weeks is shown one planning week at a time (api/views/horizon.py);
the figures per week come from api/views/weekly.py.

Agent page (the personal link; 404 for a link that opens nothing):

    GET  /ui/agent/{token}

Static files (CSS, two small scripts) are served from /ui/static; nothing comes from
another host.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.views import agent, auth, rosters, scenarios, solves
from api.views.cache import RosterCache
from api.views.session import SessionSigner
from api.views.templating import STATIC_DIR


def install_views(app: FastAPI) -> None:
    """Add the pages to an app made by `api.app.create_app` (it needs app.state.store)."""
    store = app.state.store
    app.state.session_signer = SessionSigner.for_settings(store.settings)
    app.state.roster_cache = RosterCache(store)
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    for module in (auth, scenarios, solves, rosters, agent):
        app.include_router(module.router)
