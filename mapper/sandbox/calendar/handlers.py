"""Calendar v3 route handlers: ``events.list`` (with incremental sync), ``events.get``,
``events.instances`` and ``calendarList.list``, answering with Calendar's envelopes and errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from mapper.sandbox.auth import Token
from mapper.sandbox.calendar.model import Calendar, etag_of, format_updated
from mapper.sandbox.calendar.query import (
    EventQuery,
    bad_request,
    invalid_value,
    matches,
    parse_query,
    render_options,
)
from mapper.sandbox.calendar.sync import (
    PageToken,
    SyncToken,
    decode,
    encode,
    fingerprint,
    full_sync_required,
    page_token,
    paginate,
    read_page_token,
    read_sync_token,
    sort_key,
    sync_token,
)
from mapper.sandbox.calendar.view import (
    Row,
    expanded_rows,
    find_row,
    instance_rows,
    limit_attendees,
    localize,
    render,
    stored_rows,
)
from mapper.sandbox.envelopes import legacy_error
from mapper.sandbox.http import ApiError, Request, Response

if TYPE_CHECKING:
    from mapper.sandbox.calendar.api import CalendarApi

_AUTH = "https://www.googleapis.com/auth/"
#: The scopes the discovery document lists for events.list / get / instances.
EVENT_SCOPES = tuple(
    _AUTH + name
    for name in (
        "calendar",
        "calendar.app.created",
        "calendar.events",
        "calendar.events.freebusy",
        "calendar.events.owned",
        "calendar.events.owned.readonly",
        "calendar.events.public.readonly",
        "calendar.events.readonly",
        "calendar.readonly",
    )
)
CALENDAR_LIST_SCOPES = tuple(
    _AUTH + name
    for name in ("calendar", "calendar.calendarlist", "calendar.calendarlist.readonly", "calendar.readonly")
)
CALENDAR_LIST_PAGE, CALENDAR_LIST_MAX = 100, 250


def not_found() -> ApiError:
    return legacy_error(404, "notFound", "Not Found")


class CalendarHandlers:
    def __init__(self, api: CalendarApi) -> None:
        self.api = api
        self.world = api.world

    # -- events.list ---------------------------------------------------------------------------
    def list_events(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "calendar", EVENT_SCOPES)
        calendar = self._calendar(params["calendarId"], token)
        query = parse_query(request)
        shape = fingerprint(request, calendar.id)
        page = read_page_token(query.page_token, shape) if query.page_token else None
        snapshot = page.snapshot if page is not None else self.api.high_seq
        now = self.world.clock.now()
        rows = expanded_rows(calendar, now) if query.single else stored_rows(calendar, now)
        if query.sync_token is not None:
            since = self._check_sync_token(query, calendar)
            rows = [row for row in rows if row.seq > since and matches(row, query)]
        else:
            rows = [row for row in rows if _visible(row, query) and matches(row, query)]
        key = sort_key(query, incremental=query.sync_token is not None)
        items, more = paginate(rows, key, page.after if page else None, query.max_results)
        body = self._envelope(calendar, token, query.time_zone, [self._serve(row, calendar, query) for row in items])
        if more:
            body["nextPageToken"] = page_token(PageToken(key(items[-1]), shape, snapshot))
        else:
            types = tuple(sorted(query.event_types))
            body["nextSyncToken"] = sync_token(SyncToken(calendar.id, snapshot, calendar.epoch, query.single, types))
        return Response.json(body)

    def _check_sync_token(self, query: EventQuery, calendar: Calendar) -> int:
        assert query.sync_token is not None
        token = read_sync_token(query.sync_token)
        if token is None or token.calendar != calendar.id or token.epoch != calendar.epoch:
            raise full_sync_required()
        if token.seq > self.api.high_seq:
            raise full_sync_required()
        if token.single != query.single or token.types != tuple(sorted(query.event_types)):
            raise bad_request(
                "singleEvents and eventTypes must repeat the values of the initial full synchronization.",
                location="syncToken",
            )
        return token.seq

    # -- events.get / events.instances ------------------------------------------------------------
    def get_event(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "calendar", EVENT_SCOPES)
        calendar = self._calendar(params["calendarId"], token)
        max_attendees, zone = render_options(request)
        row = find_row(calendar, params["eventId"], self.world.clock.now())
        if row is None:
            raise not_found()
        return Response.json(self._serve(row, calendar, EventQuery(max_attendees=max_attendees, time_zone=zone)))

    def instances(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "calendar", EVENT_SCOPES)
        calendar = self._calendar(params["calendarId"], token)
        query = parse_query(request, instances=True)
        now = self.world.clock.now()
        row = find_row(calendar, params["eventId"], now)
        if row is None:
            raise not_found()
        if row.kind == "parent" and row.cancelled:
            raise legacy_error(410, "deleted", "Resource has been deleted")
        rows = instance_rows(calendar, row.source, now) if row.kind == "parent" else [row]
        rows = [r for r in rows if (query.show_deleted or not r.cancelled) and matches(r, query, min_inclusive=True)]
        shape = fingerprint(request, calendar.id + "/" + row.id)
        page = read_page_token(query.page_token, shape) if query.page_token else None
        key = sort_key(query, incremental=False)
        items, more = paginate(rows, key, page.after if page else None, query.max_results)
        body = self._envelope(calendar, token, query.time_zone, [self._serve(r, calendar, query) for r in items])
        if more:
            body["nextPageToken"] = page_token(PageToken(key(items[-1]), shape, 0))
        return Response.json(body)

    # -- calendarList.list ---------------------------------------------------------------------------
    def calendar_list(self, request: Request, _params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "calendar", CALENDAR_LIST_SCOPES)
        calendars = [
            calendar
            for calendar in self.api.calendars.values()
            if token.subject is None or calendar.id.lower() == token.subject.lower()
        ]
        size = min(_positive(request, "maxResults") or CALENDAR_LIST_PAGE, CALENDAR_LIST_MAX)
        offset = 0
        if request.arg("pageToken"):
            data = decode(request.arg("pageToken") or "", "calendarList")
            if data is None or not isinstance(data.get("o"), int):
                raise invalid_value("pageToken")
            offset = data["o"]
        items = []
        for calendar in calendars[offset : offset + size]:
            entry: dict[str, Any] = {
                "kind": "calendar#calendarListEntry",
                "id": calendar.id,
                "summary": calendar.summary,
                "timeZone": calendar.time_zone,
                "accessRole": "owner",
                "defaultReminders": [],
            }
            if token.subject is not None:
                entry["primary"] = True
            items.append({"etag": etag_of(entry), **entry})
        body: dict[str, Any] = {"kind": "calendar#calendarList", "etag": etag_of({"items": items}), "items": items}
        if offset + size < len(calendars):
            body["nextPageToken"] = encode("calendarList", {"o": offset + size})
        return Response.json(body)

    # -- helpers -----------------------------------------------------------------------------------------
    def _calendar(self, calendar_id: str, token: Token) -> Calendar:
        """``primary`` is the token subject's own calendar; unknown calendars are 404 ``notFound``."""
        if calendar_id == "primary":
            if token.subject is None:
                raise not_found()
            calendar_id = token.subject
        calendar = self.api.calendar(calendar_id)
        if calendar is None:
            raise not_found()
        return calendar

    def _serve(self, row: Row, calendar: Calendar, query: EventQuery) -> dict[str, Any]:
        body = dict(render(row, calendar))  # shared and cached: copy before changing it
        if query.time_zone is not None:
            localize(body, query.time_zone)
        if query.max_attendees is not None:
            limit_attendees(body, query.max_attendees)
        return body

    def _envelope(
        self, calendar: Calendar, token: Token, zone: ZoneInfo | None, items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        own = token.scopes is None or (token.subject or "").lower() == calendar.id.lower()
        return {
            "kind": "calendar#events",
            "etag": etag_of({"calendar": calendar.id, "version": calendar.version, "epoch": calendar.epoch}),
            "summary": calendar.summary,
            "updated": format_updated(calendar.updated),
            "timeZone": zone.key if zone is not None else calendar.time_zone,
            "accessRole": "owner" if own else "reader",
            "defaultReminders": [],
            "items": items,
        }


def _visible(row: Row, query: EventQuery) -> bool:
    """Which cancelled rows a full listing shows (the documented ``showDeleted`` quirks):
    ``updatedMin`` always includes deletions; ``showDeleted=true`` shows every cancelled row (with
    ``singleEvents`` that means instances, never series); with both false, cancelled instances of a
    live series still appear."""
    if not row.cancelled or query.show_deleted or query.updated_min is not None:
        return True
    return not query.single and row.kind == "instance" and not (row.parent is not None and row.parent.cancelled)


def _positive(request: Request, name: str) -> int | None:
    text = request.arg(name)
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise invalid_value(name)
    return int(text)


__all__ = ["CALENDAR_LIST_SCOPES", "EVENT_SCOPES", "CalendarHandlers", "not_found"]
