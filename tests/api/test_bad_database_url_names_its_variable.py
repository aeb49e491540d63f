"""A database URL that SQLAlchemy cannot parse stops the server with a message naming the
variable it came from, as every other nonsense setting does (docs/api.md, "Settings")."""

from __future__ import annotations

import pytest

from api.settings import Settings, SettingsError


@pytest.mark.parametrize("name", ["ROSTER_DATABASE_URL", "DATABASE_URL"])
def test_unparsable_database_url_names_the_variable_it_came_from(name: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}: database URL 'not a url'"):
        Settings.from_env({name: "not a url"})


def test_roster_database_url_is_named_when_it_hides_a_good_database_url() -> None:
    env = {"ROSTER_DATABASE_URL": "not a url", "DATABASE_URL": "sqlite:///ok.db"}
    with pytest.raises(SettingsError, match=r"^ROSTER_DATABASE_URL: "):
        Settings.from_env(env)
