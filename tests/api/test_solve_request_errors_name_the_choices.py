"""A solve request with an unusable `history` says in plain words what it may be.

`history` is "auto", "none" or a roster id; a planner who sends anything else should read
that, not the names pydantic gives the branches of the union ("literal[...]",
"constrained-int").
"""

from __future__ import annotations

import pytest

from tests.api.helpers import AUTH, TestClient, scenario_files, upload_json

HISTORY_CHOICES = 'history: give "auto", "none" or a roster id (a whole number from 1)'


@pytest.mark.parametrize(
    ("history", "shown"), [("last", '"last"'), (1.5, "1.5"), (None, "null"), ([3], "[3]")]
)
def test_an_unusable_history_is_named_with_its_choices(
    client: TestClient, history: object, shown: str
) -> None:
    scenario_id = upload_json(client, scenario_files())

    response = client.post(
        f"/scenarios/{scenario_id}/jobs", json={"history": history}, headers=AUTH
    )

    assert response.status_code == 422
    assert response.json()["detail"] == f"{HISTORY_CHOICES}, not {shown}"
    assert client.get("/jobs", headers=AUTH).json() == []


@pytest.mark.parametrize("history", [0, -3])
def test_a_roster_id_below_1_is_named_with_its_bound(client: TestClient, history: int) -> None:
    scenario_id = upload_json(client, scenario_files())

    response = client.post(
        f"/scenarios/{scenario_id}/jobs", json={"history": history}, headers=AUTH
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "history: Input should be greater than or equal to 1"
