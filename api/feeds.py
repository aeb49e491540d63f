"""HTTP side of calendars: content type, ETag / If-None-Match, caching headers."""

from __future__ import annotations

from fastapi import Request, Response

from api.store import Feed

CALENDAR_TYPE = "text/calendar; charset=utf-8"
# Feed URLs hold a secret: only the subscriber's own client may cache, and it should
# come back within the hour the calendar itself asks for (X-PUBLISHED-TTL).
FEED_CACHE_CONTROL = "private, max-age=300"
DOWNLOAD_CACHE_CONTROL = "private, no-cache"


def calendar_response(request: Request, feed: Feed, download: str | None = None) -> Response:
    headers = {
        "ETag": feed.etag,
        "Cache-Control": DOWNLOAD_CACHE_CONTROL if download else FEED_CACHE_CONTROL,
    }
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{download}"'
    if _matches(request.headers.get("if-none-match"), feed.etag):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else feed.body
    response = Response(body, headers=headers, media_type=CALENDAR_TYPE)
    if request.method == "HEAD":
        response.headers["content-length"] = str(len(feed.body))
    return response


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
