"""Command-line arguments of the API commands, kept free of heavy imports so that the
`roster` command can list them without loading FastAPI or SQLAlchemy."""

from __future__ import annotations

import argparse

from roster.cli_types import positive_int, positive_seconds, tcp_port


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=tcp_port, default=8000)
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("debug", "info", "warning", "error"),
        help="uvicorn's log level; 'warning' drops the access log",
    )


def add_admin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("create-key", "agent-token"))
    parser.add_argument("ids", nargs="*", help="agent-token: SCENARIO_ID AGENT_ID")


def add_loadbench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agents", type=positive_int, default=500, help="agents in the scenario (500)"
    )
    parser.add_argument(
        "--clients", type=positive_int, default=200, help="concurrent clients (200)"
    )
    parser.add_argument(
        "--requests", type=positive_int, default=20_000, help="total requests (20000)"
    )
    parser.add_argument(
        "--duration", type=positive_seconds, default=30.0, help="most seconds of load (30)"
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="pause of each client between its requests (0: as fast as possible)",
    )
    parser.add_argument(
        "--revalidate",
        action="store_true",
        help="send If-None-Match as a subscribed calendar does (expects 304s)",
    )
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="raw asyncio HTTP/1.1 (default, cheap) or httpx (its pool dominates the CPU)",
    )
    parser.add_argument("--seed", type=int, default=1)
