"""Query parameters of ``events.list`` / ``events.instances`` parsed and checked the way Calendar
checks them, and the filters they select.

Calendar (like every Admin-SDK-era API) ignores parameters it does not know; bad values of known
ones are 400 errors in the legacy envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mapper.sandbox.calendar.model import parse_rfc3339
from mapper.sandbox.calendar.recurrence import zone_named
from mapper.sandbox.calendar.view import Row
from mapper.sandbox.envelopes import legacy_error
from mapper.sandbox.http import ApiError, Request

DEFAULT_PAGE = 250
MAX_PAGE = 2500
EVENT_TYPES = ("birthday", "default", "focusTime", "fromGmail", "outOfOffice", "workingLocation")
ORDERS = ("startTime", "updated")
#: Parameters that cannot accompany ``syncToken`` (events.list reference).
NOT_WITH_SYNC = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
#: Parameters a page token is bound to: a token replayed with other values is rejected.
SHAPING = (*NOT_WITH_SYNC, "singleEvents", "showDeleted", "eventTypes", "syncToken", "originalStart")


def bad_request(message: str = "Bad Request", location: str | None = None) -> ApiError:
    return legacy_error(400, "badRequest", message, location=location)


def invalid_value(name: str) -> ApiError:
    return legacy_error(400, "invalid", "Invalid Value", location=name)


@dataclass(frozen=True)
class EventQuery:
    single: bool = False
    show_deleted: bool | None = None  # None: not given
    order_by: str | None = None
    time_min: datetime | None = None
    time_max: datetime | None = None
    updated_min: datetime | None = None
    ical_uid: str | None = None
    terms: tuple[str, ...] = ()
    event_types: frozenset[str] = frozenset()
    private_props: tuple[tuple[str, str], ...] = ()
    shared_props: tuple[tuple[str, str], ...] = ()
    original_start: datetime | None = None
    max_results: int = DEFAULT_PAGE
    max_attendees: int | None = None
    time_zone: ZoneInfo | None = None
    sync_token: str | None = None
    page_token: str | None = None


def parse_query(request: Request, *, instances: bool = False) -> EventQuery:
    """Read and check the parameters; raise the 400 Calendar answers for a bad one."""
    time_min = _time(request, "timeMin")
    time_max = _time(request, "timeMax")
    if time_min is not None and time_max is not None and time_min >= time_max:
        raise legacy_error(
            400, "timeRangeEmpty", "The specified time range is empty.", domain="calendar", location="timeMax"
        )
    single = _bool(request, "singleEvents") or False
    order = request.arg("orderBy") or None
    if order is not None and order not in ORDERS:
        raise invalid_value("orderBy")
    if order == "startTime" and not single:
        raise bad_request("The requested ordering is not available for the particular query.")
    types = frozenset(request.args("eventTypes"))
    if not types <= set(EVENT_TYPES):
        raise invalid_value("eventTypes")
    query = EventQuery(
        single=single,
        show_deleted=_bool(request, "showDeleted"),
        order_by=order,
        time_min=time_min,
        time_max=time_max,
        updated_min=_time(request, "updatedMin"),
        ical_uid=request.arg("iCalUID") or None,
        terms=tuple((request.arg("q") or "").lower().split()),
        event_types=types,
        private_props=_props(request, "privateExtendedProperty"),
        shared_props=_props(request, "sharedExtendedProperty"),
        original_start=_time(request, "originalStart") if instances else None,
        max_results=min(_int(request, "maxResults") or DEFAULT_PAGE, MAX_PAGE),
        max_attendees=_int(request, "maxAttendees"),
        time_zone=_zone(request),
        sync_token=request.arg("syncToken") or None,
        page_token=request.arg("pageToken") or None,
    )
    if query.sync_token is not None:
        for name in NOT_WITH_SYNC:
            if request.arg(name):
                raise bad_request(f"The syncToken parameter cannot be combined with {name}.", location=name)
        if query.show_deleted is False:
            raise bad_request("The syncToken parameter cannot be combined with showDeleted=false.", "showDeleted")
    return query


def render_options(request: Request) -> tuple[int | None, ZoneInfo | None]:
    """``maxAttendees`` and ``timeZone``, the options ``events.get`` shares with the list methods."""
    return _int(request, "maxAttendees"), _zone(request)


def matches(row: Row, query: EventQuery, *, min_inclusive: bool = False) -> bool:
    """Whether ``row`` passes the query's time, ``updatedMin``, ``iCalUID``, ``q``, type and property
    filters (visibility of cancelled rows is decided by the caller)."""
    if query.time_max is not None and row.start is not None and row.start >= query.time_max:
        return False
    if (
        query.time_min is not None
        and row.end is not None
        and (row.end < query.time_min or (row.end == query.time_min and not min_inclusive))
    ):
        return False
    if query.updated_min is not None and row.updated < query.updated_min:
        return False
    if query.original_start is not None and row.original != query.original_start:
        return False
    if not (query.ical_uid or query.terms or query.event_types or query.private_props or query.shared_props):
        return True
    fields = row.source.resource
    parent = row.parent.resource if row.parent is not None else {}
    if query.ical_uid is not None and (fields.get("iCalUID") or parent.get("iCalUID")) != query.ical_uid:
        return False
    if query.event_types and (fields.get("eventType") or parent.get("eventType") or "default") not in query.event_types:
        return False
    for scope, wanted in (("private", query.private_props), ("shared", query.shared_props)):
        props = (fields.get("extendedProperties") or parent.get("extendedProperties") or {}).get(scope) or {}
        if any(props.get(key) != value for key, value in wanted):
            return False
    if query.terms:
        text = _search_text({**parent, **fields})
        return all(term in text for term in query.terms)
    return True


def _search_text(event: dict[str, object]) -> str:
    """The fields ``q`` searches: summary, description, location, attendees' and organizer's
    display names and emails."""
    parts = [str(event.get(key) or "") for key in ("summary", "description", "location")]
    attendees = event.get("attendees")
    people = [event.get("organizer"), *(attendees if isinstance(attendees, list) else [])]
    for person in people:
        if isinstance(person, dict):
            parts += [str(person.get("displayName") or ""), str(person.get("email") or "")]
    return "\n".join(parts).lower()


def _time(request: Request, name: str) -> datetime | None:
    text = request.arg(name)
    if not text:
        return None
    moment = parse_rfc3339(text)
    if moment is None:
        raise bad_request(location=name)
    return moment.replace(microsecond=0)  # "Milliseconds may be provided but are ignored."


def _bool(request: Request, name: str) -> bool | None:
    text = request.arg(name)
    if text is None or text == "":
        return None
    if text.lower() not in {"true", "false"}:
        raise invalid_value(name)
    return text.lower() == "true"


def _int(request: Request, name: str) -> int | None:
    """A positive integer parameter (Calendar's ``minimum: 1``); ``None`` when absent."""
    text = request.arg(name)
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise invalid_value(name) from None
    if value < 1:
        raise invalid_value(name)
    return value


def _props(request: Request, name: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in request.args(name):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise invalid_value(name)
        out.append((key, value))
    return tuple(out)


def _zone(request: Request) -> ZoneInfo | None:
    try:
        return zone_named(request.arg("timeZone"))
    except ValueError:
        raise invalid_value("timeZone") from None


__all__ = [
    "DEFAULT_PAGE",
    "EVENT_TYPES",
    "MAX_PAGE",
    "NOT_WITH_SYNC",
    "SHAPING",
    "EventQuery",
    "bad_request",
    "invalid_value",
    "matches",
    "parse_query",
    "render_options",
]
