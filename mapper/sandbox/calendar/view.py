"""What a calendar lists: stored events as rows (``singleEvents=false``) or recurring series expanded
into instances (``singleEvents=true``), and each row rendered as the Event resource Calendar serves.

Mirrors Calendar v3: instances carry the parent's fields with their own ``id``
(``{parentId}_{originalStart}``), ``recurringEventId``, ``originalStartTime`` and the parent's
``iCalUID``; an explicit instance stored under the same id (a moved or cancelled exception) replaces
the generated one and inherits every field it omits; a deleted (cancelled) event is served with only
the fields Calendar guarantees for it (``id``, ``status``, plus ``recurringEventId`` and
``originalStartTime`` for an instance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from mapper.sandbox.calendar.model import (
    Calendar,
    StoredEvent,
    When,
    etag_of,
    format_moment,
    format_updated,
    parse_rfc3339,
    render_when,
)
from mapper.sandbox.calendar.recurrence import Occurrence, zone_named


@dataclass(frozen=True)
class Row:
    """One listable item with what filters and ordering need."""

    id: str
    kind: str  # "single" | "parent" | "instance"
    start: datetime | None  # UTC instant; None if unknown
    end: datetime | None  # UTC instant; None if unknown or an unbounded series
    original: datetime | None  # UTC original start of an instance
    updated: datetime
    seq: int
    cancelled: bool
    event: StoredEvent | None  # the stored entry; None for a generated instance
    parent: StoredEvent | None = None
    occurrence: Occurrence | None = None

    @property
    def source(self) -> StoredEvent:
        """The stored event whose fields this row serves (exception, else parent)."""
        found = self.event or self.parent
        assert found is not None
        return found


def stored_rows(calendar: Calendar, now: datetime) -> list[Row]:
    """``singleEvents=false``: one-off events, recurring parents and stored exceptions."""
    cached = calendar.cached_rows(False)
    if cached is not None:
        return list(cached)
    rows = []
    for event in calendar.events.values():
        if event.is_parent:
            rows.append(_parent_row(calendar, event, now))
        elif event.recurring_event_id is not None:
            rows.append(_exception_row(calendar, event, _parent_of(calendar, event), None))
        else:
            rows.append(_single_row(calendar, event))
    calendar.cache_rows(False, rows)
    return list(rows)


def expanded_rows(calendar: Calendar, now: datetime) -> list[Row]:
    """``singleEvents=true``: one-off events and every instance; parents are not listed."""
    cached = calendar.cached_rows(True)
    if cached is not None:
        return list(cached)
    rows: list[Row] = []
    consumed: set[str] = set()
    for event in calendar.events.values():
        if event.is_parent:
            found = series_rows(calendar, event, now)
            consumed.update(row.id for row in found if row.event is not None)
            rows.extend(found)
    for event in calendar.events.values():
        if event.is_parent or event.id in consumed:
            continue
        if event.recurring_event_id is not None:
            rows.append(_exception_row(calendar, event, _parent_of(calendar, event), None))
        else:
            rows.append(_single_row(calendar, event))
    calendar.cache_rows(True, rows)
    return list(rows)


def series_rows(calendar: Calendar, parent: StoredEvent, now: datetime) -> list[Row]:
    """A recurring parent's instances: generated ones, overlaid by stored exceptions."""
    occurrences, _ = calendar.occurrences(parent, now)
    rows = []
    for occurrence in occurrences:
        stored = calendar.events.get(occurrence.instance_id)
        if stored is not None and stored.recurring_event_id == parent.id:
            rows.append(_exception_row(calendar, stored, parent, occurrence))
        else:
            rows.append(_generated_row(calendar, parent, occurrence))
    return rows


def instance_rows(calendar: Calendar, parent: StoredEvent, now: datetime) -> list[Row]:
    """``events.instances``: the series' rows plus exceptions moved out of the generated set."""
    rows = series_rows(calendar, parent, now)
    seen = {row.id for row in rows}
    for event in calendar.events.values():
        if event.recurring_event_id == parent.id and event.id not in seen:
            rows.append(_exception_row(calendar, event, parent, None))
    return rows


