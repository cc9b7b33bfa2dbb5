"""Recurring events: expansion with RRULE / EXDATE / RDATE across DST, all-day series, exceptions
(moved and cancelled), parentless instances, the showDeleted quirks, events.get on instance ids and
events.instances."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from mapper.sandbox.calendar.recurrence import HORIZON
from tests.support.discovery import assert_response_valid

ADA = "ada@corp.example"
BOB = "bob@corp.example"
BERLIN = "Europe/Berlin"
MARCH = {"timeMin": "2025-03-01T00:00:00Z", "timeMax": "2025-04-01T00:00:00Z"}


def berlin(text: str) -> dict[str, str]:
    return {"dateTime": text, "timeZone": BERLIN}


SCENARIO: dict[str, Any] = {
    "sandbox": {"now": "2025-03-10T00:00:00Z"},
    "calendars": {
        ADA: {
            "events": [
                {
                    "id": "weekly", "summary": "Standup", "start": berlin("2025-03-03T16:00:00+01:00"),
                    "end": berlin("2025-03-03T16:30:00+01:00"),
                    "recurrence": [
                        "RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE;TZID=Europe/Berlin:20250317T160000",
                        "RDATE:20250319T150000Z",
                    ],
                    "attendees": [{"email": ADA, "self": True}, {"email": "omar@corp.example"}],
                    "hangoutLink": "https://meet.google.com/abc-mnop-xyz",
                },
                {
                    "id": "weekly_20250310T150000Z", "recurringEventId": "weekly", "summary": "Standup (moved)",
                    "originalStartTime": berlin("2025-03-10T16:00:00+01:00"),
                    "start": berlin("2025-03-10T17:00:00+01:00"), "end": berlin("2025-03-10T17:30:00+01:00"),
                },
                {
                    "recurringEventId": "weekly", "status": "cancelled",  # id derived from originalStartTime
                    "originalStartTime": berlin("2025-03-24T16:00:00+01:00"),
                },
                {
                    "id": "dead", "status": "cancelled", "summary": "Cancelled series",
                    "start": {"dateTime": "2025-03-04T09:00:00Z"}, "end": {"dateTime": "2025-03-04T09:15:00Z"},
                    "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=2"],
                },
                {
                    "id": "orphan_20250305T100000Z", "recurringEventId": "orphan", "summary": "Only an instance",
                    "originalStartTime": {"dateTime": "2025-03-05T10:00:00Z"},
                    "start": {"dateTime": "2025-03-05T10:00:00Z"}, "end": {"dateTime": "2025-03-05T11:00:00Z"},
                    "iCalUID": "orphan@google.com",
                },
                {
                    "id": "orphan_20250306T100000Z", "recurringEventId": "orphan", "status": "cancelled",
                    "originalStartTime": {"dateTime": "2025-03-06T10:00:00Z"},
                },
            ]
        },
        BOB: {
            "events": [
                {
                    "id": "offsite", "summary": "Offsite", "start": {"date": "2025-03-12"},
                    "end": {"date": "2025-03-13"}, "recurrence": ["RRULE:FREQ=DAILY;UNTIL=20250314"],
                },
                {
                    "id": "forever", "summary": "Daily", "start": {"dateTime": "2025-01-01T08:00:00Z"},
                    "end": {"dateTime": "2025-01-01T08:10:00Z"}, "recurrence": ["RRULE:FREQ=DAILY"],
                },
            ]
        },
    },
}  # fmt: skip

WEEKLY_INSTANCES = [
    "weekly_20250303T150000Z",
    "weekly_20250310T150000Z",
    "weekly_20250319T150000Z",
    "weekly_20250331T140000Z",
]


@pytest.fixture(scope="module")
def calendar() -> Iterator[Any]:
    """The events resource of a Calendar client on one read-only sandbox for the module."""
    with SandboxServer(SCENARIO) as server:
        client = build(
            "calendar", "v3", credentials=Credentials(token=STATIC_GOOGLE_TOKEN),
            client_options={"api_endpoint": server.url + "/calendar/v3/"}, static_discovery=True,
            cache_discovery=False,
        )  # fmt: skip
        yield client.events()
        client.close()


def listed(calendar: Any, calendar_id: str = ADA, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        body = calendar.list(calendarId=calendar_id, pageToken=token, **params).execute()
        assert_response_valid("calendar", "calendar.events.list", body)
        items += body["items"]
        token = body.get("nextPageToken")
        if token is None:
            return items


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def test_single_events_expands_series_and_applies_exceptions(calendar: Any) -> None:
    items = listed(calendar, singleEvents=True, orderBy="startTime", **MARCH)
    assert ids(items) == [
        "weekly_20250303T150000Z",
        "orphan_20250305T100000Z",
        "weekly_20250310T150000Z",
        "weekly_20250319T150000Z",
        "weekly_20250331T140000Z",
    ]
    first, moved, rdate, after_dst = items[0], items[2], items[3], items[4]
    assert first["recurringEventId"] == "weekly" and first["iCalUID"] == "weekly@google.com"
    assert first["originalStartTime"] == berlin("2025-03-03T16:00:00+01:00")
    assert first["start"] == berlin("2025-03-03T16:00:00+01:00")
    assert first["end"] == berlin("2025-03-03T16:30:00+01:00")
    assert first["hangoutLink"] == "https://meet.google.com/abc-mnop-xyz"
    assert first["attendees"] == SCENARIO["calendars"][ADA]["events"][0]["attendees"]
    assert "recurrence" not in first
    assert moved["summary"] == "Standup (moved)" and moved["start"] == berlin("2025-03-10T17:00:00+01:00")
    assert moved["iCalUID"] == "weekly@google.com"  # inherited from the parent
    assert moved["hangoutLink"] == "https://meet.google.com/abc-mnop-xyz"
    assert rdate["start"] == berlin("2025-03-19T16:00:00+01:00")
    assert after_dst["start"] == berlin("2025-03-31T16:00:00+02:00")  # wall-clock time kept across DST
    assert after_dst["originalStartTime"] == berlin("2025-03-31T16:00:00+02:00")
    assert len({item["etag"] for item in items}) == len(items)


def test_all_day_series_use_date_ids(calendar: Any) -> None:
    items = listed(calendar, BOB, singleEvents=True, q="offsite")
    assert ids(items) == ["offsite_20250312", "offsite_20250313", "offsite_20250314"]
    assert items[1]["start"] == {"date": "2025-03-13"} and items[1]["end"] == {"date": "2025-03-14"}
    assert items[1]["originalStartTime"] == {"date": "2025-03-13"}


def test_unbounded_series_stop_at_the_horizon(calendar: Any) -> None:
    items = listed(calendar, BOB, singleEvents=True, q="daily", maxResults=2500)
    assert items[0]["id"] == "forever_20250101T080000Z"
    # Expanded up to now (2025-03-10T00:00Z) + the horizon: Jan 1 .. Mar 9 (68 days), then one a day.
    assert items[-1]["start"]["dateTime"] == "2027-03-09T08:00:00Z"
    assert len(items) == 68 + HORIZON.days
    with_window = listed(calendar, BOB, singleEvents=True, q="daily", timeMin="2027-01-01T00:00:00Z",
                         timeMax="2027-01-03T00:00:00Z")  # fmt: skip
    assert ids(with_window) == ["forever_20270101T080000Z", "forever_20270102T080000Z"]


@pytest.mark.parametrize(
    ("single", "show_deleted", "expected"),
    [
        # Both false: cancelled instances of live series still appear; deleted series do not.
        (False, False, ["weekly", "orphan_20250305T100000Z", "orphan_20250306T100000Z",
                        "weekly_20250310T150000Z", "weekly_20250324T150000Z"]),
        (False, True, ["weekly", "dead", "orphan_20250305T100000Z", "orphan_20250306T100000Z",
                       "weekly_20250310T150000Z", "weekly_20250324T150000Z"]),
        (True, False, ["weekly_20250303T150000Z", "orphan_20250305T100000Z", "weekly_20250310T150000Z",
                       "weekly_20250319T150000Z", "weekly_20250331T140000Z"]),
        # Both true: cancelled single instances (also of the deleted series), never the series itself.
        (True, True, ["weekly_20250303T150000Z", "dead_20250304T090000Z", "orphan_20250305T100000Z",
                      "orphan_20250306T100000Z", "weekly_20250310T150000Z", "dead_20250311T090000Z",
                      "weekly_20250319T150000Z", "weekly_20250324T150000Z", "weekly_20250331T140000Z"]),
    ],
    ids=["plain", "showDeleted", "singleEvents", "both"],
)  # fmt: skip
def test_show_deleted_quirks(calendar: Any, single: bool, show_deleted: bool, expected: list[str]) -> None:
    items = listed(calendar, singleEvents=single, showDeleted=show_deleted, **MARCH)
    assert ids(items) == expected


def test_cancelled_instances_carry_only_their_identity(calendar: Any) -> None:
    items = listed(calendar, singleEvents=True, showDeleted=True, **MARCH)
    by_id = {item["id"]: item for item in items}
    cancelled = by_id["weekly_20250324T150000Z"]
    assert set(cancelled) == {"kind", "etag", "id", "status", "recurringEventId", "originalStartTime"}
    assert cancelled["status"] == "cancelled" and cancelled["recurringEventId"] == "weekly"
    assert cancelled["originalStartTime"] == berlin("2025-03-24T16:00:00+01:00")
    dead = by_id["dead_20250304T090000Z"]
    assert dead["status"] == "cancelled" and dead["originalStartTime"] == {"dateTime": "2025-03-04T09:00:00Z"}


def test_get_serves_instances_parents_and_cancelled_events(calendar: Any) -> None:
    instance = calendar.get(calendarId=ADA, eventId="weekly_20250331T140000Z").execute()
    assert_response_valid("calendar", "calendar.events.get", instance)
    assert instance["recurringEventId"] == "weekly" and instance["start"]["dateTime"] == "2025-03-31T16:00:00+02:00"
    parent = calendar.get(calendarId=ADA, eventId="weekly").execute()
    assert parent["recurrence"][0] == "RRULE:FREQ=WEEKLY;COUNT=5"
    cancelled = calendar.get(calendarId=ADA, eventId="weekly_20250324T150000Z").execute()
    assert cancelled["status"] == "cancelled"
    series_gone = calendar.get(calendarId=ADA, eventId="dead_20250311T090000Z").execute()
    assert series_gone["status"] == "cancelled"
    for missing in ("weekly_20250317T150000Z", "weekly_20250318T150000Z", "nope"):  # EXDATE'd, never, unknown
        with pytest.raises(HttpError) as exc:
            calendar.get(calendarId=ADA, eventId=missing).execute()
        assert exc.value.status_code == 404


def test_instances_lists_the_series(calendar: Any) -> None:
    body = calendar.instances(calendarId=ADA, eventId="weekly").execute()
    assert_response_valid("calendar", "calendar.events.instances", body)
    assert ids(body["items"]) == WEEKLY_INSTANCES
    assert "nextSyncToken" not in body
    deleted = calendar.instances(calendarId=ADA, eventId="weekly", showDeleted=True).execute()
    assert ids(deleted["items"]) == [*WEEKLY_INSTANCES[:3], "weekly_20250324T150000Z", WEEKLY_INSTANCES[3]]


def test_instances_time_min_is_inclusive_and_original_start_filters(calendar: Any) -> None:
    # The first instance ends at 15:30Z: timeMin equal to that end keeps it here (exclusive in list).
    body = calendar.instances(calendarId=ADA, eventId="weekly", timeMin="2025-03-03T15:30:00Z").execute()
    assert ids(body["items"])[0] == "weekly_20250303T150000Z"
    listed_ = listed(calendar, singleEvents=True, q="standup", timeMin="2025-03-03T15:30:00Z")
    assert ids(listed_)[0] == "weekly_20250310T150000Z"
    one = calendar.instances(calendarId=ADA, eventId="weekly", originalStart="2025-03-10T16:00:00+01:00").execute()
    assert ids(one["items"]) == ["weekly_20250310T150000Z"]


def test_instances_paging(calendar: Any) -> None:
    seen: list[str] = []
    token = None
    while True:
        body = calendar.instances(calendarId=ADA, eventId="weekly", maxResults=1, pageToken=token).execute()
        assert len(body["items"]) == 1
        seen += ids(body["items"])
        token = body.get("nextPageToken")
        if token is None:
            break
    assert seen == WEEKLY_INSTANCES


def test_instances_of_a_deleted_series_is_410(calendar: Any) -> None:
    with pytest.raises(HttpError) as exc:
        calendar.instances(calendarId=ADA, eventId="dead").execute()
    assert exc.value.status_code == 410
    assert json.loads(exc.value.content)["error"]["errors"][0]["reason"] == "deleted"
    with pytest.raises(HttpError) as missing:
        calendar.instances(calendarId=ADA, eventId="nope").execute()
    assert missing.value.status_code == 404
