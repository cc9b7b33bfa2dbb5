"""Meet scenario validation (errors name the offending path), generated names and live-patch errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mapper.sandbox import ScenarioError
from mapper.sandbox.meet import MeetApi
from mapper.sandbox.meet.state import MeetState
from mapper.sandbox.world import World

SPACE = {"name": "spaces/jQCFfuBOdN5z", "meetingCode": "abc-mnop-xyz"}


def scenario(*records: dict[str, Any], spaces: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"meet": {"spaces": spaces if spaces is not None else [SPACE], "conferenceRecords": list(records)}}


def rec(**extra: Any) -> dict[str, Any]:
    return {"space": SPACE["name"], "startTime": "2025-03-03T15:00:00Z", **extra}


def state(world: World) -> MeetState:
    api = world.api("meet")
    assert isinstance(api, MeetApi)
    return api.state


ANON = {"anonymousUser": {"displayName": "x"}, "earliestStartTime": "2025-03-03T15:00:00Z"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            scenario(rec(), rec(), rec(), rec(participants=[{**ANON, "phoneUser": {"displayName": "+1 ***"}}])),
            "meet.conferenceRecords[3].participants[0]: needs exactly one of signedinUser, anonymousUser, phoneUser",
            id="two-kinds",
        ),
        pytest.param(
            scenario(rec(participants=[{"earliestStartTime": "2025-03-03T15:00:00Z"}])),
            "meet.conferenceRecords[0].participants[0]: needs exactly one of signedinUser, anonymousUser, phoneUser",
            id="no-kind",
        ),
        pytest.param(
            scenario(
                rec(name="conferenceRecords/a", participants=[{**ANON, "name": "conferenceRecords/b/participants/1"}])
            ),
            'meet.conferenceRecords[0].participants[0].name: must be "conferenceRecords/a/participants/{id}"',
            id="participant-outside-record",
        ),
        pytest.param(
            scenario(
                rec(
                    name="conferenceRecords/a",
                    participants=[
                        {
                            **ANON,
                            "name": "conferenceRecords/a/participants/p",
                            "participantSessions": [
                                {
                                    "name": "conferenceRecords/a/participants/q/participantSessions/1",
                                    "startTime": "2025-03-03T15:00:00Z",
                                }
                            ],
                        }
                    ],
                )
            ),
            "meet.conferenceRecords[0].participants[0].participantSessions[0].name: must be",
            id="session-outside-participant",
        ),
        pytest.param(
            scenario(rec(participants=[{"anonymousUser": {"displayName": "x"}}])),
            "meet.conferenceRecords[0].participants[0]: needs earliestStartTime or participantSessions",
            id="no-join-time",
        ),
        pytest.param(
            scenario(rec(participants=[{**ANON, "participantSessions": [{"endTime": "2025-03-03T15:00:00Z"}]}])),
            "meet.conferenceRecords[0].participants[0].participantSessions[0].startTime: must be an RFC 3339",
            id="session-without-start",
        ),
        pytest.param(
            scenario(
                rec(participants=[{"signedinUser": {"user": "people/1"}, "earliestStartTime": "2025-03-03T15:00:00Z"}])
            ),
            'meet.conferenceRecords[0].participants[0].signedinUser.user: must be "users/{id}"',
            id="signed-in-user-name",
        ),
        pytest.param(
            scenario(rec(space="spaces/other")),
            'meet.conferenceRecords[0].space: unknown space "spaces/other"',
            id="unknown-space",
        ),
        pytest.param(
            scenario({"space": SPACE["name"]}),
            "meet.conferenceRecords[0].startTime: must be an RFC 3339",
            id="no-start",
        ),
        pytest.param(
            scenario(rec(startTime="2025-03-03 15:00")),
            "meet.conferenceRecords[0].startTime: must be an RFC 3339 timestamp with an offset",
            id="naive-start",
        ),
        pytest.param(
            scenario(rec(endTime="2025-03-03T14:00:00Z")),
            "meet.conferenceRecords[0].endTime: is before startTime",
            id="end-before-start",
        ),
        pytest.param(
            scenario(rec(name="c1")),
            'meet.conferenceRecords[0].name: must be "conferenceRecords/{id}"',
            id="bad-record-name",
        ),
        pytest.param(
            scenario(rec(name="conferenceRecords/a"), rec(name="conferenceRecords/a")),
            'meet.conferenceRecords[1].name: duplicate conference record "conferenceRecords/a"',
            id="duplicate-record",
        ),
        pytest.param(
            scenario(spaces=[{"meetingCode": "ABC-mnop-xyz"}]),
            "meet.spaces[0].meetingCode: must look like abc-mnop-xyz",
            id="code-case",
        ),
        pytest.param(
            scenario(spaces=[{"name": "jQCF"}]), 'meet.spaces[0].name: must be "spaces/{id}"', id="space-name"
        ),
        pytest.param(
            scenario(spaces=[SPACE, SPACE]),
            'meet.spaces[1].name: duplicate space "spaces/jQCFfuBOdN5z"',
            id="duplicate-space",
        ),
        pytest.param(
            {"meet": {"records": []}},
            "meet.records: unknown key (expected spaces, conferenceRecords)",
            id="unknown-key",
        ),
        pytest.param(
            {"meet": {"conferenceRecords": {}}},
            "meet.conferenceRecords: must be an array, got an object",
            id="not-a-list",
        ),
    ],
)
def test_invalid_scenarios_name_the_path(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        World(data)
    assert str(exc.value).startswith(message)


def test_generated_names_are_deterministic_and_nested() -> None:
    data = scenario(rec(participants=[{**ANON, "participantSessions": [{"startTime": "2025-03-03T15:00:00Z"}]}]))
    first, second = World(copy.deepcopy(data)), World(copy.deepcopy(data))
    (record,) = state(first).records.values()
    (again,) = state(second).records.values()
    assert record.name == again.name and record.name.startswith("conferenceRecords/")
    participant = record.participants[0]
    assert participant.name == again.participants[0].name
    assert participant.name.startswith(record.name + "/participants/")
    assert participant.sessions[0].name.startswith(participant.name + "/participantSessions/")


def test_room_devices_and_unknown_keys_are_accepted() -> None:
    room = {
        "signedinUser": {"user": "users/117", "displayName": "Altostrat Room"},
        "earliestStartTime": "2025-03-03T15:00:00Z",
        "x-note": "robot account",
    }
    world = World(scenario(rec(participants=[room], extra={"kept": True})))
    (record,) = state(world).records.values()
    assert record.resource["extra"] == {"kept": True}
    assert record.participants[0].resource["x-note"] == "robot account"


def test_patch_errors_name_the_path_and_leave_state_unchanged() -> None:
    world = World(scenario(rec(name="conferenceRecords/a")))
    before = state(world)
    with pytest.raises(ScenarioError, match=r"^patch\.meet\.conferenceRecords\[1\]\.space: unknown space"):
        world.patch({"meet": {"conferenceRecords": [rec(name="conferenceRecords/b"), rec(space="spaces/x")]}})
    with pytest.raises(ScenarioError, match=r"^patch\.meet\.delete\[0\]: no space or conference record"):
        world.patch({"meet": {"delete": ["conferenceRecords/zzz"]}})
    with pytest.raises(ScenarioError, match=r"^patch\.meet\.delete\[0\]: space \"spaces/jQCFfuBOdN5z\" still hosts"):
        world.patch({"meet": {"delete": [SPACE["name"]]}})
    assert state(world) is before
    world.patch({"meet": {"delete": ["conferenceRecords/a", SPACE["name"]]}})
    assert state(world).records == {} and state(world).spaces == {}
