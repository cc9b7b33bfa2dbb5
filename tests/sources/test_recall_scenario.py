"""The Recall world the Recall tests share, written as the API returns it (recall-api.md §3–6),
plus the Calendar v3 events it is linked to; and checks that the sandbox serves it as written.

Now is 2025-03-10 12:00Z; a daily Zoom stand-up (one Zoom id for the whole series) ran on
Mar 4, 5 and 6; a Teams and a Meet meeting took place; other bots are unscheduled, expired,
fatal, still in the call, still processing, scheduled for tomorrow or older than the window.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx

NOW = "2025-03-10T12:00:00Z"
API_KEY = "sandbox-recall-key"
ZOOM_ID = "84120933317"
TEAMS_THREAD = "19:meeting_NzQxYjVlZTYtY2RhZi00ZjFj@thread.v2"
MEET_CODE = "kqp-zmtr-wvx"

ZOOM_MAR4 = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0001"
ZOOM_MAR5 = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0002"
ZOOM_MAR6_LATE = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0003"
TEAMS = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0004"
MEET = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0005"
EXPIRED = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0006"
FATAL = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0007"
IN_CALL = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0008"
PROCESSING = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c0009"
SCHEDULED = "0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c000a"
OLD = [f"0b7f5c1e-4a52-4c1e-9d0e-8e5b3a7c01{n:02d}" for n in range(3)]

COLLECTED = [ZOOM_MAR4, ZOOM_MAR5, ZOOM_MAR6_LATE, TEAMS, MEET]


def _changes(day: str, *steps: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"code": code, "message": None, "created_at": f"2025-03-{day}T{clock}Z", "sub_code": None}
        for code, clock in steps
    ]


def _finished(day: str, join: str, start: str, end: str) -> list[dict[str, Any]]:
    return _changes(
        day,
        ("joining_call", join),
        ("in_waiting_room", join.replace(":00.", ":30.")),
        ("in_call_not_recording", start),
        ("in_call_recording", start.replace(":02.", ":05.")),
        ("call_ended", end),
        ("done", end.replace(":10.", ":40.")),
    )


def _zoom(user_guid: str, conf_user_id: str | None, *, guest: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"os": 1, "guest": guest, "user_guid": user_guid}
    if conf_user_id is not None:
        data["conf_user_id"] = conf_user_id
    return {"zoom": data}


def _event(pid: int, action: str, absolute: str) -> dict[str, Any]:
    return {"action": action, "participant": {"id": pid}, "timestamp": {"absolute": absolute}, "data": None}


ZOOM_MAR4_BOT: dict[str, Any] = {
    "id": ZOOM_MAR4,
    "bot_name": "Notetaker",
    "meeting_url": {"platform": "zoom", "meeting_id": ZOOM_ID, "meeting_password": "Xy12ab"},
    "join_at": "2025-03-04T09:58:00.000000Z",
    "status_changes": _finished("04", "09:58:00.000000", "10:00:02.000000", "10:31:10.000000"),
    "metadata": {"team": "platform"},
    "participants": [
        {
            "id": 100,
            "name": "Ada Lovelace",
            "is_host": True,
            "platform": "desktop",
            "email": "Ada@Corp.Example",
            "extra_data": _zoom("A1B2C3D4", "16778240"),
        },
        {
            "id": 101,
            "name": "Grace Hopper",
            "is_host": False,
            "platform": "desktop",
            "email": None,
            "extra_data": _zoom("C3D4E5F6", "16779264"),
        },
        {  # the same person again from a new browser tab: a duplicate with the same conf_user_id
            "id": 102,
            "name": "Grace Hopper",
            "is_host": False,
            "platform": "desktop",
            "email": None,
            "extra_data": _zoom("E5F6A7B8", "16779264"),
        },
        {"id": 103, "name": "+1 ***-***-4417", "is_host": False, "platform": "dial-in", "extra_data": None},
        {
            "id": 104,
            "name": "Boardroom 4",
            "is_host": False,
            "platform": "desktop",
            "email": None,
            "extra_data": _zoom("0F0F0F0F", None, guest=True),
        },
    ],
    "participant_events": [
        _event(100, "join", "2025-03-04T10:00:05.000000Z"),
        _event(101, "join", "2025-03-04T10:01:00.000000Z"),
        _event(103, "join", "2025-03-04T10:03:00.000000Z"),
        _event(100, "speech_on", "2025-03-04T10:04:00.000000Z"),
        _event(101, "leave", "2025-03-04T10:10:00.000000Z"),
        _event(101, "join", "2025-03-04T10:12:00.000000Z"),  # a page reload: same participant
        _event(101, "join", "2025-03-04T10:12:01.000000Z"),  # duplicate join: ignored
        _event(102, "join", "2025-03-04T10:15:00.000000Z"),
        _event(102, "update", "2025-03-04T10:16:00.000000Z"),
        _event(102, "leave", "2025-03-04T10:20:00.000000Z"),
        _event(101, "leave", "2025-03-04T10:30:00.000000Z"),
        _event(100, "leave", "2025-03-04T10:31:00.000000Z"),
    ],
}

ZOOM_MAR5_BOT: dict[str, Any] = {
    "id": ZOOM_MAR5,
    "bot_name": "Notetaker",
    "meeting_url": {"platform": "zoom", "meeting_id": ZOOM_ID, "meeting_password": "Xy12ab"},
    "join_at": "2025-03-05T09:58:00.000000Z",
    "status_changes": _finished("05", "09:58:00.000000", "10:02:02.000000", "10:28:10.000000"),
    "participants": [
        {
            "id": 1,
            "name": "Ada Lovelace",
            "is_host": True,
            "platform": "desktop",
            "extra_data": _zoom("99AA", "16778240"),
        },
        {"id": 2, "name": "Guest", "is_host": False, "platform": "desktop", "extra_data": None},
    ],
    "participant_events": [
        _event(1, "join", "2025-03-05T10:02:05.000000Z"),
        _event(1, "leave", "2025-03-05T10:28:00.000000Z"),
    ],
}

ZOOM_MAR6_LATE_BOT: dict[str, Any] = {
    "id": ZOOM_MAR6_LATE,
    "bot_name": "Notetaker",
    "meeting_url": {"platform": "zoom", "meeting_id": ZOOM_ID, "meeting_password": None},
    "status_changes": _finished("06", "14:59:00.000000", "15:00:02.000000", "15:40:10.000000"),
    "participants": [
        {"id": 1, "name": "Ada Lovelace", "is_host": True, "platform": "desktop", "extra_data": None},
    ],
    "participant_events": [],
}

TEAMS_BOT: dict[str, Any] = {
    "id": TEAMS,
    "bot_name": "Notetaker",
    "meeting_url": {
        "platform": "microsoft_teams",
        "meeting_id": None,
        "meeting_password": None,
        "organizer_id": "5d0c3a8e-0b5e-4f6d-8a31-1c2e9f7b6a40",
        "tenant_id": "9e3a6b1d-2c4f-4e8a-b7d0-3f5c1a9e2b84",
        "message_id": "0",
        "thread_id": TEAMS_THREAD,
        "business_meeting_id": None,
        "business_meeting_password": None,
    },
    "join_at": "2025-03-05T13:59:00.000000Z",
    "status_changes": _finished("05", "13:59:00.000000", "14:01:02.000000", "14:58:10.000000"),
    "participants": [
        {
            "id": 200,
            "name": "Omar Haddad",
            "is_host": True,
            "platform": "desktop",
            "email": None,
            "extra_data": {
                "microsoft_teams": {
                    "role": "organizer",
                    "meeting_role": "organizer",
                    "participant_type": "inTenant",
                    "user_id": "8:orgid:3f1e9a52-7c41-4d0b-9a77-2c5e1b0d6f18",
                    "tenant_id": "b7c0e2d4-1a9f-4e63-8d25-6f0a3c9e7b41",
                }
            },
        },
        {"id": 201, "name": "Kim (Guest)", "is_host": False, "platform": "desktop", "extra_data": None},
        {"id": 202, "name": "Kim (Guest)", "is_host": False, "platform": "desktop", "extra_data": None},
        {
            "id": 203,
            "name": "Amr El Shimy External",
            "is_host": False,
            "platform": "desktop",
            "extra_data": {
                "microsoft_teams": {
                    "role": "attendee",
                    "meeting_role": "attendee",
                    "participant_type": "federated",
                    "user_id": "8:orgid:aa11bb22-cc33-4d44-8e55-ff6677889900",
                    "tenant_id": "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a",
                }
            },
        },
        {
            "id": 204,
            "name": "Jane Roe",
            "is_host": False,
            "platform": "desktop",
            "extra_data": {"microsoft_teams": {"role": "attendee", "user_id": "8:live:jane.roe", "tenant_id": ""}},
        },
        {"id": 205, "name": "+44 20 **** 1234", "is_host": False, "platform": "dial-in", "extra_data": None},
    ],
    "participant_events": [
        _event(200, "join", "2025-03-05T14:01:05.000000Z"),
        _event(201, "join", "2025-03-05T14:02:00.000000Z"),
        _event(201, "leave", "2025-03-05T14:20:00.000000Z"),
        _event(202, "join", "2025-03-05T14:21:00.000000Z"),  # anonymous rejoin: a new participant
        _event(200, "leave", "2025-03-05T14:30:00.000000Z"),
        _event(200, "join", "2025-03-05T14:31:00.000000Z"),  # signed-in rejoin: the same participant
        _event(203, "join", "2025-03-05T14:05:00.000000Z"),
        _event(203, "leave", "2025-03-05T14:50:00.000000Z"),
        _event(204, "join", "2025-03-05T14:06:00.000000Z"),
        _event(204, "leave", "2025-03-05T14:40:00.000000Z"),
        _event(205, "join", "2025-03-05T14:07:00.000000Z"),
        _event(205, "leave", "2025-03-05T14:08:00.000000Z"),
        _event(202, "leave", "2025-03-05T14:55:00.000000Z"),
        _event(200, "leave", "2025-03-05T14:58:00.000000Z"),
    ],
}

MEET_BOT: dict[str, Any] = {
    "id": MEET,
    "bot_name": "Notetaker",
    "meeting_url": {"platform": "google_meet", "meeting_id": MEET_CODE},
    "join_at": "2025-03-06T08:59:00.000000Z",
    "status_changes": _finished("06", "08:59:00.000000", "09:00:02.000000", "09:44:10.000000"),
    "participants": [
        {
            "id": 300,
            "name": "Lin Wei",
            "is_host": True,
            "platform": "desktop",
            "email": "lin.wei@corp.example",
            "extra_data": {"google_meet": {"static_participant_id": "8b3e1f0a9c"}},
        },
        {
            "id": 301,
            "name": "Lin Wei",
            "is_host": False,
            "platform": "desktop",
            "email": None,
            "extra_data": {"google_meet": {"static_participant_id": "8b3e1f0a9c"}},
        },
        {"id": 302, "name": "Anonymous visitor", "is_host": False, "platform": "unknown", "extra_data": None},
    ],
    "participant_events": [
        _event(300, "join", "2025-03-06T09:00:05.000000Z"),
        _event(300, "leave", "2025-03-06T09:20:00.000000Z"),
        _event(301, "join", "2025-03-06T09:21:00.000000Z"),
        _event(301, "leave", "2025-03-06T09:44:00.000000Z"),
        {"action": "join", "participant": {"id": 302}, "timestamp": {"relative": 60.0}, "data": None},
    ],
}

EXPIRED_BOT: dict[str, Any] = {
    "id": EXPIRED,
    "bot_name": "Notetaker",
    "meeting_url": {"platform": "zoom", "meeting_id": "88800011122", "meeting_password": None},
    "status_changes": _finished("03", "12:59:00.000000", "13:00:02.000000", "13:30:10.000000")
    + _changes("10", ("media_expired", "11:00:00.000000")),
}

FATAL_BOT: dict[str, Any] = {
    "id": FATAL,
    "meeting_url": {"platform": "zoom", "meeting_id": "84120933317", "meeting_password": None},
    "status_changes": _changes("07", ("joining_call", "10:00:00.000000"), ("fatal", "10:02:00.000000")),
}

IN_CALL_BOT: dict[str, Any] = {
    "id": IN_CALL,
    "meeting_url": {"platform": "google_meet", "meeting_id": "abc-defg-hij"},
    "status_changes": _changes(
        "10",
        ("joining_call", "11:30:00.000000"),
        ("in_call_not_recording", "11:31:00.000000"),
        ("in_call_recording", "11:31:05.000000"),
    ),
}

PROCESSING_BOT: dict[str, Any] = {
    "id": PROCESSING,
    "meeting_url": {"platform": "zoom", "meeting_id": "77700011122", "meeting_password": None},
    "status_changes": _finished("09", "08:59:00.000000", "09:00:02.000000", "09:30:10.000000"),
    "recordings": [{"status": {"code": "processing", "sub_code": None, "updated_at": "2025-03-09T09:30:40Z"}}],
}

SCHEDULED_BOT: dict[str, Any] = {
    "id": SCHEDULED,
    "meeting_url": {"platform": "zoom", "meeting_id": ZOOM_ID, "meeting_password": None},
    "join_at": "2025-03-11T09:58:00.000000Z",
    "status_changes": _changes("09", ("ready", "16:00:00.000000")),
}


def _old(index: int, date: str) -> dict[str, Any]:
    """A bot from before the window, its media long gone."""
    return {
        "id": OLD[index],
        "meeting_url": {"platform": "zoom", "meeting_id": "55500011122", "meeting_password": None},
        "status_changes": [
            {"code": code, "message": None, "created_at": f"{date}T{clock}Z", "sub_code": None}
            for code, clock in (
                ("joining_call", "09:58:00.000000"),
                ("in_call_not_recording", "10:00:02.000000"),
                ("in_call_recording", "10:00:05.000000"),
                ("call_ended", "10:30:10.000000"),
                ("done", "10:30:40.000000"),
            )
        ]
        + [{"code": "media_expired", "message": None, "created_at": "2025-02-25T00:00:00Z", "sub_code": None}],
    }


BOTS = [
    ZOOM_MAR4_BOT,
    ZOOM_MAR5_BOT,
    ZOOM_MAR6_LATE_BOT,
    TEAMS_BOT,
    MEET_BOT,
    EXPIRED_BOT,
    FATAL_BOT,
    IN_CALL_BOT,
    PROCESSING_BOT,
    SCHEDULED_BOT,
    _old(0, "2025-02-01"),
    _old(1, "2025-01-20"),
    _old(2, "2025-01-06"),
]


def scenario(*, page_size: int = 3, bots: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The Recall world (a deep copy: tests may change it)."""
    return copy.deepcopy(
        {
            "sandbox": {"now": NOW},
            "recall": {"api_key": API_KEY, "page_size": page_size, "bots": BOTS if bots is None else bots},
        }
    )


