"""The header's "API" link (`/docs`, Swagger UI) and `/redoc` work without internet: their
scripts come from this server. In Chromium with every request to another host refused,
Swagger UI renders the service's OpenAPI 3.1 description, operations included.

Skipped only when /usr/bin/chromium is missing (`apt-get install -y chromium`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.api.test_server_end_to_end import Server

ASSET = re.compile(r'(?:src|href)="([^"]+\.(?:js|css))"')


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_their_scripts_from_this_server(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assets = ASSET.findall(html)
    assert assets, f"{page} names no script or stylesheet"
    for url in assets:
        assert not urlsplit(url).netloc, f"{page} loads {url} from another host"
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 10_000, url  # the real bundle, not an error page


@pytest.mark.browser
def test_swagger_ui_renders_the_operations_offline(manager, server: Server) -> None:
    elsewhere: list[str] = []

    def only_this_server(route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    manager.route("**/*", only_this_server)
    manager.goto("/docs")
    # One of the service's own operations, drawn from /openapi.json by the script.
    manager.locator(".opblock-summary-path", has_text="/health").wait_for()
    assert manager.locator(".opblock").count() > 20
    assert elsewhere == []
