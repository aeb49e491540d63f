"""Per-process caches for the pages. A stored roster never changes, so its parsed form, its
required and scheduled agents per interval, and its KPI summary can be kept by roster id
(ids are never reused).

The KPI summary (`roster.kpi.summarize`) explains every short interval from the shifts each
qualified agent could have worked, which takes seconds for a large team. It is computed
once per roster in a background thread; a page waits for it only briefly and otherwise
says it is still being computed and refreshes itself.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from api.store import Store
from api.views.weekly import CoverageArrays
from roster.kpi import RosterSummary, scheduled_per_queue, summarize
from roster.model import Scenario
from roster.result import Roster
from roster.staffing import required_agents

ROSTER_ENTRIES = 16
SUMMARY_ENTRIES = 64


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


class RosterCache:
    """Parsed (scenario, roster) pairs and their summaries, for one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._rosters: OrderedDict[int, tuple[Scenario, Roster]] = OrderedDict()
        self._arrays: OrderedDict[int, CoverageArrays] = OrderedDict()
        self._summaries: OrderedDict[int, RosterSummary] = OrderedDict()
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._one_summary_at_a_time = threading.Semaphore(1)

    def roster(self, roster_id: int) -> tuple[Scenario, Roster]:
        with self._lock:
            found = self._rosters.get(roster_id)
            if found is not None:
                self._rosters.move_to_end(roster_id)
                return found
        found = self.store.roster(roster_id)
        with self._lock:
            self._rosters[roster_id] = found
            _trim(self._rosters, ROSTER_ENTRIES)
        _freeze_long_lived()
        return found

    def coverage_arrays(self, roster_id: int) -> CoverageArrays:
        """Required (Erlang C over the whole horizon) and scheduled agents per interval."""
        with self._lock:
            found = self._arrays.get(roster_id)
            if found is not None:
                self._arrays.move_to_end(roster_id)
                return found
        scenario, roster = self.roster(roster_id)
        found = CoverageArrays(required_agents(scenario), scheduled_per_queue(scenario, roster))
        with self._lock:
            self._arrays[roster_id] = found
            _trim(self._arrays, ROSTER_ENTRIES)
        return found

    def summary(self, roster_id: int, wait_seconds: float) -> RosterSummary | None:
        """The roster's summary, waiting at most `wait_seconds` for it to be computed.

        None while it is still being computed; an error of the computation is raised.
        """
        pending = self.warm(roster_id)
        if pending is not None:
            pending.done.wait(wait_seconds)
            if pending.error is not None:
                raise pending.error
        with self._lock:
            return self._summaries.get(roster_id)

    def warm(self, roster_id: int) -> _Pending | None:
        """Start computing the summary unless it is known or on its way."""
        with self._lock:
            if roster_id in self._summaries:
                return None
            pending = self._pending.get(roster_id)
            if pending is not None:
                return pending
            pending = self._pending[roster_id] = _Pending()
        # A daemon thread, so a long computation never holds up the server's shutdown.
        threading.Thread(
            target=self._compute,
            args=(roster_id, pending),
            name=f"summary-{roster_id}",
            daemon=True,
        ).start()
        return pending

    def _compute(self, roster_id: int, pending: _Pending) -> None:
        try:
            with self._one_summary_at_a_time:
                summary = summarize(*self.roster(roster_id))
            with self._lock:
                self._summaries[roster_id] = summary
                _trim(self._summaries, SUMMARY_ENTRIES)
            _freeze_long_lived()
        except Exception as exc:  # handed to the page that waits for it
            pending.error = exc
        finally:
            with self._lock:
                self._pending.pop(roster_id, None)
            pending.done.set()


def _trim(entries: OrderedDict, limit: int) -> None:
    while len(entries) > limit:
        entries.popitem(last=False)


def _freeze_long_lived() -> None:
    """Take what is alive now, chiefly the cache's parsed rosters and summaries (hundreds
    of thousands of objects for a long horizon), out of the garbage collector's sight.

    Otherwise every few page views a full collection walks all of them and the page takes
    a few hundred milliseconds longer. Frozen objects are still freed by reference
    counting when the cache drops them (rosters and summaries hold no reference cycles);
    only a cycle that happens to be alive at this moment would stay. Called once per
    roster or summary the cache takes in, never per page view.
    """
    gc.collect()
    gc.freeze()
