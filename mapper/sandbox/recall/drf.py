"""The Django REST framework behaviour Recall's API inherits: paging links, filter errors, 404s.

Recall is a DRF service (its OpenAPI is drf-spectacular output), so the emulator copies DRF's
observable rules:

- ``PageNumberPagination`` (List Bots): ``{"count", "next", "previous", "results"}``; links are the
  request's absolute URL with ``page`` replaced (query keys sorted, as ``replace_query_param``
  does), ``previous`` drops ``page`` when it points at page 1; ``page=last`` works; a page out of
  range or not a number → 404 ``{"detail": "Invalid page."}``.
- ``CursorPagination`` (participant events, recordings): ``{"next", "previous", "results"}`` with
  an opaque ``cursor`` holding the position of the boundary item, so pages stay stable when items
  are added; a cursor that does not decode → 404 ``{"detail": "Invalid cursor"}``.
- django-filter: empty values are ignored; bad values → 400 ``{"<filter>": ["<message>"]}`` with
  Django's form messages.  Range filters (``join_at_after`` / ``join_at_before``) report under the
  base name (``join_at``) — inferred from django-filter's ``DateTimeFromToRangeFilter`` (UNCERTAIN).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from mapper.sandbox.envelopes import recall_error
from mapper.sandbox.http import ApiError, Request, Response

T = TypeVar("T")
Key = tuple[Any, ...]


def link(request: Request, key: str, value: str | None) -> str:
    """``request``'s absolute URL with query parameter ``key`` set (or removed when None)."""
    query = {name: list(values) for name, values in request.query.items()}
    if value is None:
        query.pop(key, None)
    else:
        query[key] = [value]
    encoded = urlencode(sorted(query.items()), doseq=True)
    return f"{request.base_url}{request.path}" + (f"?{encoded}" if encoded else "")


def page_number(request: Request, items: Sequence[T], page_size: int) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items`` and the envelope fields (``count``, ``next``, ``previous``)."""
    pages = max(1, -(-len(items) // page_size))
    raw = request.arg("page") or "1"
    try:
        number = pages if raw == "last" else int(raw)
    except ValueError:
        number = 0
    if not 1 <= number <= pages:
        raise recall_error(404, "Invalid page.")
    start = (number - 1) * page_size
    envelope = {
        "count": len(items),
        "next": link(request, "page", str(number + 1)) if number < pages else None,
        "previous": None if number == 1 else link(request, "page", None if number == 2 else str(number - 1)),
    }
    return list(items[start : start + page_size]), envelope


def cursor_page(
    request: Request, items: Sequence[T], key: Callable[[T], Key], page_size: int
) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items`` in ``key`` order (keys must be unique and comparable)."""
    items = sorted(items, key=key)
    keys = [key(item) for item in items]
    cursor = request.arg("cursor")
    position: Key = ()
    if not cursor:
        start, end = 0, min(len(items), page_size)
    else:
        position, reverse = _decode(cursor)
        if keys and [type(part) for part in position] != [type(part) for part in keys[0]]:
            raise recall_error(404, "Invalid cursor")  # a cursor from another list (or hand-made)
        if reverse:
            end = sum(1 for item_key in keys if item_key < position)
            start = max(0, end - page_size)
        else:
            start = sum(1 for item_key in keys if item_key <= position)
            end = min(len(items), start + page_size)
    envelope = {
        "next": link(request, "cursor", _encode(keys[end - 1], False)) if 0 < end < len(items) else None,
        "previous": link(request, "cursor", _encode(keys[start] if start < len(keys) else position, True))
        if start > 0
        else None,
    }
    return list(items[start:end]), envelope


def _encode(position: Key, reverse: bool) -> str:
    body = json.dumps({"p": list(position), "r": int(reverse)}, separators=(",", ":"))
    return base64.b64encode(body.encode()).decode()


def _decode(cursor: str) -> tuple[Key, bool]:
    try:
        data = json.loads(base64.b64decode(cursor.encode(), validate=True))
        position, reverse = data["p"], data["r"]
        if not isinstance(position, list) or reverse not in (0, 1):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise recall_error(404, "Invalid cursor") from None
    return tuple(position), bool(reverse)


class Filters:
    """Collects django-filter style errors and raises them together as one 400."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.errors: dict[str, list[str]] = {}

    def values(self, *names: str) -> list[str]:
        return [value for name in names for value in self.request.args(name) if value != ""]

    def datetime(self, param: str, field: str) -> datetime | None:
        raw = self.request.arg(param)
        if not raw:
            return None
        parsed = parse_datetime(raw)
        if parsed is None:
            self.errors.setdefault(field, []).append("Enter a valid date/time.")
        return parsed

    def choices(self, field: str, allowed: Iterable[str], *aliases: str) -> list[str]:
        values = self.values(field, *aliases)
        valid = set(allowed)
        for value in values:
            if value not in valid:
                message = f"Select a valid choice. {value} is not one of the available choices."
                self.errors.setdefault(field, []).append(message)
                break
        return values

    def uuid(self, field: str) -> str | None:
        raw = self.request.arg(field)
        if not raw:
            return None
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            self.errors.setdefault(field, []).append("Enter a valid UUID.")
            return None

    def check(self) -> None:
        if self.errors:
            raise ApiError(Response.json(self.errors, 400))


def parse_datetime(text: str) -> datetime | None:
    """Django's ``DateTimeField`` parsing: ISO 8601 with ``T`` or a space, optional offset or
    ``Z``, or a bare date; naive values are UTC (Recall's ``TIME_ZONE``, assumed)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


__all__ = ["Filters", "cursor_page", "link", "page_number", "parse_datetime"]
