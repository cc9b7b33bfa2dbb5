"""Live Calendar patches: upserts (new calendars too), cancellations, the world clock stamped on
``updated``, validation with paths, and atomicity (a bad patch changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from mapper.clock import FixedClock, utc
from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer, ScenarioError
from mapper.sandbox.calendar import CalendarApi

ADA = "ada@corp.example"
NOW = "2025-03-10T00:00:00Z"
AUTH = {"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}


def timed(event_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "start": {"dateTime": "2025-03-12T10:00:00Z"},
        "end": {"dateTime": "2025-03-12T11:00:00Z"},
        **extra,
    }


@pytest.fixture
def server(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    scenario = {"calendars": {ADA: {"events": [timed("a", summary="A"), timed("b")]}}}
    return sandbox_factory(scenario, clock=FixedClock(utc(NOW)))


def calendar_api(server: SandboxServer) -> CalendarApi:
    api = server.world.api("calendar")
    assert isinstance(api, CalendarApi)
    return api


def events(server: SandboxServer, calendar_id: str = ADA, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.url}/calendar/v3/calendars/{calendar_id}/events", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_upsert_replaces_adds_and_stamps_the_clock(server: SandboxServer) -> None:
    clock = server.world.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(hours=1, milliseconds=250))
    patch = {"events": [timed("a", summary="A v2", updated="2020-01-01T00:00:00Z", xCustom=[1]), timed("c")]}
    response = httpx.post(f"{server.url}/_sandbox/patch", json={"calendars": {ADA: patch}})
    assert response.status_code == 200 and response.json() == {"ok": True}
    served = {item["id"]: item for item in events(server)}
    assert sorted(served) == ["a", "b", "c"]
    assert served["a"]["summary"] == "A v2" and served["a"]["xCustom"] == [1]
    assert served["a"]["updated"] == "2025-03-10T01:00:00.250Z"  # every change bumps updated to now
    assert served["b"]["updated"] == "2025-03-10T00:00:00.000Z"


def test_new_calendars_and_generated_ids(server: SandboxServer) -> None:
    server.patch({"calendars": {"new@corp.example": {"events": [{k: v for k, v in timed("x").items() if k != "id"}]}}})
    items = events(server, "new@corp.example")
    assert len(items) == 1 and len(items[0]["id"]) == 26


def test_cancel_marks_events_cancelled(server: SandboxServer) -> None:
    server.patch({"calendars": {ADA: {"cancel": ["a"]}}})
    assert [item["id"] for item in events(server)] == ["b"]
    deleted = events(server, showDeleted="true")
    assert [item["id"] for item in deleted] == ["a", "b"] and deleted[0]["status"] == "cancelled"
    assert calendar_api(server).event(ADA, "a") == deleted[0]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"calendars": {ADA: {"events": [timed("a", end={"dateTime": "2025-03-12T09:00:00Z"})]}}},
         'patch.calendars["ada@corp.example"].events[0].end: must be after start'),
        ({"calendars": {ADA: {"cancel": ["nope"]}}},
         "patch.calendars[\"ada@corp.example\"].cancel[0]: unknown event id 'nope'"),
        ({"calendars": {ADA: {"delete": ["a"]}}},
         'patch.calendars["ada@corp.example"].delete: unknown key (expected one of events, cancel)'),
        ({"calendars": []}, "patch.calendars: must be an object, got an array"),
    ],
)  # fmt: skip
def test_bad_patches_are_400_naming_the_path(server: SandboxServer, patch: dict[str, Any], message: str) -> None:
    response = httpx.post(f"{server.url}/_sandbox/patch", json=patch)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_a_bad_patch_changes_nothing(server: SandboxServer) -> None:
    patch = {
        "calendars": {
            "new@corp.example": {"events": [timed("n")]},
            ADA: {"events": [timed("c")], "cancel": ["a", "missing"]},
        }
    }
    with pytest.raises(ScenarioError, match=r"cancel\[1\]: unknown event id 'missing'"):
        server.patch(patch)
    assert [item["id"] for item in events(server)] == ["a", "b"]
    assert calendar_api(server).calendar("new@corp.example") is None
    # cancelling an event added by the same patch is fine
    server.patch({"calendars": {ADA: {"events": [timed("c")], "cancel": ["c"]}}})
    assert [item["id"] for item in events(server)] == ["a", "b"]
