"""roster.calendar.revise on hand-made events: which revision each shift ends up with."""

from __future__ import annotations

from dataclasses import replace

from roster.calendar import ShiftEvent, event_summary, revise, shift_uid
from tests.api.helpers import utc

MONDAY = utc("2026-11-30T08:00:00")
TUESDAY = utc("2026-12-01T08:00:00")
FIRST, SECOND = utc("2026-11-20T12:00:00"), utc("2026-11-21T12:00:00")


def event(start=MONDAY, hours: int = 8, queue: str = "en-L1", **changes: object) -> ShiftEvent:
    base = ShiftEvent(
        agent_id="a01",
        agent_name="Ana",
        start=start,
        end=start.replace(hour=start.hour + hours),
        queue=queue,
        languages=("en",),
        tier="L1",
        timezone="UTC",
        stamp=FIRST,
    )
    return replace(base, **changes)


def by_start(events: list[ShiftEvent]) -> dict:
    return {e.start: (e.sequence, e.cancelled, e.stamp, e.end, e.queue) for e in events}


def test_first_publication_gives_every_shift_sequence_zero() -> None:
    revised = revise([], [event(), event(TUESDAY)], SECOND)
    assert by_start(revised) == {
        MONDAY: (0, False, SECOND, utc("2026-11-30T16:00:00"), "en-L1"),
        TUESDAY: (0, False, SECOND, utc("2026-12-01T16:00:00"), "en-L1"),
    }


def test_unchanged_shift_keeps_sequence_and_stamp() -> None:
    stored = [event(sequence=3, stamp=FIRST)]
    assert by_start(revise(stored, [event(stamp=SECOND)], SECOND))[MONDAY][:3] == (3, False, FIRST)


def test_changed_end_or_queue_raises_sequence_and_restamps() -> None:
    stored = [event(), event(TUESDAY)]
    revised = by_start(revise(stored, [event(hours=10), event(TUESDAY, queue="fr-L1")], SECOND))
    assert revised[MONDAY] == (1, False, SECOND, utc("2026-11-30T18:00:00"), "en-L1")
    assert revised[TUESDAY][:3] == (1, False, SECOND) and revised[TUESDAY][4] == "fr-L1"


def test_removed_shift_is_cancelled_once() -> None:
    once = revise([event(), event(TUESDAY)], [event()], SECOND)
    assert by_start(once)[TUESDAY][:3] == (1, True, SECOND)
    twice = revise(once, [event()], utc("2026-11-22T12:00:00"))
    assert by_start(twice)[TUESDAY][:3] == (1, True, SECOND)


def test_revived_shift_is_confirmed_with_a_higher_sequence() -> None:
    stored = [event(TUESDAY, sequence=1, cancelled=True)]
    assert by_start(revise(stored, [event(TUESDAY)], SECOND))[TUESDAY][:3] == (2, False, SECOND)


def test_uid_depends_only_on_agent_and_start_and_escapes_odd_ids() -> None:
    assert shift_uid("a01", MONDAY, "x.test") == "shift-20261130T080000Z-a01@x.test"
    assert shift_uid("Ana Reyes/7@hq", MONDAY, "x.test") == (
        "shift-20261130T080000Z-Ana%20Reyes%2F7%40hq@x.test"
    )


def test_summary_names_queue_languages_and_tier() -> None:
    ana = event(languages=("en", "fr"), tier="L2", queue="fr-L1")
    assert event_summary(ana) == "Shift fr-L1 · en fr · L2"
    assert event_summary(ana, with_name=True) == "Ana: Shift fr-L1 · en fr · L2"
    assert (
        event_summary(replace(ana, queue=None, cancelled=True)) == "Cancelled: Shift · en fr · L2"
    )
