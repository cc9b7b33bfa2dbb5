"""Scenario recordings: explicit recordings with their own downloads, media expiry by clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from mapper.clock import FixedClock
from tests.sandbox.test_recall_world import BOT_MEET_EXPIRED, BOT_TEAMS, BOT_ZOOM, NOW, download, get, world


def test_explicit_recordings_with_their_own_downloads(sandbox_factory: Any) -> None:
    """A bot that recorded twice: each recording carries its own child lists; a given
    ``video_mixed`` shortcut is served verbatim; a null ``participant_events`` means not captured."""
    first, second, third = (
        "a1000000-0000-4000-8000-000000000001",
        "a1000000-0000-4000-8000-000000000002",
        "a1000000-0000-4000-8000-000000000003",
    )
    video = {
        "id": "b2000000-0000-4000-8000-000000000001",
        "status": {"code": "done"},
        "data": {"download_url": "https://x/v.mp4"},
    }
    bot = {
        "id": BOT_ZOOM,
        "meeting_url": "https://zoom.us/j/84120933317",
        "status_changes": world()["recall"]["bots"][1]["status_changes"],
        "participants": [{"id": 1, "name": "Bot-level (first recording)"}],
        "recordings": [
            {"id": first, "media_shortcuts": {"video_mixed": video}},
            {
                "id": second,
                "created_at": "2025-03-11T09:20:00Z",
                "metadata": {"part": "2"},
                "media_shortcuts": {
                    "participant_events": {"id": "c3000000-0000-4000-8000-000000000002", "metadata": {"k": "v"}}
                },
                "participants": [{"id": 2, "name": "Second part"}],
            },
            {"id": third, "media_shortcuts": {"participant_events": None}},
        ],
    }
    server = sandbox_factory({"sandbox": {"now": NOW}, "recall": {"bots": [bot]}})
    served = get(server, f"/api/v1/bot/{BOT_ZOOM}/").json()
    assert [rec["id"] for rec in served["recordings"]] == [first, second, third]
    assert served["recordings"][0]["media_shortcuts"]["video_mixed"] == video
    assert httpx.get(str(download(served, "participants", 0))).json()[0]["name"] == "Bot-level (first recording)"
    assert httpx.get(str(download(served, "participants", 1))).json()[0]["name"] == "Second part"
    artifact = served["recordings"][1]["media_shortcuts"]["participant_events"]
    assert artifact["id"] == "c3000000-0000-4000-8000-000000000002" and artifact["metadata"] == {"k": "v"}
    assert served["recordings"][1]["created_at"] == "2025-03-11T09:20:00Z"
    assert served["recordings"][2]["media_shortcuts"]["participant_events"] is None
    listed = get(server, "/api/v1/participant_events/", recording_id=second).json()["results"]
    assert listed[0]["recording"] == {"id": second, "metadata": {"part": "2"}}


def test_media_expiry_by_clock(sandbox_factory: Any) -> None:
    scenario = world()
    scenario["recall"]["media_expiry_by_clock"] = True
    server = sandbox_factory(scenario)
    bot = get(server, f"/api/v1/bot/{BOT_TEAMS}/").json()
    url = str(download(bot, "participants"))
    assert httpx.get(url).status_code == 200
    clock = server.world.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2025, 3, 17, 15, 40, 1, tzinfo=UTC))  # the recording's expires_at
    bot = get(server, f"/api/v1/bot/{BOT_TEAMS}/").json()
    assert bot["status_changes"][-1] == {
        "code": "media_expired",
        "message": None,
        "created_at": "2025-03-17T15:40:01.000000Z",
        "sub_code": None,
    }
    assert download(bot, "participants") is None
    assert httpx.get(url).status_code == 404
    expired = get(server, "/api/v1/bot/", status="media_expired").json()["results"]
    assert [b["id"] for b in expired] == [BOT_TEAMS, BOT_MEET_EXPIRED]


def test_without_the_flag_the_clock_does_not_expire_media(sandbox_factory: Any) -> None:
    server = sandbox_factory(world())
    clock = server.world.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    bot = get(server, f"/api/v1/bot/{BOT_TEAMS}/").json()
    assert bot["status_changes"][-1]["code"] == "done"
    assert httpx.get(str(download(bot, "participants"))).status_code == 200


def test_no_recall_section_serves_an_empty_workspace(sandbox_factory: Any) -> None:
    server = sandbox_factory({})
    assert get(server, "/api/v1/bot/").json()["count"] == 0
