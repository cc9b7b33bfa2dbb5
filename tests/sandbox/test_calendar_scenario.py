"""Loading the ``calendars`` scenario section: every malformed value is rejected with its path;
missing ids are generated deterministically."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mapper.sandbox import ScenarioError
from mapper.sandbox.calendar import CalendarApi
from mapper.sandbox.world import World

ADA = "ada@corp.example"
P = 'calendars["ada@corp.example"]'
OK_START = {"dateTime": "2025-03-03T10:00:00Z"}
OK_END = {"dateTime": "2025-03-03T11:00:00Z"}


def event(**fields: Any) -> dict[str, Any]:
    return {"id": "e1", "start": OK_START, "end": OK_END, **fields}


def world(*events: Any, calendar: dict[str, Any] | None = None) -> World:
    body = calendar if calendar is not None else {"events": list(events)}
    return World({"calendars": {ADA: body}}, api_classes=[CalendarApi])


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (["x"], f"{P}.events[0]: must be an object, got a string"),
        ([{"id": "e1"}], f"{P}.events[0]: needs start (only a cancelled event may omit it)"),
        ([event(id=7)], f"{P}.events[0].id: must be a non-empty string, got int"),
        ([event(start={"dateTime": "2025-03-03T10:00:00"})],
         f"{P}.events[0].start.dateTime: must be an RFC 3339 timestamp with an offset, got '2025-03-03T10:00:00'"),
        ([event(start={"date": "2025-03-03", "dateTime": "2025-03-03T10:00:00Z"})],
         f"{P}.events[0].start: needs exactly one of date, dateTime"),
        ([event(start={"date": "03/03/2025"})], f"{P}.events[0].start.date: must be a date YYYY-MM-DD, got '03/03/2025'"),
        ([event(end={"dateTime": "2025-03-03T09:00:00Z"})], f"{P}.events[0].end: must be after start"),
        ([event(end={"date": "2025-03-04"})],
         f"{P}.events[0].end: must be a date when start is a date, a dateTime when start is a dateTime"),
        ([event(start={**OK_START, "timeZone": "Mars/Base"})],
         f"{P}.events[0].start.timeZone: unknown IANA time zone 'Mars/Base'"),
        ([event(status="done")], f"{P}.events[0].status: must be one of confirmed, tentative, cancelled, got 'done'"),
        ([event(attendees=[{"email": "a@b.c"}, {"email": "omar"}])],
         f"{P}.events[0].attendees[1].email: must be an email address, got 'omar'"),
        ([event(attendees=[{"displayName": "Omar"}])],
         f"{P}.events[0].attendees[0]: needs an email (Calendar always returns one)"),
        ([event(attendees=[{"email": "a@b.c", "responseStatus": "yes"}])],
         f"{P}.events[0].attendees[0].responseStatus: must be one of needsAction, declined, tentative, accepted, "
         "got 'yes'"),
        ([event(organizer={"email": ""})], f"{P}.events[0].organizer.email: must be a non-empty string, got a string"),
        ([event(recurrence="RRULE:FREQ=DAILY")], f"{P}.events[0].recurrence: must be an array, got a string"),
        ([event(recurrence=[3])], f"{P}.events[0].recurrence[0]: must be a non-empty string, got int"),
        ([event(recurrence=["RRULE:FREQ=BOGUS"])], f"{P}.events[0].recurrence: [0] invalid 'FREQ': BOGUS"),
        ([event(recurrence=["EXDATE:20250310T100000Z"])],
         f"{P}.events[0].recurrence: needs at least one RRULE or RDATE line"),
        ([event(recurrence=["VEVENT:x"])],
         f"{P}.events[0].recurrence: [0] unsupported property VEVENT (expected RRULE, EXRULE, EXDATE or RDATE)"),
        ([event(recurringEventId="p")], f"{P}.events[0]: an instance (recurringEventId) needs originalStartTime"),
        ([event(recurringEventId="p", originalStartTime=OK_START, recurrence=["RRULE:FREQ=DAILY"])],
         f"{P}.events[0].recurrence: only a recurring parent has recurrence, not an instance"),
        ([event(updated="yesterday")],
         f"{P}.events[0].updated: must be an RFC 3339 timestamp with an offset, got 'yesterday'"),
        ([event(), event()], f"{P}.events[1].id: duplicate event id 'e1' in this calendar"),
    ],
)  # fmt: skip
def test_bad_events_are_rejected_with_their_path(events: list[Any], message: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        world(*events)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"events": {}}, f"{P}.events: must be an array, got an object"),
        ({"events": [], "colour": "red"}, f"{P}.colour: unknown key (expected one of events, summary, timeZone)"),
        ({"timeZone": "Mars/Base"}, f"{P}.timeZone: unknown IANA time zone 'Mars/Base'"),
        ([], f"{P}: must be an object, got an array"),
    ],
)
def test_bad_calendars_are_rejected_with_their_path(body: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        world(calendar=body)
    assert str(exc.value) == message


def test_calendars_section_must_be_an_object() -> None:
    with pytest.raises(ScenarioError, match=r"^calendars: must be an object, got an array$"):
        World({"calendars": []}, api_classes=[CalendarApi])


def test_cancelled_events_may_omit_times() -> None:
    api = world({"id": "gone", "status": "cancelled"}).api("calendar")
    assert isinstance(api, CalendarApi)
    served = api.event(ADA, "gone")
    assert served is not None
    assert set(served) == {"kind", "etag", "id", "status"} and served["status"] == "cancelled"


def test_missing_ids_are_generated_deterministically() -> None:
    def generated() -> list[str]:
        api = world({"start": OK_START, "end": OK_END}, {"start": OK_START, "end": OK_END}).api("calendar")
        assert isinstance(api, CalendarApi)
        return list(api.calendars[ADA].events)

    first, second = generated(), generated()
    assert first == second and first[0] != first[1]
    assert all(re.fullmatch(r"[0-9a-v]{26}", item) for item in first)


def test_instance_ids_are_derived_from_the_original_start() -> None:
    api = world(
        event(id="p", recurrence=["RRULE:FREQ=DAILY;COUNT=2"]),
        {
            "recurringEventId": "p",
            "status": "cancelled",
            "originalStartTime": {"dateTime": "2025-03-04T11:00:00+01:00"},
        },
    ).api("calendar")
    assert isinstance(api, CalendarApi)
    assert "p_20250304T100000Z" in api.calendars[ADA].events
