"""Calendar events.list through google-api-python-client: envelope, paging, time bounds, ordering,
filters (q, iCalUID, eventTypes, extended properties), maxAttendees, timeZone and its 400 / 404s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from tests.support.discovery import assert_response_valid

ADA = "ada@corp.example"


def timed(event_id: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"id": event_id, "start": {"dateTime": start}, "end": {"dateTime": end}, **extra}


SCENARIO: dict[str, Any] = {
    "sandbox": {"now": "2025-03-10T00:00:00Z"},
    "calendars": {
        ADA: {
            "summary": "Ada Lovelace",
            "timeZone": "Europe/Berlin",
            "events": [
                timed(
                    "kickoff", "2025-03-03T09:00:00Z", "2025-03-03T10:00:00Z",
                    summary="Project kickoff", updated="2025-02-01T10:00:00.000Z",
                    organizer={"email": ADA, "self": True},
                    attendees=[
                        {"email": ADA, "organizer": True, "self": True, "responseStatus": "accepted"},
                        {"email": "omar@corp.example", "displayName": "Omar Haddad", "responseStatus": "accepted"},
                        {"email": "kim@partner.example", "responseStatus": "needsAction"},
                    ],
                    hangoutLink="https://meet.google.com/kqp-zmtr-wvx",
                    xUnknownKey={"kept": True},
                ),
                timed("review", "2025-03-03T10:00:00Z", "2025-03-03T11:00:00Z", summary="Design review",
                      updated="2025-01-15T08:00:00.000Z", location="Room Babbage"),
                timed("lunch", "2025-03-03T12:00:00Z", "2025-03-03T13:00:00Z", summary="Lunch",
                      updated="2025-02-20T09:12:44.120Z", iCalUID="shared-uid@corp.example",
                      extendedProperties={"private": {"team": "core"}}),
                timed("focus", "2025-03-04T08:00:00Z", "2025-03-04T10:00:00Z", summary="Focus", eventType="focusTime"),
                {"id": "holiday", "summary": "Holiday", "start": {"date": "2025-03-05"}, "end": {"date": "2025-03-06"}},
                timed("gone", "2025-03-03T14:00:00Z", "2025-03-03T15:00:00Z", status="cancelled"),
            ],
        },
        "omar@corp.example": {"events": []},
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """One read-only sandbox for the module (a server takes half a second to stop)."""
    with SandboxServer(SCENARIO) as running:
        yield running


_CLIENTS: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.popitem()[1].close()


def service(server: SandboxServer) -> Any:
    """A Calendar client of ``server`` (one per server, closed at the end of the module)."""
    if server.url not in _CLIENTS:
        _CLIENTS[server.url] = build(
            "calendar", "v3", credentials=Credentials(token=STATIC_GOOGLE_TOKEN),
            client_options={"api_endpoint": server.url + "/calendar/v3/"}, static_discovery=True,
            cache_discovery=False,
        )  # fmt: skip
    return _CLIENTS[server.url]


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


def error(exc: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.value.content)["error"]
    return body


def test_envelope_and_items_are_valid_and_verbatim(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA).execute()
    assert_response_valid("calendar", "calendar.events.list", {k: v for k, v in body.items() if k != "items"})
    for item in body["items"]:
        assert_response_valid("calendar", "calendar.events.get", {k: v for k, v in item.items() if k != "xUnknownKey"})
    assert body["kind"] == "calendar#events"
    assert body["summary"] == "Ada Lovelace"
    assert body["timeZone"] == "Europe/Berlin"
    assert body["accessRole"] == "owner"
    assert body["defaultReminders"] == []
    assert "nextSyncToken" in body and "nextPageToken" not in body
    assert ids(body) == ["kickoff", "review", "lunch", "focus", "holiday"]  # the cancelled one is hidden
    kickoff = body["items"][0]
    assert kickoff["kind"] == "calendar#event"
    assert kickoff["etag"].startswith('"') and kickoff["etag"].endswith('"')
    assert kickoff["xUnknownKey"] == {"kept": True}
    assert kickoff["attendees"][1] == {
        "email": "omar@corp.example", "displayName": "Omar Haddad", "responseStatus": "accepted",
    }  # fmt: skip
    assert kickoff["updated"] == "2025-02-01T10:00:00.000Z"
    assert kickoff["iCalUID"] == "kickoff@google.com"
    assert body["items"][1]["status"] == "confirmed"


def test_paging_with_tiny_pages_returns_everything_once(server: SandboxServer) -> None:
    calendar = service(server).events()
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        body = calendar.list(calendarId=ADA, maxResults=2, pageToken=token).execute()
        pages += 1
        seen += ids(body)
        token = body.get("nextPageToken")
        if token is None:
            assert "nextSyncToken" in body
            break
        assert "nextSyncToken" not in body
    assert seen == ["kickoff", "review", "lunch", "focus", "holiday"]
    assert pages == 3


@pytest.mark.parametrize("value", ["0", "-1"])
def test_max_results_below_one_is_400(server: SandboxServer, value: str) -> None:
    with pytest.raises(HttpError) as exc:
        service(server).events().list(calendarId=ADA, maxResults=value).execute()
    assert exc.value.status_code == 400
    assert error(exc)["errors"][0]["location"] == "maxResults"


def test_max_results_above_cap_is_accepted(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA, maxResults=100000).execute()
    assert len(body["items"]) == 5


def test_time_min_bounds_end_and_time_max_bounds_start_exclusively(server: SandboxServer) -> None:
    calendar = service(server).events()
    # review is 10:00-11:00: an end equal to timeMin and a start equal to timeMax are both excluded.
    body = calendar.list(calendarId=ADA, timeMin="2025-03-03T10:00:00Z", timeMax="2025-03-03T12:00:00Z").execute()
    assert ids(body) == ["review"]
    body = calendar.list(calendarId=ADA, timeMin="2025-03-03T11:00:00+01:00", timeMax="2025-03-03T10:00:01Z").execute()
    assert ids(body) == ["review"]  # 11:00+01:00 = 10:00Z, so kickoff (ends 10:00Z) is out
    # Milliseconds are ignored: timeMin 09:59:59.900 behaves as 09:59:59.
    body = calendar.list(calendarId=ADA, timeMin="2025-03-03T09:59:59.900Z", timeMax="2025-03-03T10:00:00Z").execute()
    assert ids(body) == ["kickoff"]


def test_all_day_events_start_at_midnight_in_the_calendar_zone(server: SandboxServer) -> None:
    calendar = service(server).events()
    # 2025-03-05 in Europe/Berlin starts at 2025-03-04T23:00Z.
    body = calendar.list(calendarId=ADA, timeMin="2025-03-04T22:30:00Z", timeMax="2025-03-04T23:00:01Z").execute()
    assert ids(body) == ["holiday"]
    body = calendar.list(calendarId=ADA, timeMin="2025-03-04T22:00:00Z", timeMax="2025-03-04T23:00:00Z").execute()
    assert ids(body) == []


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("timeMin", "2025-03-03T10:00:00"),  # no offset
        ("timeMin", "2025-03-03"),
        ("timeMax", "yesterday"),
        ("updatedMin", "2025-13-01T00:00:00Z"),
    ],
)
def test_bad_rfc3339_is_400(server: SandboxServer, param: str, value: str) -> None:
    with pytest.raises(HttpError) as exc:
        service(server).events().list(calendarId=ADA, **{param: value}).execute()
    assert exc.value.status_code == 400
    assert error(exc)["errors"][0]["location"] == param


def test_empty_time_range_is_time_range_empty(server: SandboxServer) -> None:
    with pytest.raises(HttpError) as exc:
        service(server).events().list(
            calendarId=ADA, timeMin="2025-03-03T10:00:00Z", timeMax="2025-03-03T11:00:00+01:00"
        ).execute()
    assert exc.value.status_code == 400
    assert error(exc)["errors"][0] == {
        "domain": "calendar",
        "reason": "timeRangeEmpty",
        "message": "The specified time range is empty.",
        "location": "timeMax",
        "locationType": "parameter",
    }


def test_order_by_start_time_needs_single_events(server: SandboxServer) -> None:
    with pytest.raises(HttpError) as exc:
        service(server).events().list(calendarId=ADA, orderBy="startTime").execute()
    assert exc.value.status_code == 400
    assert error(exc)["errors"][0]["reason"] == "badRequest"
    body = service(server).events().list(calendarId=ADA, orderBy="startTime", singleEvents=True).execute()
    assert ids(body) == ["kickoff", "review", "lunch", "focus", "holiday"]


def test_order_by_updated_is_ascending(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA, orderBy="updated").execute()
    assert ids(body)[:3] == ["review", "kickoff", "lunch"]


def test_updated_min_includes_deletions(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA, updatedMin="2025-02-01T10:00:00Z").execute()
    # gone is cancelled but changed since then: included whatever showDeleted says, reduced to its id.
    assert ids(body) == ["kickoff", "lunch", "gone", "focus", "holiday"]
    gone = body["items"][2]
    assert set(gone) == {"kind", "etag", "id", "status"} and gone["status"] == "cancelled"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("omar", ["kickoff"]),  # attendee email
        ("haddad", ["kickoff"]),  # attendee display name
        ("babbage", ["review"]),  # location
        ("design REVIEW", ["review"]),  # every term, case-insensitive
        ("design lunch", []),
        ("corp.example", ["kickoff"]),  # organizer / attendee emails
    ],
)
def test_q_searches_text_and_people(server: SandboxServer, query: str, expected: list[str]) -> None:
    assert ids(service(server).events().list(calendarId=ADA, q=query).execute()) == expected


def test_ical_uid_event_types_and_extended_properties(server: SandboxServer) -> None:
    calendar = service(server).events()
    assert ids(calendar.list(calendarId=ADA, iCalUID="shared-uid@corp.example").execute()) == ["lunch"]
    assert ids(calendar.list(calendarId=ADA, eventTypes="focusTime").execute()) == ["focus"]
    default = calendar.list(calendarId=ADA, eventTypes=["default", "outOfOffice"]).execute()
    assert ids(default) == ["kickoff", "review", "lunch", "holiday"]
    assert ids(calendar.list(calendarId=ADA, privateExtendedProperty="team=core").execute()) == ["lunch"]
    assert ids(calendar.list(calendarId=ADA, privateExtendedProperty="team=other").execute()) == []


def test_max_attendees_keeps_only_self(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA, maxAttendees=2, q="kickoff").execute()
    kickoff = body["items"][0]
    assert kickoff["attendeesOmitted"] is True
    assert kickoff["attendees"] == [{"email": ADA, "organizer": True, "self": True, "responseStatus": "accepted"}]
    body = service(server).events().list(calendarId=ADA, maxAttendees=3, q="kickoff").execute()
    assert len(body["items"][0]["attendees"]) == 3 and "attendeesOmitted" not in body["items"][0]


def test_time_zone_parameter_rewrites_date_times(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId=ADA, timeZone="America/New_York", q="kickoff").execute()
    assert body["timeZone"] == "America/New_York"
    assert body["items"][0]["start"] == {"dateTime": "2025-03-03T04:00:00-05:00"}


def test_page_token_is_bound_to_its_query(server: SandboxServer) -> None:
    calendar = service(server).events()
    token = calendar.list(calendarId=ADA, maxResults=1).execute()["nextPageToken"]
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=ADA, maxResults=1, pageToken=token, q="lunch").execute()
    assert exc.value.status_code == 400
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=ADA, pageToken="not-a-token").execute()
    assert exc.value.status_code == 400
    assert error(exc)["errors"][0]["location"] == "pageToken"


def test_unknown_calendar_and_static_primary_are_404(server: SandboxServer) -> None:
    for calendar_id in ("nobody@corp.example", "primary"):
        with pytest.raises(HttpError) as exc:
            service(server).events().list(calendarId=calendar_id).execute()
        assert exc.value.status_code == 404
        assert error(exc)["errors"][0] == {"domain": "global", "reason": "notFound", "message": "Not Found"}


def test_empty_calendar_and_case_insensitive_ids(server: SandboxServer) -> None:
    body = service(server).events().list(calendarId="Omar@Corp.Example").execute()
    assert body["items"] == [] and body["summary"] == "omar@corp.example" and "nextSyncToken" in body


def test_unknown_parameters_are_ignored(server: SandboxServer) -> None:
    import httpx

    response = httpx.get(
        f"{server.url}/calendar/v3/calendars/{ADA}/events",
        params={"foo": "bar", "alt": "json", "prettyPrint": "false", "fields": "items(id)"},
        headers={"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"},
    )
    assert response.status_code == 200
    assert len(response.json()["items"]) == 5
