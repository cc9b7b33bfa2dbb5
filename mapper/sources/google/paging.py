"""Google ``pageToken`` paging, hidden in one generator: callers never see page tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mapper.errors import DataError
from mapper.sources.google.api import GoogleApi, Resource

MAX_PAGES = 100_000


def pages(
    api: GoogleApi,
    make: Callable[[Resource, str | None], Any],
    *,
    subject: str | None = None,
    what: str,
) -> Iterator[dict[str, Any]]:
    """Yield every page body; ``make(resource, page_token)`` builds the request for one page."""
    token: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):

        def request(resource: Resource, page: str | None = token) -> Any:
            return make(resource, page)

        body = api.execute(request, subject=subject, what=what)
        yield body
        nxt = body.get("nextPageToken")
        if not nxt:
            return
        if not isinstance(nxt, str) or nxt in seen:
            raise DataError(f"{what}: the server repeated a page token; stopping to avoid a loop")
        seen.add(nxt)
        token = nxt
    raise DataError(f"{what}: more than {MAX_PAGES} pages")


__all__ = ["pages"]
