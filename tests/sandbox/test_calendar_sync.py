"""Calendar incremental sync: nextSyncToken on the last page only, change sets after live patches
(deletions included, reduced to their identity), paged change sets, the parameters a sync token
refuses, 410 fullSyncRequired for unknown or invalidated tokens, and series changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.clock import FixedClock, utc
from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from mapper.sandbox.calendar.query import NOT_WITH_SYNC
from tests.support.discovery import assert_response_valid

ADA = "ada@corp.example"
OMAR = "omar@corp.example"
NOW = "2025-03-10T00:00:00Z"
WINDOW = {"timeMin": "2025-03-01T00:00:00Z", "timeMax": "2025-04-01T00:00:00Z"}


def timed(event_id: str, day: int, **extra: Any) -> dict[str, Any]:
    start, end = f"2025-03-{day:02d}T10:00:00Z", f"2025-03-{day:02d}T11:00:00Z"
    return {"id": event_id, "summary": event_id, "start": {"dateTime": start}, "end": {"dateTime": end}, **extra}


def scenario() -> dict[str, Any]:
    return {
        "sandbox": {"now": NOW},
        "calendars": {
            ADA: {
                "events": [
                    timed("a", 3),
                    timed("b", 4),
                    timed("c", 5),
                    {**timed("weekly", 6), "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=4"]},
                ]
            },
            OMAR: {"events": [timed("o1", 3)]},
        },
    }


@pytest.fixture
def make(sandbox_factory: Callable[..., SandboxServer]) -> Iterator[Callable[..., tuple[SandboxServer, Any]]]:
    """``make()`` → (a fresh sandbox on a fixed clock, its events resource); clients closed after."""
    clients: list[Any] = []

    def build_one() -> tuple[SandboxServer, Any]:
        server = sandbox_factory(scenario(), clock=FixedClock(utc(NOW)))
        client = build(
            "calendar", "v3", credentials=Credentials(token=STATIC_GOOGLE_TOKEN),
            client_options={"api_endpoint": server.url + "/calendar/v3/"}, static_discovery=True,
            cache_discovery=False,
        )  # fmt: skip
        clients.append(client)
        return server, client.events()

    yield build_one
    for client in clients:
        client.close()


def sync(calendar: Any, calendar_id: str = ADA, **params: Any) -> tuple[list[dict[str, Any]], str, int]:
    """Every page of one listing: (items, nextSyncToken, number of pages)."""
    items: list[dict[str, Any]] = []
    token = None
    pages = 0
    while True:
        body = calendar.list(calendarId=calendar_id, pageToken=token, **params).execute()
        assert_response_valid("calendar", "calendar.events.list", body)
        pages += 1
        items += body["items"]
        token = body.get("nextPageToken")
        if token is None:
            return items, body["nextSyncToken"], pages
        assert "nextSyncToken" not in body


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def advance(server: SandboxServer, minutes: int = 5) -> None:
    clock = server.world.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(minutes=minutes))


def test_incremental_sync_returns_only_changes(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    items, token, pages = sync(calendar, singleEvents=True, showDeleted=True, maxResults=2, **WINDOW)
    assert pages == 4 and len(items) == 7
    advance(server)
    server.patch(
        {
            "calendars": {
                ADA: {
                    "events": [timed("b", 4, summary="b moved"), timed("new", 20)],
                    "cancel": ["c"],
                }
            }
        }
    )
    changed, token2, _ = sync(calendar, singleEvents=True, showDeleted=True, syncToken=token)
    assert ids(changed) == ["b", "new", "c"]  # in change order
    assert changed[0]["summary"] == "b moved" and changed[0]["updated"] == "2025-03-10T00:05:00.000Z"
    assert changed[2] == {"kind": "calendar#event", "etag": changed[2]["etag"], "id": "c", "status": "cancelled"}
    again, token3, _ = sync(calendar, singleEvents=True, showDeleted=True, syncToken=token2)
    assert again == [] and token3
    # The full listing now shows the change too.
    full, _, _ = sync(calendar, singleEvents=True, **WINDOW)
    assert "c" not in ids(full) and "new" in ids(full)


def test_other_calendars_changes_are_not_reported(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True)
    server.patch({"calendars": {OMAR: {"cancel": ["o1"]}, "carol@corp.example": {"events": [timed("x", 9)]}}})
    assert sync(calendar, singleEvents=True, syncToken=token)[0] == []
    carol, _, _ = sync(calendar, "carol@corp.example", singleEvents=True)
    assert ids(carol) == ["x"]


def test_changes_outside_the_initial_window_are_returned(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True, timeMin="2025-03-04T00:00:00Z", timeMax="2025-03-05T00:00:00Z")
    server.patch({"calendars": {ADA: {"events": [timed("a", 3, summary="a again")]}}})
    changed, _, _ = sync(calendar, singleEvents=True, syncToken=token)
    assert ids(changed) == ["a"]


def test_paged_change_sets(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True)
    server.patch({"calendars": {ADA: {"events": [timed(f"n{i}", 10 + i) for i in range(5)]}}})
    changed, token2, pages = sync(calendar, singleEvents=True, syncToken=token, maxResults=2)
    assert ids(changed) == ["n0", "n1", "n2", "n3", "n4"] and pages == 3
    assert sync(calendar, singleEvents=True, syncToken=token2)[0] == []


def test_changes_during_a_paged_full_sync_come_next_time(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    first = calendar.list(calendarId=ADA, singleEvents=True, maxResults=2).execute()
    server.patch({"calendars": {ADA: {"events": [timed("a", 3, summary="changed mid-sync")]}}})
    body = first
    while "nextPageToken" in body:
        body = calendar.list(calendarId=ADA, singleEvents=True, maxResults=2, pageToken=body["nextPageToken"]).execute()
    token = body["nextSyncToken"]
    changed, _, _ = sync(calendar, singleEvents=True, syncToken=token)
    assert ids(changed) == ["a"] and changed[0]["summary"] == "changed mid-sync"


def test_cancelling_one_instance_and_changing_a_series(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True, showDeleted=True)
    server.patch({"calendars": {ADA: {"cancel": ["weekly_20250313T100000Z"]}}})
    changed, token, _ = sync(calendar, singleEvents=True, showDeleted=True, syncToken=token)
    assert changed == [
        {
            "kind": "calendar#event",
            "etag": changed[0]["etag"],
            "id": "weekly_20250313T100000Z",
            "status": "cancelled",
            "recurringEventId": "weekly",
            "originalStartTime": {"dateTime": "2025-03-13T10:00:00Z"},
        }
    ]
    advance(server)
    shorter = {**timed("weekly", 6, summary="weekly v2"), "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=2"]}
    server.patch({"calendars": {ADA: {"events": [shorter]}}})
    changed, _, _ = sync(calendar, singleEvents=True, showDeleted=True, syncToken=token)
    by_id = {item["id"]: item for item in changed}
    assert sorted(by_id) == [
        "weekly_20250306T100000Z", "weekly_20250313T100000Z", "weekly_20250320T100000Z", "weekly_20250327T100000Z",
    ]  # fmt: skip
    assert by_id["weekly_20250306T100000Z"]["summary"] == "weekly v2"
    assert [by_id[f"weekly_202503{d}T100000Z"]["status"] for d in ("13", "20", "27")] == ["cancelled"] * 3
    # Without singleEvents the series change is one item.
    _, token_plain, _ = sync(calendar)
    server.patch({"calendars": {ADA: {"cancel": ["weekly"]}}})
    plain, _, _ = sync(calendar, syncToken=token_plain)
    # The deleted series, and its stored exceptions as cancelled instances.
    assert ids(plain) == ["weekly", "weekly_20250313T100000Z", "weekly_20250320T100000Z", "weekly_20250327T100000Z"]
    assert {item["status"] for item in plain} == {"cancelled"}


@pytest.mark.parametrize("param", NOT_WITH_SYNC)
def test_sync_token_refuses_filters(make: Callable[..., tuple[SandboxServer, Any]], param: str) -> None:
    _, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True)
    value = {"timeMin": "2025-03-01T00:00:00Z", "timeMax": "2025-04-01T00:00:00Z",
             "updatedMin": "2025-03-01T00:00:00Z", "orderBy": "updated"}.get(param, "x=y")  # fmt: skip
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=ADA, singleEvents=True, syncToken=token, **{param: value}).execute()
    assert exc.value.status_code == 400
    assert json.loads(exc.value.content)["error"]["errors"][0]["location"] == param


def test_sync_token_refuses_show_deleted_false(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    _, calendar = make()
    _, token, _ = sync(calendar, singleEvents=True)
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=ADA, singleEvents=True, syncToken=token, showDeleted=False).execute()
    assert exc.value.status_code == 400
    assert sync(calendar, singleEvents=True, syncToken=token, showDeleted=True)[0] == []
    with pytest.raises(HttpError) as mismatch:  # the initial sync expanded instances
        calendar.list(calendarId=ADA, syncToken=token).execute()
    assert mismatch.value.status_code == 400


def full_sync_required(exc: pytest.ExceptionInfo[HttpError]) -> bool:
    error = json.loads(exc.value.content)["error"]
    return (
        exc.value.status_code == 410
        and error["errors"][0]["reason"] == "fullSyncRequired"
        and (error["errors"][0]["domain"] == "calendar")
    )


def test_unknown_and_foreign_tokens_are_410(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    _, calendar = make()
    _, omar_token, _ = sync(calendar, OMAR, singleEvents=True)
    for token in ("garbage", "eyJ0Ijoic3luYyJ9", omar_token):
        with pytest.raises(HttpError) as exc:
            calendar.list(calendarId=ADA, singleEvents=True, syncToken=token).execute()
        assert full_sync_required(exc), token


def test_invalidated_tokens_are_410(make: Callable[..., tuple[SandboxServer, Any]]) -> None:
    server, calendar = make()
    _, ada_token, _ = sync(calendar, singleEvents=True)
    _, omar_token, _ = sync(calendar, OMAR, singleEvents=True)
    response = httpx.post(f"{server.url}/_sandbox/calendar/invalidate-sync-tokens", params={"calendarId": ADA})
    assert response.status_code == 200 and response.json() == {"ok": True, "calendars": [ADA]}
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=ADA, singleEvents=True, syncToken=ada_token).execute()
    assert full_sync_required(exc)
    assert sync(calendar, OMAR, singleEvents=True, syncToken=omar_token)[0] == []  # untouched
    api: Any = server.world.api("calendar")
    assert api.invalidate_sync_tokens() == [ADA, OMAR]
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId=OMAR, singleEvents=True, syncToken=omar_token).execute()
    assert full_sync_required(exc)
    # A new full sync gives a working token again.
    _, fresh, _ = sync(calendar, singleEvents=True)
    assert sync(calendar, singleEvents=True, syncToken=fresh)[0] == []
    unknown = httpx.post(f"{server.url}/_sandbox/calendar/invalidate-sync-tokens", params={"calendarId": "x@y.z"})
    assert unknown.status_code == 404
