"""The Calendar emulator's state: calendars holding stored events (one-off events, recurring
parents and exceptions), with each event's change number for incremental sync."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from mapper.sandbox.calendar.recurrence import Occurrence, Series, expand, instance_suffix


@dataclass(frozen=True)
class When:
    """An ``EventDateTime`` resolved: ``date`` for all-day values, else an aware ``moment``."""

    moment: datetime | None = None  # as written (its own offset)
    day: date | None = None
    zone: str | None = None  # the ``timeZone`` key, if given

    @property
    def all_day(self) -> bool:
        return self.day is not None

    def instant(self, calendar_zone: tzinfo) -> datetime:
        """The UTC instant; an all-day date starts at midnight in the calendar's zone."""
        if self.day is not None:
            return datetime.combine(self.day, time(), tzinfo=calendar_zone).astimezone(UTC)
        assert self.moment is not None
        return self.moment.astimezone(UTC)


@dataclass(frozen=True)
class StoredEvent:
    """One event as the scenario or a patch gave it (``resource``), plus what the emulator derived."""

    resource: dict[str, Any]  # verbatim keys, plus kind / status / iCalUID / updated filled in
    seq: int  # world change number of the last change
    updated: datetime
    start: When | None = None
    end: When | None = None
    original: When | None = None  # originalStartTime (exceptions)
    series: Series | None = None  # parsed recurrence (recurring parents)

    @property
    def id(self) -> str:
        return str(self.resource["id"])

    @property
    def cancelled(self) -> bool:
        return self.resource.get("status") == "cancelled"

    @property
    def recurring_event_id(self) -> str | None:
        value = self.resource.get("recurringEventId")
        return value if isinstance(value, str) else None

    @property
    def is_parent(self) -> bool:
        return self.series is not None and self.recurring_event_id is None

    def changed(self, seq: int, now: datetime, **fields: Any) -> StoredEvent:
        """A copy after a live change: new ``seq``, ``updated`` = ``now`` and ``fields`` set."""
        resource = {**self.resource, **fields, "updated": format_updated(now)}
        return replace(self, resource=resource, seq=seq, updated=now)


@dataclass
class Calendar:
    id: str
    summary: str
    time_zone: str
    updated: datetime
    events: dict[str, StoredEvent] = field(default_factory=dict)
    epoch: int = 0  # bumped to invalidate every sync token issued for this calendar
    version: int = 0  # bumped on every change (cache key)
    _expansions: dict[str, tuple[int, list[Occurrence], bool]] = field(default_factory=dict, repr=False)
    _rows: dict[bool, tuple[int, Any]] = field(default_factory=dict, repr=False)
    _rendered: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def put(self, event: StoredEvent) -> None:
        self.events[event.id] = event
        self.updated = max(self.updated, event.updated)
        self.version += 1

    def occurrences(self, parent: StoredEvent, now: datetime) -> tuple[list[Occurrence], bool]:
        """The parent's generated instances (cached until the parent changes)."""
        cached = self._expansions.get(parent.id)
        if cached is not None and cached[0] == parent.seq:
            return cached[1], cached[2]
        assert parent.series is not None
        starts, more = expand(parent.series, now)
        occurrences = [Occurrence(f"{parent.id}_{instance_suffix(start)}", start) for start in starts]
        self._expansions[parent.id] = (parent.seq, occurrences, more)
        return occurrences, more

    def rendered(self, event_id: str, key: Any) -> dict[str, Any] | None:
        """A served resource rendered before for the same state ``key`` (change number, status...)."""
        cached = self._rendered.get(event_id)
        return cached[1] if cached is not None and cached[0] == key else None

    def remember(self, event_id: str, key: Any, body: dict[str, Any]) -> None:
        self._rendered[event_id] = (key, body)

    def cached_rows(self, single: bool) -> Any | None:
        cached = self._rows.get(single)
        return cached[1] if cached is not None and cached[0] == self.version else None

    def cache_rows(self, single: bool, rows: Any) -> None:
        self._rows[single] = (self.version, rows)


def format_updated(moment: datetime) -> str:
    """``updated`` as Calendar writes it: UTC with milliseconds, ``2025-02-20T09:12:44.120Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def format_moment(moment: datetime, zone: tzinfo) -> str:
    """A ``dateTime`` in ``zone``: ``2025-03-03T16:00:00+01:00``, or ``...Z`` for UTC."""
    text = moment.astimezone(zone).replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def render_when(start: datetime | date, zone_name: str | None, zone: tzinfo, utc_style: bool) -> dict[str, str]:
    """An ``EventDateTime`` for a generated instance, in the style of its parent's ``start``."""
    if not isinstance(start, datetime):
        return {"date": start.isoformat()}
    value: dict[str, str] = {"dateTime": format_moment(start, UTC if utc_style else zone)}
    if zone_name:
        value["timeZone"] = zone_name
    return value


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})\Z")


def parse_rfc3339(text: str) -> datetime | None:
    """An RFC 3339 timestamp with a mandatory offset (``Z`` or ``+hh:mm``); ``None`` if malformed."""
    if not _RFC3339.match(text):
        return None
    try:
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None


def etag_of(resource: dict[str, Any]) -> str:
    """A quoted numeric etag that changes whenever the served resource changes."""
    digest = hashlib.sha256(json.dumps(resource, sort_keys=True, default=str).encode()).digest()
    return f'"{int.from_bytes(digest[:7], "big") % 10**16:016d}"'


__all__ = [
    "Calendar",
    "StoredEvent",
    "When",
    "etag_of",
    "format_moment",
    "format_updated",
    "parse_rfc3339",
    "render_when",
]
