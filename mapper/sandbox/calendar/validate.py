"""Validation of Calendar scenario sections and live patches: every error names its path, e.g.
``calendars["ada@corp.example"].events[3].start: needs exactly one of date, dateTime``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from mapper.sandbox.calendar.model import Calendar, StoredEvent, When, format_updated, parse_rfc3339
from mapper.sandbox.calendar.recurrence import instance_suffix, parse_series, zone_named
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, expect_time, fail

STATUSES = ("confirmed", "tentative", "cancelled")
RESPONSE_STATUSES = ("needsAction", "declined", "tentative", "accepted")
CALENDAR_KEYS = ("events", "summary", "timeZone")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_BASE32HEX = "0123456789abcdefghijklmnopqrstuv"


def calendar_path(root: str, calendar_id: str) -> str:
    return f'{root}["{calendar_id}"]'


def new_calendar(calendar_id: str, body: Mapping[str, Any], path: str, now: datetime) -> Calendar:
    """A calendar from its scenario entry (``events`` are added by the caller)."""
    for key in body:
        if key not in CALENDAR_KEYS:
            raise fail(at(path, key), f"unknown key (expected one of {', '.join(CALENDAR_KEYS)})")
    summary = expect_str(body.get("summary", calendar_id), at(path, "summary"))
    zone = expect_str(body.get("timeZone", "UTC"), at(path, "timeZone"))
    try:
        zone_named(zone)
    except ValueError as exc:
        raise fail(at(path, "timeZone"), str(exc)) from None
    return Calendar(calendar_id, summary, zone, now)


def generated_id(*parts: object) -> str:
    """A deterministic event id in Calendar's alphabet (base32hex, lower case), 26 characters."""
    digest = int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:17], "big")
    return "".join(_BASE32HEX[(digest >> (5 * i)) & 31] for i in range(26))


def parse_event(
    raw: Any, path: str, calendar: Calendar, *, default_id: str, seq: int, now: datetime, keep_updated: bool
) -> StoredEvent:
    """Validate one Event resource.  ``keep_updated``: keep a given ``updated`` (scenarios) rather
    than stamping ``now`` (live patches, where every change bumps ``updated``)."""
    # A shallow copy: only top-level keys are set here, and nothing downstream edits nested values.
    event = dict(expect_dict(raw, path))
    status = event.setdefault("status", "confirmed")
    if status not in STATUSES:
        raise fail(at(path, "status"), f"must be one of {', '.join(STATUSES)}, got {status!r}")
    cancelled = status == "cancelled"
    recurring_id = event.get("recurringEventId")
    original = None
    if recurring_id is not None:
        expect_str(recurring_id, at(path, "recurringEventId"))
        if "originalStartTime" not in event:
            raise fail(path, "an instance (recurringEventId) needs originalStartTime")
        original = parse_when(event["originalStartTime"], at(path, "originalStartTime"))
    if "id" in event:
        expect_str(event["id"], at(path, "id"))
    elif recurring_id is not None and original is not None:
        event["id"] = f"{recurring_id}_{instance_suffix(original.day or _moment(original))}"
    else:
        event["id"] = default_id
    start = end = None
    if not cancelled or "start" in event or "end" in event:
        for key in ("start", "end"):
            if key not in event:
                raise fail(path, f"needs {key} (only a cancelled event may omit it)")
        start = parse_when(event["start"], at(path, "start"))
        end = parse_when(event["end"], at(path, "end"))
        _check_order(start, end, path, calendar)
    _check_people(event, path)
    series = None
    if "recurrence" in event:
        lines = [
            expect_str(line, at(at(path, "recurrence"), i))
            for i, line in enumerate(expect_list(event["recurrence"], at(path, "recurrence")))
        ]
        if recurring_id is not None:
            raise fail(at(path, "recurrence"), "only a recurring parent has recurrence, not an instance")
        if start is not None:
            try:
                zone = zone_named(start.zone or calendar.time_zone)
                series = parse_series(lines, start.day or _moment(start), zone)
            except ValueError as exc:
                raise fail(at(path, "recurrence"), str(exc)) from None
    if "updated" in event and keep_updated:
        updated = expect_time(event["updated"], at(path, "updated"))
    else:
        updated = now
        event["updated"] = format_updated(now)
    if recurring_id is None:
        event.setdefault("iCalUID", f"{event['id']}@google.com")
    for key in ("eventType", "summary", "description", "location", "iCalUID"):
        if key in event:
            expect_str(event[key], at(path, key))
    return StoredEvent(event, seq, updated, start, end, original, series)


def parse_when(value: Any, path: str) -> When:
    """An ``EventDateTime``: ``{"date": "YYYY-MM-DD"}`` or ``{"dateTime": RFC 3339 with offset}``,
    optionally with an IANA ``timeZone``."""
    obj = expect_dict(value, path)
    zone = obj.get("timeZone")
    if zone is not None:
        try:
            zone_named(expect_str(zone, at(path, "timeZone")))
        except ValueError as exc:
            raise fail(at(path, "timeZone"), str(exc)) from None
    if ("date" in obj) == ("dateTime" in obj):
        raise fail(path, "needs exactly one of date, dateTime")
    if "date" in obj:
        text = obj["date"]
        if not isinstance(text, str) or not _DATE.match(text):
            raise fail(at(path, "date"), f"must be a date YYYY-MM-DD, got {text!r}")
        try:
            return When(day=date.fromisoformat(text), zone=zone)
        except ValueError:
            raise fail(at(path, "date"), f"not a valid date: {text!r}") from None
    text = obj["dateTime"]
    moment = parse_rfc3339(text) if isinstance(text, str) else None
    if moment is None:
        raise fail(at(path, "dateTime"), f"must be an RFC 3339 timestamp with an offset, got {text!r}")
    return When(moment=moment, zone=zone)


def _moment(when: When) -> datetime:
    assert when.moment is not None
    return when.moment


def _check_order(start: When, end: When, path: str, calendar: Calendar) -> None:
    if start.all_day != end.all_day:
        raise fail(at(path, "end"), "must be a date when start is a date, a dateTime when start is a dateTime")
    if end.instant(calendar.zone) <= start.instant(calendar.zone):
        raise fail(at(path, "end"), "must be after start")


def _check_people(event: Mapping[str, Any], path: str) -> None:
    for key in ("organizer", "creator"):
        if key in event:
            person = expect_dict(event[key], at(path, key))
            if "email" in person:
                _email(person["email"], at(at(path, key), "email"))
    if "attendees" not in event:
        return
    for index, item in enumerate(expect_list(event["attendees"], at(path, "attendees"))):
        where = at(at(path, "attendees"), index)
        attendee = expect_dict(item, where)
        if "email" not in attendee:
            raise fail(where, "needs an email (Calendar always returns one)")
        _email(attendee["email"], at(where, "email"))
        status = attendee.get("responseStatus")
        if status is not None and status not in RESPONSE_STATUSES:
            raise fail(at(where, "responseStatus"), f"must be one of {', '.join(RESPONSE_STATUSES)}, got {status!r}")


def _email(value: Any, path: str) -> None:
    text = expect_str(value, path)
    if "@" not in text.strip("@"):
        raise fail(path, f"must be an email address, got {text!r}")


__all__ = ["STATUSES", "calendar_path", "generated_id", "new_calendar", "parse_event", "parse_when"]
