"""The sandbox HTTP server: routing errors, per-method stats, the patch endpoint's validation,
health, and HTTP/1.1 keep-alive."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from mapper.sandbox.http import Request

ADA = "ada@corp.example"
AUTH = {"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}
SCENARIO = {
    "calendars": {
        ADA: {"events": [{"id": "a1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]},
    }
}
EVENTS = f"/calendar/v3/calendars/{ADA}/events"


@pytest.fixture
def server(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(SCENARIO)


def test_unknown_path_is_404(server: SandboxServer) -> None:
    response = httpx.get(f"{server.url}/calendar/v3/nothing/here", headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": 404, "message": "Not Found: /calendar/v3/nothing/here"}}


def test_wrong_method_is_405(server: SandboxServer) -> None:
    response = httpx.post(f"{server.url}{EVENTS}", headers=AUTH, json={})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == 405
    assert httpx.delete(f"{server.url}/_sandbox/health").status_code == 405


def test_health_lists_the_apis(server: SandboxServer) -> None:
    body = httpx.get(f"{server.url}/_sandbox/health").json()
    assert body["ok"] is True and {"calendar", "oauth"} <= set(body["apis"])


def test_stats_count_each_method_and_status(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.url, headers=AUTH) as client:
        client.get(EVENTS)
        client.get(EVENTS, params={"singleEvents": "true"})
        client.get(f"{EVENTS}/a1")
        client.get(f"{EVENTS}/missing")
        client.get(EVENTS, headers={"Authorization": "Bearer wrong"})
        client.get("/_sandbox/health")  # control endpoints are not counted
        client.get("/nowhere")  # neither are unknown paths
        stats = client.get("/_sandbox/stats").json()
        assert stats == {
            "total": 5,
            "by_api": {"calendar": 5},
            "requests": {"calendar.events.get": 2, "calendar.events.list": 3},
            "statuses": {"calendar.events.get": {"200": 1, "404": 1}, "calendar.events.list": {"200": 2, "401": 1}},
            "faults": {},
        }
        assert server.stats_snapshot() == stats
        assert client.post("/_sandbox/stats/reset").json() == {"ok": True}
        assert client.get("/_sandbox/stats").json() == {
            "total": 0, "by_api": {}, "requests": {}, "statuses": {}, "faults": {},
        }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "patch: invalid JSON: "),
        (b"[]", "patch: must be an object, got an array"),
        (b'{"calender": {}}', "patch.calender: unknown section (expected one of "),
        (b'{"calendars": {"ada@corp.example": {"events": [{"id": "x", "start": {"date": "2025-03-03"}}]}}}',
         'patch.calendars["ada@corp.example"].events[0]: needs end (only a cancelled event may omit it)'),
    ],
)  # fmt: skip
def test_bad_patch_bodies_are_400_naming_the_path(server: SandboxServer, body: bytes, message: str) -> None:
    response = httpx.post(f"{server.url}/_sandbox/patch", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_keep_alive_with_content_length(server: SandboxServer) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        bodies: list[Any] = []
        sockets = []
        for _ in range(3):
            connection.request("GET", EVENTS, headers=AUTH)
            response = connection.getresponse()
            data = response.read()
            assert response.status == 200 and response.version == 11
            assert int(response.headers["Content-Length"]) == len(data)
            assert response.headers.get("Connection", "").lower() != "close"
            bodies.append(json.loads(data))
            sockets.append(connection.sock)
        patch = json.dumps({"calendars": {ADA: {"cancel": ["a1"]}}}).encode()
        connection.request("POST", "/_sandbox/patch", body=patch, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read()) == {"ok": True}
        sockets.append(connection.sock)
        assert all(sock is sockets[0] for sock in sockets)  # one connection served every request
        assert bodies[0] == bodies[2]
    finally:
        connection.close()


def test_dispatch_works_without_sockets(server: SandboxServer) -> None:
    response = server.dispatch(Request("GET", EVENTS, {}, {"authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}))
    assert response.status == 200
    assert [item["id"] for item in json.loads(response.body)["items"]] == ["a1"]
