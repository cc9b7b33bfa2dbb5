"""Participant-events artifacts (cursor paging, filters), the three downloads and the recording
endpoints, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest

from mapper.sandbox import SandboxServer
from tests.sandbox.test_recall_world import (
    AUTH,
    BOT_MEET_EXPIRED,
    BOT_TEAMS,
    BOT_WEBEX_LIVE,
    BOT_ZOOM,
    TEAMS_PARTICIPANTS,
    download,
    get,
    world,
)

#: Bots with a recording, newest recording first (the list's ``-created_at`` order).
RECORDED = [BOT_WEBEX_LIVE, BOT_ZOOM, BOT_TEAMS, BOT_MEET_EXPIRED]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(world(page_size=2)) as shared:
        yield shared


@pytest.fixture(scope="module")
def bots(server: SandboxServer) -> dict[str, dict[str, Any]]:
    return {bot_id: get(server, f"/api/v1/bot/{bot_id}/").json() for bot_id in RECORDED}


def recording_id(bots: dict[str, dict[str, Any]], bot_id: str) -> str:
    return str(bots[bot_id]["recordings"][0]["id"])


def artifact_id(bots: dict[str, dict[str, Any]], bot_id: str) -> str:
    return str(bots[bot_id]["recordings"][0]["media_shortcuts"]["participant_events"]["id"])


def test_list_by_recording_id(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    page = get(server, "/api/v1/participant_events/", recording_id=recording_id(bots, BOT_TEAMS)).json()
    assert page["next"] is None and page["previous"] is None
    (item,) = page["results"]
    shortcut = bots[BOT_TEAMS]["recordings"][0]["media_shortcuts"]["participant_events"]
    assert item == {**shortcut, "recording": {"id": recording_id(bots, BOT_TEAMS), "metadata": {}}}
    assert get(server, "/api/v1/participant_events", recording_id=recording_id(bots, BOT_ZOOM)).json()["results"][0][
        "id"
    ] == artifact_id(bots, BOT_ZOOM)


def test_cursor_paging_forward_and_back(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    first = get(server, "/api/v1/participant_events/").json()
    assert first["previous"] is None
    link = urlsplit(first["next"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{server.url}/api/v1/participant_events/"
    assert list(parse_qs(link.query)) == ["cursor"]
    second = httpx.get(first["next"], headers=AUTH).json()
    assert second["next"] is None
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert seen == [artifact_id(bots, bot_id) for bot_id in RECORDED]
    back = httpx.get(second["previous"], headers=AUTH).json()
    assert [item["id"] for item in back["results"]] == [item["id"] for item in first["results"]]
    assert back["previous"] is None and back["next"] == first["next"]


def test_cursor_links_carry_filters(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    first = get(server, "/api/v1/participant_events/", created_at_after="2025-03-01T00:00:00Z").json()
    query = parse_qs(urlsplit(first["next"]).query)
    assert query["created_at_after"] == ["2025-03-01T00:00:00Z"] and "cursor" in query
    second = httpx.get(first["next"], headers=AUTH).json()
    assert len(first["results"]) + len(second["results"]) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status_code": "done"}, [BOT_ZOOM, BOT_TEAMS]),
        ({"status_code": "processing"}, [BOT_WEBEX_LIVE]),
        ({"status_code": "deleted"}, [BOT_MEET_EXPIRED]),
        ({"created_at_after": "2025-03-10T14:59:00Z", "created_at_before": "2025-03-11"}, [BOT_TEAMS]),
        ({"recording_id": "00000000-0000-4000-8000-000000000000"}, []),
    ],
    ids=["done", "processing", "deleted", "created-range", "unknown-recording"],
)
def test_filters(
    server: SandboxServer, bots: dict[str, dict[str, Any]], params: dict[str, str], expected: list[str]
) -> None:
    page = get(server, "/api/v1/participant_events/", **params).json()
    found = [item["id"] for item in page["results"]]
    while page["next"]:
        page = httpx.get(page["next"], headers=AUTH).json()
        found += [item["id"] for item in page["results"]]
    assert found == [artifact_id(bots, bot_id) for bot_id in expected]


@pytest.mark.parametrize(
    ("params", "status", "body"),
    [
        ({"recording_id": "abc"}, 400, {"recording_id": ["Enter a valid UUID."]}),
        ({"created_at_before": "soon"}, 400, {"created_at": ["Enter a valid date/time."]}),
        (
            {"status_code": "ready"},
            400,
            {"status_code": ["Select a valid choice. ready is not one of the available choices."]},
        ),
        ({"cursor": "garbage!"}, 404, {"detail": "Invalid cursor"}),
        ({"cursor": "eyJwIjpbMV0sInIiOjB9"}, 404, {"detail": "Invalid cursor"}),  # a position of the wrong type
    ],
    ids=["recording-id", "created-at", "status-code", "cursor", "cursor-type"],
)
def test_bad_parameters(server: SandboxServer, params: dict[str, str], status: int, body: Any) -> None:
    response = get(server, "/api/v1/participant_events/", **params)
    assert response.status_code == status
    assert response.json() == body


def test_retrieve(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    item = get(server, f"/api/v1/participant_events/{artifact_id(bots, BOT_ZOOM)}/").json()
    assert item["recording"] == {"id": recording_id(bots, BOT_ZOOM), "metadata": {}}
    assert item["data"] == bots[BOT_ZOOM]["recordings"][0]["media_shortcuts"]["participant_events"]["data"]
    for path in ("/api/v1/participant_events/00000000-0000-4000-8000-000000000000/", "/api/v1/participant_events/x/"):
        response = get(server, path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_downloads_return_the_scenario_arrays(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    teams = bots[BOT_TEAMS]
    assert httpx.get(str(download(teams, "participants"))).json() == TEAMS_PARTICIPANTS
    events = httpx.get(str(download(teams, "participant_events"))).json()
    assert [event["id"] for event in events] == [f"ev-{n:02d}" for n in range(1, 14)]
    assert events[10]["timestamp"] == {"relative": 960, "absolute": "2025-03-10T15:15:00.000000Z"}
    assert httpx.get(str(download(teams, "speaker_timeline"))).json() == [
        {
            "participant": TEAMS_PARTICIPANTS[0],
            "start_timestamp": {"relative": 12, "absolute": "2025-03-10T14:59:12.000000Z"},
            "end_timestamp": {"relative": 40, "absolute": "2025-03-10T14:59:40.000000Z"},
        }
    ]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][:-4] + "AAAA"),
    ],
    ids=["missing", "garbage", "bad-signature", "edited-payload"],
)
def test_bad_download_tokens_are_403(server: SandboxServer, bots: dict[str, dict[str, Any]], mangle: Any) -> None:
    url = str(download(bots[BOT_TEAMS], "participants"))
    token = unquote(parse_qs(urlsplit(url).query)["token"][0])
    response = httpx.get(f"{server.url}/api/v1/download/participants?token={quote(mangle(token), safe='')}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid or expired download token."}


def test_token_selects_the_artifact_not_the_kind(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    url = str(download(bots[BOT_ZOOM], "participants")).replace(
        "/download/participants?", "/download/speaker_timeline?"
    )
    assert len(httpx.get(url).json()) == 3


def test_recording_endpoints(server: SandboxServer, bots: dict[str, dict[str, Any]]) -> None:
    rec_id = recording_id(bots, BOT_TEAMS)
    recording = get(server, f"/api/v1/recording/{rec_id}/").json()
    assert recording["bot"] == {"id": BOT_TEAMS, "metadata": {"team": "sales", "event_id": "evt-1"}}
    assert recording["realtime_endpoints"] == []
    assert recording["media_shortcuts"] == bots[BOT_TEAMS]["recordings"][0]["media_shortcuts"]
    listed = get(server, "/api/v1/recording/", bot_id=BOT_ZOOM).json()
    assert [item["id"] for item in listed["results"]] == [recording_id(bots, BOT_ZOOM)]
    done = get(server, "/api/v1/recording/", status_code="done").json()
    assert [item["bot"]["id"] for item in done["results"]] == [BOT_ZOOM, BOT_TEAMS] and done["next"] is None
    participants = get(server, f"/api/v1/recording/{rec_id}/participant/").json()
    names = [p["name"] for p in participants["results"]]
    while participants["next"]:
        participants = httpx.get(participants["next"], headers=AUTH).json()
        names += [p["name"] for p in participants["results"]]
    assert names == [p["name"] for p in TEAMS_PARTICIPANTS]
    expired = get(server, f"/api/v1/recording/{recording_id(bots, BOT_MEET_EXPIRED)}/participant/").json()
    assert expired == {"next": None, "previous": None, "results": []}
    assert get(server, "/api/v1/recording/nope/").status_code == 404