def find_row(calendar: Calendar, event_id: str, now: datetime) -> Row | None:
    """``events.get``: a stored event, else a generated instance id ``{parentId}_{suffix}``."""
    stored = calendar.events.get(event_id)
    if stored is not None:
        if stored.is_parent:
            return _parent_row(calendar, stored, now)
        if stored.recurring_event_id is not None:
            parent = _parent_of(calendar, stored)
            occurrence = _occurrence(calendar, parent, event_id, now) if parent else None
            return _exception_row(calendar, stored, parent, occurrence)
        return _single_row(calendar, stored)
    parent_id, _, _ = event_id.rpartition("_")
    parent = calendar.events.get(parent_id)
    if parent is None or not parent.is_parent:
        return None
    occurrence = _occurrence(calendar, parent, event_id, now)
    return _generated_row(calendar, parent, occurrence) if occurrence is not None else None


def render(row: Row, calendar: Calendar) -> dict[str, Any]:
    """The Event resource for ``row``, exactly as served (before per-request options).

    Nested values are shared with the stored resources (and cached): callers replace them, never
    mutate them in place.
    """
    cached = calendar.rendered(row.id, (row.seq, row.cancelled, row.kind))
    if cached is not None:
        return cached
    body = _render(row, calendar)
    calendar.remember(row.id, (row.seq, row.cancelled, row.kind), body)
    return body


def _render(row: Row, calendar: Calendar) -> dict[str, Any]:
    if row.cancelled:
        body: dict[str, Any] = {"id": row.id, "status": "cancelled"}
        if row.kind == "instance":
            body["recurringEventId"] = row.source.recurring_event_id or (row.parent.id if row.parent else "")
            body["originalStartTime"] = _original_time(row, calendar)
        return _finish(body, None)
    if row.kind in {"single", "parent"}:
        return _finish(dict(row.source.resource), row.source.resource.get("etag"))
    parent = row.parent
    base: dict[str, Any] = {}
    if parent is not None:
        base = {k: v for k, v in parent.resource.items() if k not in {"recurrence", "etag", "id"}}
        base["recurringEventId"] = parent.id
    if row.event is None:
        assert row.occurrence is not None and parent is not None
        start, end = _generated_times(calendar, parent, row.occurrence)
        base.update(start=start, end=end, originalStartTime=dict(start))
        return _finish({"id": row.id, **base}, None)
    exception = row.event.resource
    body = {**base, **exception}
    if parent is not None and parent.updated > row.event.updated:
        body["updated"] = parent.resource["updated"]
    if "start" not in exception and row.occurrence is not None and parent is not None:
        body["start"], body["end"] = _generated_times(calendar, parent, row.occurrence)
    body.setdefault("iCalUID", f"{row.event.recurring_event_id}@google.com")
    return _finish(body, exception.get("etag"))


def instance_start(calendar: Calendar, parent: StoredEvent, occurrence: Occurrence) -> dict[str, str]:
    """The ``originalStartTime`` Calendar writes for a generated instance of ``parent``."""
    start: dict[str, str] = _generated_times(calendar, parent, occurrence)[0]
    return start


def localize(body: dict[str, Any], zone: tzinfo) -> None:
    """The ``timeZone`` request parameter: write every ``dateTime`` in that zone."""
    for key in ("start", "end", "originalStartTime"):
        value = body.get(key)
        if isinstance(value, dict) and isinstance(value.get("dateTime"), str):
            moment = parse_rfc3339(value["dateTime"])
            if moment is not None:
                body[key] = {**value, "dateTime": format_moment(moment, zone)}


def limit_attendees(body: dict[str, Any], limit: int) -> None:
    """``maxAttendees``: above the limit only the requesting attendee (``self``) is kept."""
    attendees = body.get("attendees")
    if isinstance(attendees, list) and len(attendees) > limit:
        mine = [a for a in attendees if isinstance(a, dict) and a.get("self") is True]
        if mine:
            body["attendees"] = mine
        else:
            del body["attendees"]
        body["attendeesOmitted"] = True


def _finish(body: dict[str, Any], etag: Any) -> dict[str, Any]:
    body.pop("kind", None)
    body.pop("etag", None)
    out: dict[str, Any] = {"kind": "calendar#event"}
    out["etag"] = etag if isinstance(etag, str) else etag_of(body)
    out["id"] = body.pop("id")
    out["status"] = body.pop("status", "confirmed")
    out.update(body)
    return out


