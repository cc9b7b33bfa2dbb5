"""Recall ``next``-URL paging, hidden in one generator.

List Bots pages by page number (``{count, next, previous, results}``); recordings, participant
events and calendar events page by cursor (``{next, previous, results}``).  Both hand back ``next``
as a full URL that already carries the page / cursor and the original filters, so one loop serves
both: follow ``next`` until it is null, never build a page URL ourselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from mapper.errors import DataError

MAX_PAGES = 100_000

#: ``fetch(url, params)`` → the decoded JSON body of one page (retries and errors are its business).
Fetch = Callable[[str, Mapping[str, Any] | None], Any]


def pages(fetch: Fetch, path: str, params: Mapping[str, Any] | None, *, base_url: str, what: str) -> Iterator[Any]:
    """Yield each page's ``results`` items, following ``next`` until it is null."""
    url: str = path
    query: Mapping[str, Any] | None = params
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        body = fetch(url, query)
        if not isinstance(body, Mapping):
            raise DataError(f"{what}: a page must be a JSON object")
        results = body.get("results")
        if not isinstance(results, list):
            raise DataError(f"{what}: a page must have a results array")
        yield from results
        nxt = body.get("next")
        if nxt is None or nxt == "":
            return
        if not isinstance(nxt, str):
            raise DataError(f"{what}: next must be a URL or null")
        if nxt in seen:
            raise DataError(f"{what}: the server repeated a next URL; stopping to avoid a loop")
        _check_same_service(nxt, base_url, what)
        seen.add(nxt)
        url, query = nxt, None
    raise DataError(f"{what}: more than {MAX_PAGES} pages")


def _check_same_service(url: str, base_url: str, what: str) -> None:
    """The API key goes with every page request: only follow links to the same service."""
    try:
        target, base = urlsplit(url), urlsplit(base_url)
    except ValueError:
        raise DataError(f"{what}: next is not a URL") from None
    if not target.scheme and not target.netloc:
        return  # a relative link resolves against the base URL
    host, base_host = (target.hostname or "").lower(), (base.hostname or "").lower()
    same = target.scheme == base.scheme and host == base_host and target.port == base.port
    recall = target.scheme == "https" and (host == "recall.ai" or host.endswith(".recall.ai"))
    if not (same or recall):
        raise DataError(f"{what}: next points at another host ({host or '?'}); not sending the API key there")


__all__ = ["MAX_PAGES", "Fetch", "pages"]
