"""The emulated Google Calendar API v3: loads the ``calendars`` scenario section, registers the
routes under ``/calendar/v3/`` and applies live patches.

Live patch shape (``POST /_sandbox/patch`` or ``SandboxServer.patch``)::

    {"calendars": {"ada@corp.example": {"events": [Event, ...], "cancel": ["eventId", ...]}}}

``events`` are upserted by id (a new calendar id creates the calendar); ``cancel`` marks events
cancelled (an id of a generated instance creates a cancelled exception; a recurring parent deletes
the whole series).  Every change stamps ``updated`` with the world clock and takes a new world change
number, so incremental sync returns it.  Instances that a changed series no longer generates become
cancelled exceptions, as Calendar reports them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from mapper.sandbox.calendar.handlers import CalendarHandlers
from mapper.sandbox.calendar.model import Calendar, StoredEvent, When
from mapper.sandbox.calendar.recurrence import Occurrence
from mapper.sandbox.calendar.validate import calendar_path, generated_id, new_calendar, parse_event
from mapper.sandbox.calendar.view import find_row, instance_start, render
from mapper.sandbox.http import Request, Response, Router
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, fail
from mapper.sandbox.world import EmulatedApi

PREFIX = "/calendar/v3"
PATCH_KEYS = ("events", "cancel")


class CalendarApi(EmulatedApi):
    name: ClassVar[str] = "calendar"
    sections: ClassVar[tuple[str, ...]] = ("calendars",)

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.calendars: dict[str, Calendar] = {}
        self.high_seq = 0  # the latest change number given to a calendar change
        self._patches = 0

    # -- scenario ----------------------------------------------------------------------------------
    def load(self, scenario: Mapping[str, Any]) -> None:
        now = self.world.clock.now()
        for calendar_id, body in expect_dict(scenario.get("calendars", {}), "calendars").items():
            path = calendar_path("calendars", calendar_id)
            expect_str(calendar_id, path)
            calendar = new_calendar(calendar_id, expect_dict(body, path), path, now)
            events_path = at(path, "events")
            for index, raw in enumerate(expect_list(body.get("events", []), events_path)):
                where = at(events_path, index)
                event = parse_event(
                    raw,
                    where,
                    calendar,
                    default_id=generated_id(calendar_id, index),
                    seq=self._next_seq(),
                    now=now,
                    keep_updated=True,
                )
                if event.id in calendar.events:
                    raise fail(at(where, "id"), f"duplicate event id {event.id!r} in this calendar")
                calendar.put(event)
            self.calendars[calendar_id] = calendar

    def calendar(self, calendar_id: str) -> Calendar | None:
        """A calendar by id (email ids compare case-insensitively, as Google's do)."""
        found = self.calendars.get(calendar_id)
        if found is None:
            lowered = calendar_id.lower()
            found = next((cal for key, cal in self.calendars.items() if key.lower() == lowered), None)
        return found

    # -- routes ------------------------------------------------------------------------------------
    def register(self, router: Router) -> None:
        handlers = CalendarHandlers(self)
        events = PREFIX + "/calendars/{calendarId}/events"
        router.add("GET", events, name="calendar.events.list", api="calendar", handler=handlers.list_events)
        router.add(
            "GET", events + "/{eventId}/instances", name="calendar.events.instances", api="calendar",
            handler=handlers.instances,
        )  # fmt: skip
        router.add("GET", events + "/{eventId}", name="calendar.events.get", api="calendar", handler=handlers.get_event)
        router.add(
            "GET", PREFIX + "/users/me/calendarList", name="calendar.calendarList.list", api="calendar",
            handler=handlers.calendar_list,
        )  # fmt: skip
        router.add(
            "POST", "/_sandbox/calendar/invalidate-sync-tokens", name="sandbox.calendar.invalidate", api="sandbox",
            handler=self._invalidate_route,
        )  # fmt: skip

    # -- control -------------------------------------------------------------------------------------
    def invalidate_sync_tokens(self, calendar_id: str | None = None) -> list[str]:
        """Make every sync token issued so far (for one calendar or all) answer 410 ``fullSyncRequired``."""
        with self.world.lock:
            if calendar_id is None:
                chosen = list(self.calendars.values())
            else:
                found = self.calendar(calendar_id)
                if found is None:
                    raise KeyError(calendar_id)
                chosen = [found]
            for calendar in chosen:
                calendar.epoch += 1
                calendar.version += 1
            return [calendar.id for calendar in chosen]

    def _invalidate_route(self, request: Request, _params: Mapping[str, str]) -> Response:
        calendar_id = request.arg("calendarId") or None
        try:
            done = self.invalidate_sync_tokens(calendar_id)
        except KeyError:
            return Response.json({"error": f"unknown calendar {calendar_id!r}"}, 404)
        return Response.json({"ok": True, "calendars": done})

    def event(self, calendar_id: str, event_id: str) -> dict[str, Any] | None:
        """The Event resource ``events.get`` would serve now (for tests and tools)."""
        with self.world.lock:
            calendar = self.calendar(calendar_id)
            row = find_row(calendar, event_id, self.world.clock.now()) if calendar else None
            if row is None or calendar is None:
                return None
            return copy.deepcopy(render(row, calendar))

    # -- live patches ------------------------------------------------------------------------------
    def patch(self, patch: Mapping[str, Any]) -> None:
        section = expect_dict(patch.get("calendars", {}), "patch.calendars")
        now = self.world.clock.now()
        self._patches += 1
        plans: list[tuple[Calendar, bool, list[StoredEvent], list[str]]] = []
        for calendar_id, body in section.items():
            path = calendar_path("patch.calendars", calendar_id)
            expect_str(calendar_id, path)
            body = expect_dict(body, path)
            for key in body:
                if key not in PATCH_KEYS:
                    raise fail(at(path, key), f"unknown key (expected one of {', '.join(PATCH_KEYS)})")
            existing = self.calendar(calendar_id)
            calendar = existing or new_calendar(calendar_id, {}, path, now)
            events = []
            for index, raw in enumerate(expect_list(body.get("events", []), at(path, "events"))):
                event = parse_event(
                    raw, at(at(path, "events"), index), calendar,
                    default_id=generated_id(calendar_id, "patch", self._patches, index),
                    seq=0, now=now, keep_updated=False,
                )  # fmt: skip
                events.append(event)
            cancels = [
                expect_str(item, at(at(path, "cancel"), index))
                for index, item in enumerate(expect_list(body.get("cancel", []), at(path, "cancel")))
            ]
            upserted = {event.id for event in events}
            for index, event_id in enumerate(cancels):
                if event_id not in upserted and find_row(calendar, event_id, now) is None:
                    raise fail(at(at(path, "cancel"), index), f"unknown event id {event_id!r}")
            plans.append((calendar, existing is None, events, cancels))
        for calendar, new, events, cancels in plans:
            if new:
                self.calendars[calendar.id] = calendar
            for event in events:
                self._upsert(calendar, event, now)
            for event_id in cancels:
                self._cancel(calendar, event_id, now)

    def _upsert(self, calendar: Calendar, event: StoredEvent, now: datetime) -> None:
        old = calendar.events.get(event.id)
        before = {o.instance_id: o for o in calendar.occurrences(old, now)[0]} if old and old.is_parent else {}
        calendar.put(event.changed(self._next_seq(), now))
        if old is not None and before:
            after = {o.instance_id for o in calendar.occurrences(event, now)[0]} if event.is_parent else set()
            for instance_id, occurrence in before.items():
                if instance_id not in after and instance_id not in calendar.events:
                    calendar.put(self._tombstone(calendar, old, occurrence, now))

    def _cancel(self, calendar: Calendar, event_id: str, now: datetime) -> None:
        stored = calendar.events.get(event_id)
        if stored is not None:
            calendar.put(stored.changed(self._next_seq(), now, status="cancelled"))
            return
        row = find_row(calendar, event_id, now)
        assert row is not None and row.parent is not None and row.occurrence is not None
        calendar.put(self._tombstone(calendar, row.parent, row.occurrence, now))

    def _tombstone(self, calendar: Calendar, parent: StoredEvent, occurrence: Occurrence, now: datetime) -> StoredEvent:
        """A cancelled exception for one instance of ``parent`` (deleted or no longer generated)."""
        start = occurrence.start
        resource = {
            "id": occurrence.instance_id,
            "status": "cancelled",
            "recurringEventId": parent.id,
            "originalStartTime": instance_start(calendar, parent, occurrence),
        }
        when = When(moment=start) if isinstance(start, datetime) else When(day=start)
        return StoredEvent(resource, 0, now, original=when).changed(self._next_seq(), now)

    def _next_seq(self) -> int:
        self.high_seq = self.world.next_seq()
        return self.high_seq


__all__ = ["CalendarApi"]
