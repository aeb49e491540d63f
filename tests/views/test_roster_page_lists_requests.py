"""The roster page says which of the agents' requests (requests.csv) the roster grants.

`roster solve` prints "requests: N of M granted" with a line per request, and the JSON
summary has them; a manager working in the browser must see the same on the roster page.

The tiny DST week of tests/views/helpers.py has exactly one valid roster: Dana works
Saturday 28 and Sunday 29 March 2026, 09:00-17:00 Paris time, and Kai (Manila, 0 to 40 h)
works nothing. So Dana's wish for Saturday off is denied, her wish to work on Sunday is
granted, and Kai's wish for Wednesday off is granted.
"""

from __future__ import annotations

from tests.api.helpers import (
    TestClient,
    domain_scenario,
    roster_document,
    upload_json,
    upload_roster,
)
from tests.views.helpers import DST_FILES, log_in, text_of

REQUESTS_CSV = """agent_id,date,kind,weight
d01,2026-03-28,off,2
d01,2026-03-29,on,1
d02,2026-03-25,off,1
"""
DANA_WEEKEND = [
    ("d01", "2026-03-28T08:00:00", "2026-03-28T16:00:00", "en-L1"),
    ("d01", "2026-03-29T07:00:00", "2026-03-29T15:00:00", "en-L1"),
]


def test_the_roster_page_lists_each_request_granted_or_denied(client: TestClient) -> None:
    files = {**DST_FILES, "requests.csv": REQUESTS_CSV}
    scenario_id = upload_json(client, files)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(files), DANA_WEEKEND)
    )
    log_in(client)

    text = text_of(client.get(f"/ui/rosters/{roster_id}").text)

    assert "Requests 2 of 3 granted" in text
    assert (
        "Agent Local date Request Weight Outcome"
        " Dana Weekend d01 Sat 28 Mar 2026 off 2 denied"
        " Dana Weekend d01 Sun 29 Mar 2026 on 1 granted"
        " Kai Santos d02 Wed 25 Mar 2026 off 1 granted"
    ) in text


def test_a_roster_without_requests_shows_no_requests_section(client: TestClient) -> None:
    scenario_id = upload_json(client, DST_FILES)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(DST_FILES), DANA_WEEKEND)
    )
    log_in(client)

    assert "Requests" not in text_of(client.get(f"/ui/rosters/{roster_id}").text)
