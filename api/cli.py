"""`roster serve` and `roster admin`: run the server, make keys and agent links.

`roster admin create-key` prints a new manager key once (only its hash is stored);
`roster admin agent-token SCENARIO_ID AGENT_ID` issues the agent's personal link (any
earlier link of that agent stops working) and prints it. Both read the same settings as
the server (ROSTER_DATABASE_URL / ROSTER_DB_PATH, ROSTER_PUBLIC_BASE_URL).
"""

from __future__ import annotations

import argparse
import sys

from api.arguments import add_admin_arguments, add_loadbench_arguments, add_serve_arguments
from api.db import create_schema, make_engine
from api.errors import ApiError
from api.schemas import feed_links
from api.settings import Settings
from api.store import Store
from roster.errors import RosterError


def main_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    try:
        settings = Settings.from_env()
    except RosterError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    if not settings.api_key and not _has_stored_keys(settings):
        print(
            "note: no manager key yet; set ROSTER_API_KEY or run `roster admin create-key`",
            file=sys.stderr,
        )
    log_level = getattr(args, "log_level", "info")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=log_level)
    return 0


def main_admin(args: argparse.Namespace) -> int:
    try:
        store = _open_store(Settings.from_env())
        if args.action == "create-key":
            return _create_key(store, args.ids)
        return _agent_token(store, args.ids)
    except (RosterError, ApiError) as error:
        print(f"error: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 2)


def _create_key(store: Store, ids: list[str]) -> int:
    if ids:
        print("error: create-key takes no arguments", file=sys.stderr)
        return 2
    print(store.create_api_key())
    print(
        "keep this key: it is shown only once (send it as 'Authorization: Bearer <key>')",
        file=sys.stderr,
    )
    return 0


def _agent_token(store: Store, ids: list[str]) -> int:
    if len(ids) != 2 or not ids[0].isdigit():
        print("error: usage: roster admin agent-token SCENARIO_ID AGENT_ID", file=sys.stderr)
        return 2
    scenario_id, agent_id = int(ids[0]), ids[1]
    token = store.issue_agent_token(scenario_id, agent_id)
    links = feed_links(token, store.settings.public_base_url)
    print(f"subscribe: {links['webcal_url']}")
    print(f"feed:      {links['feed_url']}")
    print(f"page:      {links['page_url']}")
    print(f"(any earlier link of agent {agent_id} no longer works)", file=sys.stderr)
    return 0


def _open_store(settings: Settings) -> Store:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return Store(engine, settings)


def _has_stored_keys(settings: Settings) -> bool:
    from sqlalchemy import select

    from api.db import ApiKeyRow

    store = _open_store(settings)
    try:
        with store.session() as s:
            return s.scalar(select(ApiKeyRow.id).limit(1)) is not None
    finally:
        store.engine.dispose()


def parser() -> argparse.ArgumentParser:
    """`python -m api serve|admin|loadbench`, the same commands as `roster ...`."""
    top = argparse.ArgumentParser(prog="python -m api", description=__doc__)
    commands = top.add_subparsers(title="commands", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API")
    add_serve_arguments(serve)
    serve.set_defaults(run=main_serve)
    admin = commands.add_parser("admin", help="manager keys and agent links")
    add_admin_arguments(admin)
    admin.set_defaults(run=main_admin)
    bench = commands.add_parser("loadbench", help="feed load benchmark (docs/benchmarks-api.md)")
    add_loadbench_arguments(bench)
    bench.set_defaults(run=_main_loadbench)
    return top


def _main_loadbench(args: argparse.Namespace) -> int:
    from api.loadbench import main_loadbench  # needs httpx, a test dependency

    return main_loadbench(args)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))