# -- Calendar v3 events the bots belong to ---------------------------------------------------------


def _zoom_conference() -> dict[str, Any]:
    return {
        "conferenceId": ZOOM_ID,
        "conferenceSolution": {"key": {"type": "addOn"}, "name": "Zoom Meeting"},
        "entryPoints": [
            {"entryPointType": "video", "uri": f"https://us02web.zoom.us/j/{ZOOM_ID}?pwd=Xy12ab", "label": "zoom.us"}
        ],
    }


def standup(day: str, *, organizer: str = "ada@corp.example") -> dict[str, Any]:
    start = f"2025-03-{day}T10:00:00Z"
    return {
        "id": f"st4nd7p_202503{day}T100000Z",
        "status": "confirmed",
        "summary": "Daily stand-up",
        "iCalUID": "st4nd7p@google.com",
        "recurringEventId": "st4nd7p",
        "originalStartTime": {"dateTime": start},
        "start": {"dateTime": start},
        "end": {"dateTime": f"2025-03-{day}T10:30:00Z"},
        "organizer": {"email": organizer},
        "attendees": [
            {"email": "ada@corp.example", "organizer": True, "responseStatus": "accepted"},
            {"email": "grace@corp.example", "responseStatus": "accepted"},
        ],
        "conferenceData": _zoom_conference(),
        "updated": "2025-03-01T00:00:00.000Z",
    }


