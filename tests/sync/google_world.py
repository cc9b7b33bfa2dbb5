"""A small Google world, written API-shaped by hand (Calendar v3 events, Meet v2 records,
People v1 persons, Directory users), with the cases Sources must get right."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

NOW = "2025-03-11T12:00:00Z"
ADA, OMAR, GRACE = "ada@corp.example", "omar@corp.example", "grace@corp.example"
ROOM = "c_boardroom4@resource.calendar.google.com"


def meet_data(code: str) -> dict[str, Any]:
    return {
        "conferenceId": code,
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        "entryPoints": [
            {"entryPointType": "video", "uri": f"https://meet.google.com/{code}", "label": f"meet.google.com/{code}"}
        ],
    }


def attendees(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"email": ADA, "organizer": True, "self": True, "responseStatus": "accepted"},
        {"email": "Omar@Corp.example", "displayName": "Omar Haddad", "responseStatus": "accepted"},
        {"email": "kim@partner.example", "responseStatus": "needsAction", "optional": True},
        *extra,
    ]


def event(event_id: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "calendar#event",
        "id": event_id,
        "status": "confirmed",
        "iCalUID": f"{fields.pop('uid', event_id)}@google.com",
        "summary": fields.pop("summary", event_id),
        "updated": "2025-02-20T09:00:00.000Z",
        "start": {"dateTime": start},
        "end": {"dateTime": end},
        "organizer": {"email": ADA},
        "attendees": fields.pop("attendees", attendees()),
        **fields,
    }


EVENTS = [
    event(
        "standup",
        "2025-03-03T15:00:00Z",
        "2025-03-03T16:00:00Z",
        hangoutLink="https://meet.google.com/aaa-bbbb-ccc",
        conferenceData=meet_data("aaa-bbbb-ccc"),
        attendees=attendees(
            {"email": ROOM, "displayName": "Boardroom 4 (8) [TV]", "resource": True, "responseStatus": "accepted"}
        ),
    ),
    event(
        "weekly_20250303T170000Z",
        "2025-03-03T17:00:00Z",
        "2025-03-03T17:30:00Z",
        uid="weekly",
        recurringEventId="weekly",
        originalStartTime={"dateTime": "2025-03-03T17:00:00Z"},
        conferenceData=meet_data("ddd-eeee-fff"),
        summary="Weekly",
    ),
    event(
        "weekly_20250310T170000Z",
        "2025-03-10T17:00:00Z",
        "2025-03-10T17:30:00Z",
        uid="weekly",
        recurringEventId="weekly",
        originalStartTime={"dateTime": "2025-03-10T17:00:00Z"},
        conferenceData=meet_data("ddd-eeee-fff"),
        summary="Weekly",
    ),
    event("lunch", "2025-03-05T12:00:00Z", "2025-03-05T13:00:00Z", summary="Lunch"),
    event(
        "allhands",
        "2025-03-07T16:00:00Z",
        "2025-03-07T17:00:00Z",
        conferenceData=meet_data("hhh-iiii-jjj"),
        summary="All hands",
    ),
]


def session(name: str, start: str, end: str | None) -> dict[str, Any]:
    return {"name": name, "startTime": start, **({"endTime": end} if end else {})}


def participant(record: str, pid: str, kind: dict[str, Any], sessions: list[tuple[str, str]]) -> dict[str, Any]:
    name = f"{record}/participants/{pid}"
    return {
        "name": name,
        "earliestStartTime": sessions[0][0],
        "latestEndTime": sessions[-1][1],
        **kind,
        "participantSessions": [session(f"{name}/participantSessions/s{i}", a, b) for i, (a, b) in enumerate(sessions)],
    }


def signed(user: str, name: str) -> dict[str, Any]:
    return {"signedinUser": {"user": f"users/{user}", "displayName": name}}


def record(rid: str, space: str, start: str, end: str, people: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": f"conferenceRecords/{rid}",
        "startTime": start,
        "endTime": end,
        "space": space,
        "participants": people,
    }


STANDUP = [
    participant(
        "conferenceRecords/r1",
        "omar",
        signed("1001", "Omar Haddad"),
        [("2025-03-03T15:01:00Z", "2025-03-03T15:20:00Z"), ("2025-03-03T15:25:00Z", "2025-03-03T15:59:00Z")],
    ),
    participant(
        "conferenceRecords/r1",
        "kim",
        {"anonymousUser": {"displayName": "Kim (Guest)"}},
        [("2025-03-03T15:05:00Z", "2025-03-03T15:40:00Z")],
    ),
    participant(
        "conferenceRecords/r1",
        "kim2",
        {"anonymousUser": {"displayName": "Kim (Guest)"}},
        [("2025-03-03T15:42:00Z", "2025-03-03T15:58:00Z")],
    ),
    participant(
        "conferenceRecords/r1",
        "phone",
        {"phoneUser": {"displayName": "+1 ***-***-4417"}},
        [("2025-03-03T15:09:00Z", "2025-03-03T15:20:00Z")],
    ),
    participant(
        "conferenceRecords/r1",
        "room",
        signed("9001", "Boardroom 4"),
        [("2025-03-03T15:00:00Z", "2025-03-03T16:00:00Z")],
    ),
]


def big_record() -> dict[str, Any]:
    people = [
        participant(
            "conferenceRecords/r5",
            f"p{i}",
            signed(str(5000 + i), f"Person {i}"),
            [("2025-03-07T16:00:00Z", "2025-03-07T16:50:00Z")],
        )
        for i in range(260)
    ]
    return record("r5", "spaces/sH", "2025-03-07T16:00:00Z", "2025-03-07T17:00:00Z", people)


def scenario() -> dict[str, Any]:
    return deepcopy(
        {
            "sandbox": {"now": NOW},
            "calendars": {ADA: {"events": EVENTS}, OMAR: {"events": [EVENTS[0]]}},
            "people": [
                {
                    "resourceName": "people/1001",
                    "names": [{"displayName": "Omar Haddad"}],
                    "emailAddresses": [{"value": OMAR, "metadata": {"primary": True}}],
                },
                {"resourceName": "people/1002", "names": [{"displayName": "Grace Hopper"}]},  # email not visible
                *(
                    {
                        "resourceName": f"people/{5000 + i}",
                        "names": [{"displayName": f"Person {i}"}],
                        "emailAddresses": [{"value": f"p{i}@corp.example"}],
                    }
                    for i in range(260)
                ),
            ],
            "directory_users": [{"id": "1002", "primaryEmail": GRACE, "name": {"fullName": "Grace Hopper"}}],
            "meet": {
                "spaces": [
                    {
                        "name": "spaces/sA",
                        "meetingCode": "aaa-bbbb-ccc",
                        "meetingUri": "https://meet.google.com/aaa-bbbb-ccc",
                    },
                    {
                        "name": "spaces/sOld",
                        "meetingCode": "aaa-bbbb-ccc",
                        "meetingUri": "https://meet.google.com/aaa-bbbb-ccc",
                    },
                    {
                        "name": "spaces/sW",
                        "meetingCode": "ddd-eeee-fff",
                        "meetingUri": "https://meet.google.com/ddd-eeee-fff",
                    },
                    {
                        "name": "spaces/sH",
                        "meetingCode": "hhh-iiii-jjj",
                        "meetingUri": "https://meet.google.com/hhh-iiii-jjj",
                    },
                ],
                "conferenceRecords": [
                    record("r1", "spaces/sA", "2025-03-03T15:00:00Z", "2025-03-03T16:00:00Z", STANDUP),
                    # the same code on another space a year ago: must never be linked
                    {
                        **record("r0", "spaces/sOld", "2024-03-04T15:00:00Z", "2024-03-04T16:00:00Z", []),
                        "expireTime": "2026-01-01T00:00:00Z",
                    },
                    record(
                        "r2",
                        "spaces/sW",
                        "2025-03-03T16:58:00Z",
                        "2025-03-03T17:31:00Z",
                        [
                            participant(
                                "conferenceRecords/r2",
                                "g",
                                signed("1002", "Grace H."),
                                [("2025-03-03T16:58:00Z", "2025-03-03T17:31:00Z")],
                            )
                        ],
                    ),
                    record(
                        "r3",
                        "spaces/sW",
                        "2025-03-10T17:02:00Z",
                        "2025-03-10T17:29:00Z",
                        [
                            participant(
                                "conferenceRecords/r3",
                                "o",
                                signed("1001", "Omar Haddad"),
                                [("2025-03-10T17:02:00Z", "2025-03-10T17:29:00Z")],
                            )
                        ],
                    ),
                    big_record(),
                ],
            },
        }
    )