def _parent_of(calendar: Calendar, event: StoredEvent) -> StoredEvent | None:
    parent = calendar.events.get(event.recurring_event_id or "")
    return parent if parent is not None and parent.is_parent else None


def _occurrence(calendar: Calendar, parent: StoredEvent | None, event_id: str, now: datetime) -> Occurrence | None:
    if parent is None:
        return None
    occurrences, _ = calendar.occurrences(parent, now)
    return next((item for item in occurrences if item.instance_id == event_id), None)


def _instant(value: datetime | date, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=zone).astimezone(UTC)


def _span(calendar: Calendar, event: StoredEvent) -> tuple[datetime | None, datetime | None]:
    zone = calendar.zone
    start = event.start.instant(zone) if event.start else None
    end = event.end.instant(zone) if event.end else None
    return start, end


def _duration(parent: StoredEvent) -> timedelta:
    if parent.start is None or parent.end is None:
        return timedelta(0)
    if parent.start.day is not None and parent.end.day is not None:
        return parent.end.day - parent.start.day
    assert parent.start.moment is not None and parent.end.moment is not None
    return parent.end.moment - parent.start.moment


def _single_row(calendar: Calendar, event: StoredEvent) -> Row:
    start, end = _span(calendar, event)
    return Row(event.id, "single", start, end, None, event.updated, event.seq, event.cancelled, event)


def _parent_row(calendar: Calendar, event: StoredEvent, now: datetime) -> Row:
    start, end = _span(calendar, event)
    occurrences, more = calendar.occurrences(event, now)
    if occurrences:
        duration = _duration(event)
        start = _instant(occurrences[0].start, calendar.zone)
        end = None if more else _instant(occurrences[-1].start + duration, calendar.zone)
    return Row(event.id, "parent", start, end, None, event.updated, event.seq, event.cancelled, event)


def _generated_row(calendar: Calendar, parent: StoredEvent, occurrence: Occurrence) -> Row:
    start = _instant(occurrence.start, calendar.zone)
    end = _instant(occurrence.start + _duration(parent), calendar.zone)
    return Row(
        occurrence.instance_id, "instance", start, end, start, parent.updated, parent.seq, parent.cancelled,
        None, parent, occurrence,
    )  # fmt: skip


def _exception_row(
    calendar: Calendar, event: StoredEvent, parent: StoredEvent | None, occurrence: Occurrence | None
) -> Row:
    zone = calendar.zone
    original = event.original.instant(zone) if event.original else None
    if occurrence is not None:
        original = _instant(occurrence.start, zone)
    start, end = _span(calendar, event)
    if start is None and original is not None:
        start = original
        end = original + (_duration(parent) if parent else timedelta(0))
    updated, seq, cancelled = event.updated, event.seq, event.cancelled
    if parent is not None:
        updated, seq = max(updated, parent.updated), max(seq, parent.seq)
        cancelled = cancelled or parent.cancelled
    return Row(event.id, "instance", start, end, original, updated, seq, cancelled, event, parent, occurrence)


def _series_zone(calendar: Calendar, parent: StoredEvent) -> tuple[str | None, tzinfo, bool]:
    when: When | None = parent.start
    name = when.zone if when else None
    zone = zone_named(name or calendar.time_zone) or UTC
    raw = parent.resource.get("start", {}).get("dateTime", "")
    return name, zone, isinstance(raw, str) and raw.upper().endswith("Z")


def _generated_times(calendar: Calendar, parent: StoredEvent, occurrence: Occurrence) -> tuple[Any, Any]:
    name, zone, utc_style = _series_zone(calendar, parent)
    end = occurrence.start + _duration(parent)
    return render_when(occurrence.start, name, zone, utc_style), render_when(end, name, zone, utc_style)


def _original_time(row: Row, calendar: Calendar) -> Any:
    if row.event is not None and "originalStartTime" in row.event.resource:
        return row.event.resource["originalStartTime"]
    if row.occurrence is not None and row.parent is not None:
        return _generated_times(calendar, row.parent, row.occurrence)[0]
    return {"dateTime": format_updated(row.original or row.updated)}


__all__ = [
    "Row",
    "expanded_rows",
    "find_row",
    "instance_rows",
    "instance_start",
    "limit_attendees",
    "localize",
    "render",
    "series_rows",
    "stored_rows",
]