TEAMS_JOIN = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQxYjVlZTYtY2RhZi00ZjFj%40thread.v2/0"
    "?context=%7b%22Tid%22%3a%229e3a6b1d%22%2c%22Oid%22%3a%225d0c3a8e%22%7d"
)

TEAMS_EVENT: dict[str, Any] = {
    "id": "t3ams0001",
    "status": "confirmed",
    "summary": "Partner review",
    "iCalUID": "040000008200E00074C5B7101A82E008@outlook.com",
    "start": {"dateTime": "2025-03-05T14:00:00Z"},
    "end": {"dateTime": "2025-03-05T15:00:00Z"},
    "organizer": {"email": "omar@corp.example"},
    "attendees": [{"email": "omar@corp.example", "organizer": True}, {"email": "kim@partner.example"}],
    "location": "Microsoft Teams Meeting",
    "description": f"Join the meeting now <{TEAMS_JOIN}>",
    "updated": "2025-03-01T00:00:00.000Z",
}

MEET_EVENT: dict[str, Any] = {
    "id": "m33t0001",
    "status": "confirmed",
    "summary": "Design sync",
    "iCalUID": "m33t0001@google.com",
    "start": {"dateTime": "2025-03-06T09:00:00Z"},
    "end": {"dateTime": "2025-03-06T09:45:00Z"},
    "organizer": {"email": "lin.wei@corp.example"},
    "attendees": [{"email": "lin.wei@corp.example", "organizer": True}],
    "hangoutLink": f"https://meet.google.com/{MEET_CODE}",
    "conferenceData": {
        "conferenceId": MEET_CODE,
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        "entryPoints": [{"entryPointType": "video", "uri": f"https://meet.google.com/{MEET_CODE}"}],
    },
    "updated": "2025-03-01T00:00:00.000Z",
}

