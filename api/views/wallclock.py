"""How a shift's local end reads: a shift that ends at midnight ends at 24:00 of its own
date, not at 00:00 of the next one; anything later is marked as ending the next day."""

from __future__ import annotations

from datetime import datetime, time, timedelta


def ends_at_midnight_after(start: datetime, end: datetime) -> bool:
    return end.time() == time(0) and end.date() == start.date() + timedelta(days=1)


def end_clock(start: datetime, end: datetime) -> str:
    """'24:00' for a shift ending at the midnight after its start, else 'HH:MM'."""
    return "24:00" if ends_at_midnight_after(start, end) else f"{end:%H:%M}"


def ends_next_day(start: datetime, end: datetime) -> bool:
    return end.date() > start.date() and not ends_at_midnight_after(start, end)
