"""The Recall test world (API-shaped, written from shared/reference/recall-api.md) and scenario
validation: bad scenarios are rejected with the offending path, every identity quirk loads."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from mapper.sandbox import SandboxServer, ScenarioError
from mapper.sandbox.recall import RecallApi
from mapper.sandbox.world import World

KEY = "sandbox-recall-key"
AUTH = {"Authorization": f"Token {KEY}"}
NOW = "2025-03-12T09:00:00Z"

BOT_TEAMS = "1b6f3c0e-6c1d-4c53-9d3e-0a5f2b7d8e11"
BOT_ZOOM = "2c7a4d1f-7d2e-4d64-8e4f-1b6a3c8e9f22"
BOT_MEET_EXPIRED = "3d8b5e20-8e3f-4e75-9f50-2c7b4d9fa033"
BOT_SCHEDULED = "4e9c6f31-9f40-4f86-a061-3d8c5eab1044"
BOT_WEBEX_LIVE = "5fad7042-a051-4097-b172-4e9d6fbc2155"
BOT_GOTO_FATAL = "60be8153-b162-41a8-8283-5fae70cd3266"
#: List Bots order: newest scheduled join first.
NEWEST_FIRST = [BOT_SCHEDULED, BOT_WEBEX_LIVE, BOT_GOTO_FATAL, BOT_ZOOM, BOT_TEAMS, BOT_MEET_EXPIRED]

TEAMS_URL = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ1ZDM2YjEtZmFkMy00ZjA3LWI4YjctYzE0ZTQ5N2Q4OTg2"
    "%40thread.v2/0?context=%7b%22Tid%22%3a%229e3a1c2b-4d5e-4f60-8a7b-1c2d3e4f5a6b%22%2c%22Oid%22%3a"
    "%225d0c7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f%22%7d"
)
TEAMS_USER = "8:orgid:3f1e9a52-7c41-4d0b-9a77-2c5e1b0d6f18"


def _changes(*pairs: tuple[str, str], **extra: Any) -> list[dict[str, Any]]:
    return [{"code": code, "message": None, "created_at": when, "sub_code": None, **extra} for code, when in pairs]


def _at(second: int) -> dict[str, Any]:
    """A timestamp given only as seconds since recording start (the sandbox derives ``absolute``)."""
    return {"relative": second}


TEAMS_PARTICIPANTS: list[dict[str, Any]] = [
    {
        "id": 100,
        "name": "Omar Haddad",
        "is_host": True,
        "platform": "desktop",
        "email": "omar.haddad@corp.example",
        "extra_data": {
            "microsoft_teams": {
                "role": "organizer",
                "meeting_role": "organizer",
                "participant_type": "inTenant",
                "user_id": TEAMS_USER,
                "tenant_id": "9e3a1c2b-4d5e-4f60-8a7b-1c2d3e4f5a6b",
            }
        },
    },
    {"id": 101, "name": "Jonny (Guest)", "is_host": False, "platform": "desktop", "extra_data": None, "email": None},
    {
        "id": 102,
        "name": "Amr El Shimy External",
        "is_host": False,
        "platform": "desktop",
        "extra_data": {
            "microsoft_teams": {"participant_type": "federated", "user_id": "8:orgid:77aa", "tenant_id": ""}
        },
    },
    {"id": 103, "name": "+1 ***-***-4417", "is_host": False, "platform": "dial-in", "extra_data": None},
    {"id": 104, "name": "Boardroom 4", "is_host": False, "platform": "desktop", "extra_data": None},
    {"id": 105, "name": "Jonny (Guest)", "is_host": False, "platform": "desktop", "extra_data": None},
]

ZOOM_PARTICIPANTS: list[dict[str, Any]] = [
    {
        "id": 16778240,
        "name": "Host",
        "is_host": True,
        "platform": "desktop",
        "extra_data": {"zoom": {"os": 1, "guest": False, "user_guid": "a1", "conf_user_id": "AbCdEf123"}},
    },
    {"id": 16779264, "name": "Speaker 1", "is_host": False, "platform": "unknown", "extra_data": None},
    {"id": 16780288, "name": "Otter.ai Notetaker", "is_host": False, "platform": "desktop", "extra_data": None},
    {
        "id": 16781312,
        "name": "Priya Raman",
        "is_host": False,
        "platform": "desktop",
        "extra_data": {"zoom": {"os": 2, "guest": False, "user_guid": "b7", "conf_user_id": "PqRs456"}},
    },
    {
        "id": 16782336,
        "name": "Priya Raman",
        "is_host": False,
        "platform": "desktop",
        "extra_data": {"zoom": {"os": 2, "guest": False, "user_guid": "c9", "conf_user_id": "PqRs456"}},
    },
]


def teams_events() -> list[dict[str, Any]]:
    """Joins, a signed-in rejoin on the same participant, an anonymous rejoin as a duplicate, a
    rename (``update``), speech and a chat message; participants given by id are expanded."""
    return [
        {"id": "ev-01", "action": "join", "participant": {"id": 100}, "timestamp": _at(-10), "data": None},
        {"id": "ev-02", "action": "join", "participant": {"id": 101}, "timestamp": _at(5), "data": None},
        {"id": "ev-03", "action": "join", "participant": {"id": 102}, "timestamp": _at(6), "data": None},
        {"id": "ev-04", "action": "join", "participant": {"id": 103}, "timestamp": _at(7), "data": None},
        {"id": "ev-05", "action": "join", "participant": {"id": 104}, "timestamp": _at(8), "data": None},
        {"id": "ev-06", "action": "speech_on", "participant": {"id": 100}, "timestamp": _at(12), "data": None},
        {"id": "ev-07", "action": "speech_off", "participant": {"id": 100}, "timestamp": _at(40), "data": None},
        {"id": "ev-08", "action": "leave", "participant": {"id": 101}, "timestamp": _at(300), "data": None},
        {"id": "ev-09", "action": "join", "participant": {"id": 105}, "timestamp": _at(320), "data": None},
        {"id": "ev-10", "action": "leave", "participant": {"id": 100}, "timestamp": _at(900), "data": None},
        {"id": "ev-11", "action": "join", "participant": {"id": 100}, "timestamp": _at(960), "data": None},
        {
            "id": "ev-12",
            "action": "update",
            "participant": {**TEAMS_PARTICIPANTS[2], "name": "Amr El Shimy"},
            "timestamp": {"absolute": "2025-03-10T15:10:00.250000Z", "relative": 660.25},
            "data": None,
        },
        {
            "id": "ev-13",
            "action": "chat_message",
            "participant": {"id": 100},
            "timestamp": _at(1000),
            "data": {"text": "Notes are in the shared doc", "to": "everyone"},
        },
    ]


def zoom_timeline() -> list[dict[str, Any]]:
    return [
        {
            "participant": {"id": 16778240},
            "start_timestamp": {"absolute": "2025-03-11T09:00:40Z", "relative": 10.0},
            "end_timestamp": {"absolute": "2025-03-11T09:01:10Z", "relative": 40.0},
        },
        {"participant": None, "start_timestamp": _at(40), "end_timestamp": _at(45)},
        {"participant": {"id": 16782336}, "start_timestamp": _at(45), "end_timestamp": None},
    ]


def world(page_size: int = 10) -> dict[str, Any]:
    """Six bots: Teams (done), Zoom (done), Meet (media expired), Meet (scheduled, same code),
    Webex (recording; current status an unknown code), GoTo (fatal before joining)."""
    bots = [
        {
            "id": BOT_TEAMS,
            "meeting_url": TEAMS_URL,
            "bot_name": "Acme Notetaker",
            "join_at": "2025-03-10T14:58:00Z",
            "metadata": {"team": "sales", "event_id": "evt-1"},
            "status_changes": _changes(
                ("ready", "2025-03-09T12:00:00.000000Z"),
                ("joining_call", "2025-03-10T14:58:00.104512Z"),
                ("in_waiting_room", "2025-03-10T14:58:05.000000Z"),
                ("in_call_not_recording", "2025-03-10T14:58:40.000000Z"),
                ("in_call_recording", "2025-03-10T14:59:00.000000Z"),
                ("call_ended", "2025-03-10T15:40:00.000000Z"),
                ("recording_done", "2025-03-10T15:40:01.000000Z"),
                ("done", "2025-03-10T15:41:30.000000Z"),
            ),
            "participants": copy.deepcopy(TEAMS_PARTICIPANTS),
            "participant_events": teams_events(),
            "speaker_timeline": [
                {"participant": {"id": 100}, "start_timestamp": _at(12), "end_timestamp": _at(40)},
            ],
        },
        {
            "id": BOT_ZOOM,
            "meeting_url": "https://us02web.zoom.us/j/84120933317?pwd=Xy12ab",
            "join_at": "2025-03-11T09:00:00Z",
            "metadata": {"team": "sales", "event_id": "evt-2"},
            "status_changes": _changes(
                ("ready", "2025-03-10T08:00:00Z"),
                ("joining_call", "2025-03-11T09:00:00Z"),
                ("in_call_recording", "2025-03-11T09:00:30Z"),
                ("call_ended", "2025-03-11T09:45:00Z"),
                ("done", "2025-03-11T09:46:00Z"),
            ),
            "participants": copy.deepcopy(ZOOM_PARTICIPANTS),
            "participant_events": [
                {"action": "join", "participant": {"id": 16781312}, "timestamp": _at(60)},
                {"action": "leave", "participant": {"id": 16781312}, "timestamp": _at(600)},
                {"action": "join", "participant": {"id": 16782336}, "timestamp": _at(660)},
            ],
            "speaker_timeline": zoom_timeline(),
        },
        {
            "id": BOT_MEET_EXPIRED,
            "meeting_url": {"platform": "google_meet", "meeting_id": "kqp-zmtr-wvx"},
            "join_at": "2025-03-01T10:00:00Z",
            "metadata": {"team": "eng"},
            "status_changes": _changes(
                ("joining_call", "2025-03-01T10:00:00Z"),
                ("in_call_recording", "2025-03-01T10:01:00Z"),
                ("done", "2025-03-01T11:00:00Z"),
                ("media_expired", "2025-03-08T11:00:00Z"),
            ),
            "participants": [
                {
                    "id": 1,
                    "name": "Lin Wei",
                    "is_host": None,
                    "platform": None,
                    "extra_data": {"google_meet": {"static_participant_id": "spaces/x/devices/41"}},
                },
                {"id": 2, "name": "Lin Wei", "is_host": None, "platform": None, "extra_data": None},
            ],
        },
        {
            "id": BOT_SCHEDULED,
            "meeting_url": "https://meet.google.com/kqp-zmtr-wvx",
            "join_at": "2025-03-14T16:00:00Z",
            "status_changes": _changes(("ready", "2025-03-11T10:00:00Z")),
        },
        {
            "id": BOT_WEBEX_LIVE,
            "meeting_url": "https://acme.webex.com/acme/j.php?MTID=m4b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
            "join_at": "2025-03-12T08:30:00Z",
            "status_changes": _changes(
                ("joining_call", "2025-03-12T08:30:00Z"),
                ("in_call_recording", "2025-03-12T08:31:00Z"),
                ("breakout_room_entered", "2025-03-12T08:40:00Z"),
            ),
            "participants": [{"id": 1, "name": "Guest", "is_host": False, "platform": "desktop", "extra_data": None}],
        },
        {
            "id": BOT_GOTO_FATAL,
            "meeting_url": {"platform": "goto_meeting", "meeting_id": "680504437"},
            "join_at": "2025-03-11T13:00:00Z",
            "status_changes": [
                *_changes(("joining_call", "2025-03-11T13:00:00Z")),
                {
                    "code": "fatal",
                    "message": "Meeting not found",
                    "created_at": "2025-03-11T13:01:00Z",
                    "sub_code": "meeting_not_found",
                },
            ],
        },
    ]
    return {"sandbox": {"now": NOW}, "recall": {"api_key": KEY, "page_size": page_size, "bots": bots}}


def get(server: SandboxServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(server.url + path, params=params or None, headers=AUTH)


def download(bot: dict[str, Any], kind: str, recording: int = 0) -> str | None:
    data = bot["recordings"][recording]["media_shortcuts"]["participant_events"]["data"]
    url = data[f"{kind}_download_url"]
    return str(url) if url is not None else None


# -- tests -------------------------------------------------------------------------------------


def test_identity_quirks_are_served_verbatim(sandbox_factory: Any) -> None:
    server = sandbox_factory(world())
    bot = get(server, f"/api/v1/bot/{BOT_TEAMS}/").json()
    participants = httpx.get(str(download(bot, "participants"))).json()
    assert participants == TEAMS_PARTICIPANTS
    assert [p["name"] for p in participants].count("Jonny (Guest)") == 2
    assert [p.get("email") for p in participants] == ["omar.haddad@corp.example", None, None, None, None, None]
    assert "email" not in participants[2]  # older schema: the key is simply absent
    events = httpx.get(str(download(bot, "participant_events"))).json()
    omar = [(e["action"], e["participant"]["id"]) for e in events if e["participant"]["id"] == 100]
    assert omar == [
        ("join", 100),
        ("speech_on", 100),
        ("speech_off", 100),
        ("leave", 100),
        ("join", 100),
        ("chat_message", 100),
    ]
    assert events[0]["participant"] == TEAMS_PARTICIPANTS[0]
    assert events[0]["timestamp"] == {"relative": -10, "absolute": "2025-03-10T14:58:50.000000Z"}
    assert events[11]["participant"]["name"] == "Amr El Shimy"
    assert events[12]["data"] == {"text": "Notes are in the shared doc", "to": "everyone"}
    assert events[1]["data"] is None


def test_zoom_duplicates_generic_names_and_null_speakers(sandbox_factory: Any) -> None:
    server = sandbox_factory(world())
    bot = get(server, f"/api/v1/bot/{BOT_ZOOM}/").json()
    participants = httpx.get(str(download(bot, "participants"))).json()
    assert participants == ZOOM_PARTICIPANTS
    timeline = httpx.get(str(download(bot, "speaker_timeline"))).json()
    assert timeline[0]["participant"] == ZOOM_PARTICIPANTS[0]
    assert timeline[1] == {
        "participant": None,
        "start_timestamp": {"relative": 40, "absolute": "2025-03-11T09:01:10.000000Z"},
        "end_timestamp": {"relative": 45, "absolute": "2025-03-11T09:01:15.000000Z"},
    }
    assert timeline[2]["end_timestamp"] is None
    events = httpx.get(str(download(bot, "participant_events"))).json()
    assert all(isinstance(e["id"], str) for e in events) and len({e["id"] for e in events}) == 3
    assert [e["participant"]["name"] for e in events] == ["Priya Raman"] * 3
    assert [e["participant"]["id"] for e in events] == [16781312, 16781312, 16782336]


def test_generated_ids_are_deterministic() -> None:
    scenario = world()
    for bot in scenario["recall"]["bots"]:
        del bot["id"]
    first = World(copy.deepcopy(scenario)).api("recall")
    second = World(copy.deepcopy(scenario)).api("recall")
    assert isinstance(first, RecallApi) and isinstance(second, RecallApi)
    ids = list(first.state.bots)
    assert ids == list(second.state.bots)
    assert len(set(ids)) == 6
    assert all(len(ident) == 36 for ident in ids)


def _broken(mutate: Any) -> dict[str, Any]:
    scenario = world()
    mutate(scenario["recall"])
    return scenario


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(
            lambda r: r["bots"][0]["participants"][0].update(id="100"),
            "recall.bots[0].participants[0].id: must be an integer, got '100'",
            id="participant-id-string",
        ),
        pytest.param(
            lambda r: r["bots"][0]["participants"][1].update(is_host="no"),
            "recall.bots[0].participants[1].is_host: must be a boolean or null",
            id="is-host",
        ),
        pytest.param(
            lambda r: r["bots"][0]["participant_events"][2].update(action="waved"),
            "recall.bots[0].participant_events[2].action: must be one of",
            id="event-action",
        ),
        pytest.param(
            lambda r: r["bots"][1]["participant_events"][0].update(timestamp={"relative": "soon"}),
            "recall.bots[1].participant_events[0].timestamp.relative: must be a number of seconds",
            id="relative",
        ),
        pytest.param(
            lambda r: r["bots"][0]["participant_events"][12].update(data=None),
            "recall.bots[0].participant_events[12].data: must be an object, got null",
            id="chat-without-data",
        ),
        pytest.param(
            lambda r: r["bots"][2].update(id="bot-3"),
            "recall.bots[2].id: must be a UUID string, got 'bot-3'",
            id="bot-id",
        ),
        pytest.param(
            lambda r: r["bots"][1].update(meeting_url="https://example.com/meeting/1"),
            "recall.bots[1].meeting_url: unsupported meeting platform",
            id="meeting-url-string",
        ),
        pytest.param(
            lambda r: r["bots"][1].update(meeting_url={"meeting_id": "1"}),
            "recall.bots[1].meeting_url.platform: must be a non-empty string",
            id="meeting-url-object",
        ),
        pytest.param(
            lambda r: r["bots"][0]["status_changes"][3].pop("created_at"),
            "recall.bots[0].status_changes[3].created_at: must be an RFC 3339 timestamp string, got null",
            id="status-created-at",
        ),
        pytest.param(
            lambda r: r["bots"][0]["status_changes"][1].update(created_at="2025-03-01T00:00:00Z"),
            "recall.bots[0].status_changes[1].created_at: status changes must be in chronological order",
            id="status-order",
        ),
        pytest.param(
            lambda r: r["bots"][3].update(participants=[{"id": 1}]),
            "recall.bots[3].participants: the bot has no recording",
            id="children-without-recording",
        ),
        pytest.param(
            lambda r: r["bots"].append(copy.deepcopy(r["bots"][0])),
            f"recall.bots: duplicate bot id {BOT_TEAMS}",
            id="duplicate-bot",
        ),
        pytest.param(lambda r: r.update(pagesize=3), "recall.pagesize: unknown key", id="unknown-key"),
        pytest.param(lambda r: r.update(page_size=0), "recall.page_size: must be a positive integer", id="page-size"),
        pytest.param(
            lambda r: r["bots"][0].update(recordings=[{"status": {"code": "finished"}}]),
            "recall.bots[0].recordings[0].status.code: must be one of processing, paused, done, failed, deleted",
            id="recording-status",
        ),
    ],
)
def test_invalid_scenarios_name_the_path(mutate: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        World(_broken(mutate))
    assert str(caught.value).startswith(message)


def test_unknown_status_codes_and_unknown_keys_are_accepted(sandbox_factory: Any) -> None:
    scenario = world()
    scenario["recall"]["bots"][1]["variant"] = {"zoom": "web_4_core"}
    scenario["recall"]["bots"][1]["status_changes"].append(
        {"code": "analysis_pending_v9", "message": "new code", "created_at": "2025-03-11T10:00:00Z", "sub_code": "x"}
    )
    server = sandbox_factory(scenario)
    bot = get(server, f"/api/v1/bot/{BOT_ZOOM}/").json()
    assert bot["variant"] == {"zoom": "web_4_core"}
    assert bot["status_changes"][-1]["code"] == "analysis_pending_v9"
    assert "participants" not in bot and "participant_events" not in bot and "speaker_timeline" not in bot
