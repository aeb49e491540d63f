"""Argument types of the `roster` command: each refuses a bad value with a message that
names it, before anything is read, solved or written (argparse reports it, exit 2)."""

from __future__ import annotations

import argparse
import math
from datetime import date

from roster.timegrid import is_iana_zone


def positive_seconds(text: str) -> float:
    """A time limit: a finite number of seconds above 0."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return seconds


def positive_int(text: str) -> int:
    """A count of at least 1 (workers, agents)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number from 1")
    return number


def agent_counts(text: str) -> list[int]:
    """Comma-separated agent counts, each at least 1: '50,200'."""
    counts = [positive_int(part.strip()) for part in text.split(",") if part.strip()]
    if not counts:
        raise argparse.ArgumentTypeError(f"{text!r}: give agent counts such as 50,200")
    return counts


def horizon_weeks(text: str) -> int:
    from roster.scenario import HORIZON_WEEKS  # loaded only when the option is given

    weeks = positive_int(text)
    if weeks > HORIZON_WEEKS.high:
        raise argparse.ArgumentTypeError(f"{text!r}: a horizon is 1 to {HORIZON_WEEKS.high} weeks")
    return weeks


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def iana_zone(text: str) -> str:
    if not is_iana_zone(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an IANA time zone (e.g. Europe/Paris)")
    return text


def tcp_port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a port is 0 to 65535")
    return port