#: calendar id → events (the stand-up of Mar 4 is also on Grace's calendar: a copy).
CALENDARS: dict[str, list[dict[str, Any]]] = {
    "grace@corp.example": [standup("04")],
    "ada@corp.example": [standup("04"), standup("05"), standup("06")],
    "omar@corp.example": [TEAMS_EVENT],
    "lin.wei@corp.example": [MEET_EVENT],
}


# -- the sandbox serves the world as written ---------------------------------------------------------


def test_the_sandbox_serves_the_scenario_bots(sandbox_factory: Any) -> None:
    server = sandbox_factory(scenario(page_size=100))
    response = httpx.get(f"{server.url}/api/v1/bot/", headers={"Authorization": f"Token {API_KEY}"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(BOTS) and body["next"] is None
    served = {bot["id"]: bot for bot in body["results"]}
    assert served[ZOOM_MAR4]["meeting_url"]["meeting_id"] == ZOOM_ID
    assert served[ZOOM_MAR4]["join_at"] is None  # cleared once the bot joined
    assert served[SCHEDULED]["join_at"] is not None


def test_a_join_at_filter_leaves_out_bots_that_have_joined(sandbox_factory: Any) -> None:
    """Why ``sync recall`` lists without ``join_at_after`` (see docs/SOURCES-recall.md)."""
    server = sandbox_factory(scenario(page_size=100))
    response = httpx.get(
        f"{server.url}/api/v1/bot/",
        params={"join_at_after": "2025-03-03T12:00:00Z"},
        headers={"Authorization": f"Token {API_KEY}"},
    )
    assert [bot["id"] for bot in response.json()["results"]] == [SCHEDULED]
