"""Google Calendar v3: events as mapper's own objects, full and incremental sync."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mapper.errors import DataError
from mapper.sources.google.api import GoogleApi, Resource
from mapper.sources.google.paging import pages
from mapper.sources.links import MeetingRef, from_event

EVENT_STATUSES = frozenset({"confirmed", "tentative", "cancelled"})
PAGE_SIZE = 2500


@dataclass(frozen=True)
class Attendee:
    email: str  # stripped, lower case
    display_name: str | None = None
    response_status: str | None = None
    optional: bool = False
    resource: bool = False
    organizer: bool = False
    is_self: bool = False


@dataclass(frozen=True)
class Event:
    event_id: str
    status: str
    ical_uid: str | None = None
    recurring_event_id: str | None = None
    summary: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    original_start_at: datetime | None = None
    all_day: bool = False
    organizer_email: str | None = None
    attendees: tuple[Attendee, ...] = ()
    attendees_omitted: bool = False
    meeting: MeetingRef | None = None
    html_link: str | None = None
    updated_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def meeting_key(self) -> str | None:
        """The meeting instance across every calendar holding a copy of it."""
        slot = self.original_start_at or self.start_at
        if slot is None:
            return None
        return f"{self.ical_uid or self.event_id}|{slot.isoformat()}"


def normalize_email(value: str) -> str:
    return value.strip().lower()


def _text(item: Mapping[str, Any], key: str, path: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DataError(f"must be a string, got {type(value).__name__}", path=f"{path}.{key}")
    return value


def _flag(item: Mapping[str, Any], key: str, path: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise DataError(f"must be true or false, got {value!r}", path=f"{path}.{key}")
    return value


def parse_time(value: Any, path: str) -> tuple[datetime | None, bool]:
    """An EventDateTime (``{date}`` or ``{dateTime, timeZone}``) as aware UTC and an all-day flag."""
    if value is None:
        return None, False
    if not isinstance(value, Mapping):
        raise DataError("must be an object with date or dateTime", path=path)
    if isinstance(value.get("dateTime"), str):
        try:
            moment = datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
        except ValueError:
            raise DataError(f"dateTime is not RFC 3339: {value['dateTime']!r}", path=path) from None
        if moment.tzinfo is None:
            zone = value.get("timeZone")
            try:
                moment = moment.replace(tzinfo=ZoneInfo(str(zone)))
            except (ZoneInfoNotFoundError, ValueError):
                raise DataError(f"dateTime without offset and unknown timeZone {zone!r}", path=path) from None
        return moment.astimezone(UTC), False
    if isinstance(value.get("date"), str):
        try:
            day = date.fromisoformat(value["date"])
        except ValueError:
            raise DataError(f"date is not YYYY-MM-DD: {value['date']!r}", path=path) from None
        return datetime.combine(day, time(0), tzinfo=UTC), True
    raise DataError("has neither date nor dateTime", path=path)


def _attendees(raw: Any, path: str) -> tuple[Attendee, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DataError("must be an array", path=path)
    found: dict[str, Attendee] = {}
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            raise DataError("must be an object", path=where)
        email = _text(item, "email", where)
        if not email or "@" not in email:
            continue  # Calendar omits emails it cannot show; such a guest cannot be mapped
        attendee = Attendee(
            email=normalize_email(email),
            display_name=_text(item, "displayName", where),
            response_status=_text(item, "responseStatus", where),
            optional=_flag(item, "optional", where),
            resource=_flag(item, "resource", where),
            organizer=_flag(item, "organizer", where),
            is_self=_flag(item, "self", where),
        )
        found.setdefault(attendee.email, attendee)
    return tuple(found.values())


def event_from_api(item: Any, path: str = "event") -> Event:
    """Convert one Calendar v3 Event resource; raise :class:`DataError` naming the bad field."""
    if not isinstance(item, Mapping):
        raise DataError("must be an object", path=path)
    event_id = _text(item, "id", path)
    if not event_id:
        raise DataError("has no id", path=path)
    path = f"{path}[{event_id}]"
    status = _text(item, "status", path) or "confirmed"
    if status not in EVENT_STATUSES:
        raise DataError(
            f"unknown status {status!r} (expected one of {', '.join(sorted(EVENT_STATUSES))})", path=f"{path}.status"
        )
    original, _ = parse_time(item.get("originalStartTime"), f"{path}.originalStartTime")
    if status == "cancelled" and "start" not in item:
        return Event(
            event_id, status, recurring_event_id=_text(item, "recurringEventId", path), original_start_at=original
        )
    start, all_day = parse_time(item.get("start"), f"{path}.start")
    end, _ = parse_time(item.get("end"), f"{path}.end")
    organizer = item.get("organizer")
    organizer_email = None
    if isinstance(organizer, Mapping) and isinstance(organizer.get("email"), str):
        organizer_email = normalize_email(organizer["email"])
    updated_raw = _text(item, "updated", path)
    try:
        updated = datetime.fromisoformat(updated_raw.replace("Z", "+00:00")).astimezone(UTC) if updated_raw else None
    except ValueError:
        raise DataError(f"is not RFC 3339: {updated_raw!r}", path=f"{path}.updated") from None
    return Event(
        event_id=event_id,
        status=status,
        ical_uid=_text(item, "iCalUID", path),
        recurring_event_id=_text(item, "recurringEventId", path),
        summary=_text(item, "summary", path),
        start_at=start,
        end_at=end,
        original_start_at=original,
        all_day=all_day,
        organizer_email=organizer_email,
        attendees=_attendees(item.get("attendees"), f"{path}.attendees"),
        attendees_omitted=_flag(item, "attendeesOmitted", path),
        meeting=from_event(item),
        html_link=_text(item, "htmlLink", path),
        updated_at=updated,
    )


@dataclass
class SyncResult:
    """One calendar's events from a full or incremental sync."""

    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # items skipped as malformed
    sync_token: str | None = None
    full: bool = True


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class CalendarClient:
    def __init__(self, api: GoogleApi, *, page_size: int = PAGE_SIZE) -> None:
        self._api = api
        self._page_size = page_size

    def sync(
        self,
        calendar_id: str,
        *,
        subject: str | None,
        sync_token: str | None,
        time_min: datetime,
        time_max: datetime,
    ) -> SyncResult:
        """All events changed since ``sync_token`` (or every event in the window when None).

        Raises :class:`~mapper.errors.SyncTokenExpiredError` when Calendar answers 410.
        """
        params: dict[str, Any] = {
            "calendarId": calendar_id,
            "singleEvents": True,
            "showDeleted": True,
            "maxResults": self._page_size,
        }
        if sync_token:
            params["syncToken"] = sync_token
        else:
            params.update(timeMin=_rfc3339(time_min), timeMax=_rfc3339(time_max))

        def make(resource: Resource, token: str | None) -> Any:
            return resource.events().list(**params, pageToken=token)

        result = SyncResult(full=sync_token is None)
        for body in pages(self._api, make, subject=subject, what=f"calendar.events.list {calendar_id}"):
            items = body.get("items", [])
            if not isinstance(items, list):
                raise DataError("items must be an array", path=f"calendar.events.list[{calendar_id}]")
            for index, item in enumerate(items):
                try:
                    result.events.append(event_from_api(item, f"calendars[{calendar_id}].items[{index}]"))
                except DataError as exc:
                    result.problems.append(str(exc))
            token = body.get("nextSyncToken")
            if isinstance(token, str) and token:
                result.sync_token = token
        return result

    def get(self, calendar_id: str, event_id: str, *, subject: str | None) -> Event:
        body = self._api.execute(
            lambda resource: resource.events().get(calendarId=calendar_id, eventId=event_id),
            subject=subject,
            what=f"calendar.events.get {calendar_id}/{event_id}",
        )
        return event_from_api(body, f"calendars[{calendar_id}]")


__all__ = ["Attendee", "CalendarClient", "Event", "SyncResult", "event_from_api", "normalize_email", "parse_time"]
