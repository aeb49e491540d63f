"""The contract lets an agent id be any text, so an id with a '/' (`q/1`) must be reachable
by every route that names an agent, percent-encoded or not, and by the pages' buttons."""

from __future__ import annotations

import re

from tests.api.helpers import (
    AGENTS,
    AUTH,
    TestClient,
    domain_scenario,
    page_text,
    publish,
    roster_document,
    scenario_files,
    upload_json,
    upload_roster,
)

QUINN = "q/1,Quinn Slash,Europe/Paris,en,L1,employee,0,40,20.00,00:00,24:00"
FILES = scenario_files(agents=[QUINN, *AGENTS[1:]])
QUINN_TUESDAY = ("q/1", "2026-12-01T08:00:00", "2026-12-01T16:00:00", "en-L1")


def test_an_agent_id_with_a_slash_can_be_linked_read_and_revoked(client: TestClient) -> None:
    scenario_id = upload_json(client, FILES)
    roster_id = upload_roster(
        client, scenario_id, roster_document(domain_scenario(FILES), [QUINN_TUESDAY])
    )
    publish(client, roster_id)

    for written in ("q%2F1", "q/1"):
        issued = client.post(f"/scenarios/{scenario_id}/agents/{written}/link", headers=AUTH)
        assert issued.status_code == 201, (written, issued.text)
        assert issued.json()["agent_id"] == "q/1"
        week = client.get(f"/agents/{written}/shifts", params={"week": "2026-11-30"}, headers=AUTH)
        assert week.status_code == 200, week.text
        assert (week.json()["name"], week.json()["roster_id"]) == ("Quinn Slash", roster_id)
        assert [s["start_utc"] for s in week.json()["shifts"]] == ["2026-12-01T08:00:00Z"]

    token = issued.json()["token"]
    assert client.get(f"/agent/{token}").json()["agent_id"] == "q/1"
    assert client.delete("/agents/q%2F1/link", headers=AUTH).status_code == 204
    assert client.get(f"/agent/{token}").status_code == 404


def test_the_make_link_button_works_for_an_agent_id_with_a_slash(pages: TestClient) -> None:
    scenario_id = upload_json(pages, FILES)
    page = pages.get(f"/ui/scenarios/{scenario_id}").text
    actions = re.findall(r'<form method="post" action="([^"]*/agents/[^"]*/link)"', page)
    assert f"/ui/scenarios/{scenario_id}/agents/q%2F1/link" in actions

    linked = pages.post(f"/ui/scenarios/{scenario_id}/agents/q%2F1/link")
    assert linked.status_code == 200, linked.text
    assert "Personal link for Quinn Slash" in page_text(linked.text)
    agents = pages.get(f"/scenarios/{scenario_id}/agents", headers=AUTH).json()
    assert {a["agent_id"]: a["has_link"] for a in agents}["q/1"] is True
