"""Opaque page and sync tokens (urlsafe base64 of JSON) and keyset paging.

- A page token remembers the sort key of the last row served, a fingerprint of the parameters that
  shaped the listing (replayed with other filters → 400, like Google) and the change number the
  listing started at.
- A sync token (``nextSyncToken``, last page only) holds the calendar, that change number, the
  calendar's invalidation epoch and the parameters of the full sync that produced it
  (``singleEvents``, ``eventTypes``).  An unknown, foreign or invalidated token → 410
  ``fullSyncRequired``, as Calendar answers when it drops a token.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mapper.sandbox.calendar.query import SHAPING, EventQuery, invalid_value
from mapper.sandbox.calendar.view import Row
from mapper.sandbox.envelopes import legacy_error
from mapper.sandbox.http import ApiError, Request

Key = tuple[int, str]


@dataclass(frozen=True)
class SyncToken:
    calendar: str
    seq: int
    epoch: int
    single: bool
    types: tuple[str, ...]


@dataclass(frozen=True)
class PageToken:
    after: Key
    fingerprint: str
    snapshot: int


def encode(kind: str, data: dict[str, Any]) -> str:
    raw = json.dumps({"t": kind, **data}, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str, kind: str) -> dict[str, Any] | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("t") == kind else None


def sync_token(token: SyncToken) -> str:
    return encode(
        "sync", {"c": token.calendar, "s": token.seq, "e": token.epoch, "g": token.single, "y": list(token.types)}
    )


def read_sync_token(text: str) -> SyncToken | None:
    data = decode(text, "sync")
    if data is None:
        return None
    try:
        return SyncToken(str(data["c"]), int(data["s"]), int(data["e"]), bool(data["g"]), tuple(data["y"]))
    except (KeyError, TypeError, ValueError):
        return None


def full_sync_required() -> ApiError:
    return legacy_error(
        410,
        "fullSyncRequired",
        "Sync token is no longer valid, a full sync is required.",
        domain="calendar",
        location="syncToken",
    )


def fingerprint(request: Request, calendar_id: str) -> str:
    shaping = [(name, sorted(request.args(name))) for name in SHAPING]
    text = json.dumps([calendar_id, shaping], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def page_token(token: PageToken) -> str:
    return encode("page", {"a": list(token.after), "f": token.fingerprint, "s": token.snapshot})


def read_page_token(text: str, expected_fingerprint: str) -> PageToken:
    """Decode a page token; 400 if it is garbage or was issued for another query."""
    data = decode(text, "page")
    if data is None:
        raise invalid_value("pageToken")
    try:
        after = (int(data["a"][0]), str(data["a"][1]))
        token = PageToken(after, str(data["f"]), int(data["s"]))
    except (KeyError, IndexError, TypeError, ValueError):
        raise invalid_value("pageToken") from None
    if token.fingerprint != expected_fingerprint:
        raise invalid_value("pageToken")
    return token


def sort_key(query: EventQuery, incremental: bool) -> Callable[[Row], Key]:
    """Row order: changes in change order for incremental sync, by ``updated`` for
    ``orderBy=updated``, else by start (Calendar's default order is "unspecified but stable")."""
    if incremental:
        return lambda row: (row.seq, row.id)
    if query.order_by == "updated":
        return lambda row: (_micros(row.updated), row.id)
    return lambda row: (_micros(row.start) if row.start is not None else -1, row.id)


def paginate(rows: Sequence[Row], key: Callable[[Row], Key], after: Key | None, size: int) -> tuple[list[Row], bool]:
    """The page of ``size`` rows following ``after`` (keyset paging), and whether more follow."""
    ordered = sorted(rows, key=key)
    if after is not None:
        ordered = [row for row in ordered if key(row) > after]
    return ordered[:size], len(ordered) > size


def _micros(moment: Any) -> int:
    return int(moment.timestamp() * 1_000_000)


__all__ = [
    "PageToken",
    "SyncToken",
    "fingerprint",
    "full_sync_required",
    "page_token",
    "paginate",
    "read_page_token",
    "read_sync_token",
    "sort_key",
    "sync_token",
]
