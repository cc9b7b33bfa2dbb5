"""Meet scenario section: validation and the in-memory state it builds.

Scenario shape (``meet``)::

    {"spaces": [Space], "conferenceRecords": [ConferenceRecord + "participants": [Participant +
      "participantSessions": [ParticipantSession]]]}

Resources are kept verbatim (unknown keys included) minus the scenario-only child keys; missing
names are generated deterministically: a record from its space and start time, a participant from
its record and position, a session from its participant and position.  Names must live under
their parent.  What each resource looks like *at a given moment* is in :mod:`.views`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mapper.sandbox.meet.common import stable_id
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, expect_time, fail, optional_time

USER_KINDS = ("signedinUser", "anonymousUser", "phoneUser")

_SPACE_NAME = re.compile(r"spaces/[^/]+")
_RECORD_NAME = re.compile(r"conferenceRecords/[^/]+")
_USER_NAME = re.compile(r"users/[^/]+")
_MEETING_CODE = re.compile(r"[a-z]+-[a-z]+-[a-z]+")


@dataclass
class Space:
    name: str
    code: str | None  # the meeting code, lower case
    resource: dict[str, Any]
    order: int  # position among all spaces ever loaded (tie-breaker for reused codes)


@dataclass
class Session:
    name: str
    start: datetime
    end: datetime | None
    resource: dict[str, Any]


@dataclass
class Participant:
    name: str
    start: datetime | None  # earliestStartTime as given
    end: datetime | None  # latestEndTime as given
    resource: dict[str, Any]
    sessions: list[Session]


@dataclass
class Record:
    name: str
    space: str
    start: datetime
    end: datetime | None
    expire: datetime | None  # expireTime as given
    resource: dict[str, Any]
    participants: list[Participant]


@dataclass
class MeetState:
    spaces: dict[str, Space] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)

    def copy(self) -> MeetState:
        return MeetState(dict(self.spaces), dict(self.records))


def load_meet(section: Any, path: str, base: MeetState | None = None) -> MeetState:
    """Validate a ``meet`` section (scenario or patch) and return the resulting state.

    With ``base`` (a live patch) spaces and records are upserted by name; a record given without
    a ``participants`` key keeps the participants it had; ``delete`` lists names to remove.
    """
    data = expect_dict(section, path)
    for key in data:
        if key not in {"spaces", "conferenceRecords"} and not (base is not None and key == "delete"):
            allowed = "spaces, conferenceRecords" + (", delete" if base is not None else "")
            raise fail(at(path, key), f"unknown key (expected {allowed})")
    state = base.copy() if base is not None else MeetState()
    spaces_path = at(path, "spaces")
    seen_spaces: set[str] = set()
    order = max((space.order for space in state.spaces.values()), default=-1)
    for index, raw in enumerate(expect_list(data.get("spaces", []), spaces_path)):
        order += 1
        space = _space(raw, at(spaces_path, index), order)
        if space.name in seen_spaces:
            raise fail(at(at(spaces_path, index), "name"), f'duplicate space "{space.name}"')
        seen_spaces.add(space.name)
        if space.name in state.spaces:
            space.order = state.spaces[space.name].order
        state.spaces[space.name] = space
    records_path = at(path, "conferenceRecords")
    seen: set[str] = set()
    for index, raw in enumerate(expect_list(data.get("conferenceRecords", []), records_path)):
        item_path = at(records_path, index)
        record = _record(raw, item_path, state, seen)
        if record.name in seen:
            raise fail(at(item_path, "name"), f'duplicate conference record "{record.name}"')
        seen.add(record.name)
        previous = state.records.get(record.name)
        if previous is not None and "participants" not in expect_dict(raw, item_path):
            record.participants = previous.participants
        state.records[record.name] = record
    if base is not None:
        _delete(state, expect_list(data.get("delete", []), at(path, "delete")), at(path, "delete"))
    return state


def _delete(state: MeetState, names: Iterable[Any], path: str) -> None:
    for index, raw in enumerate(names):
        name = expect_str(raw, at(path, index))
        if name in state.records:
            del state.records[name]
        elif name in state.spaces:
            users = [record.name for record in state.records.values() if record.space == name]
            if users:
                raise fail(at(path, index), f'space "{name}" still hosts {users[0]}; delete its records too')
            del state.spaces[name]
        else:
            raise fail(at(path, index), f'no space or conference record named "{name}"')


def _space(raw: Any, path: str, order: int) -> Space:
    obj = expect_dict(raw, path)
    code: str | None = None
    if obj.get("meetingCode") is not None:
        code = expect_str(obj["meetingCode"], at(path, "meetingCode"))
        if not _MEETING_CODE.fullmatch(code) or len(code) > 128:
            raise fail(at(path, "meetingCode"), f"must look like abc-mnop-xyz ([a-z]+-[a-z]+-[a-z]+), got {code!r}")
    name = obj.get("name")
    if name is None:
        name = "spaces/" + stable_id("space", code or "", str(order))
    name = expect_str(name, at(path, "name"))
    if not _SPACE_NAME.fullmatch(name):
        raise fail(at(path, "name"), f'must be "spaces/{{id}}", got {name!r}')
    resource = _named(name, obj)
    if code is not None and "meetingUri" not in resource:
        resource["meetingUri"] = f"https://meet.google.com/{code}"
    return Space(name, code, resource, order)


def _record(raw: Any, path: str, state: MeetState, seen: set[str]) -> Record:
    obj = expect_dict(raw, path)
    start = expect_time(obj.get("startTime"), at(path, "startTime"))
    end = optional_time(obj, "endTime", path)
    if end is not None and end < start:
        raise fail(at(path, "endTime"), "is before startTime")
    expire = optional_time(obj, "expireTime", path)
    space = expect_str(obj.get("space"), at(path, "space"))
    if space not in state.spaces:
        raise fail(at(path, "space"), f'unknown space "{space}" (list it under meet.spaces)')
    name = obj.get("name")
    if name is None:
        name = _generated_record_name(space, obj["startTime"], seen | set(state.records))
    name = expect_str(name, at(path, "name"))
    if not _RECORD_NAME.fullmatch(name):
        raise fail(at(path, "name"), f'must be "conferenceRecords/{{id}}", got {name!r}')
    participants_path = at(path, "participants")
    participants: list[Participant] = []
    names: set[str] = set()
    for index, item in enumerate(expect_list(obj.get("participants", []), participants_path)):
        participant = _participant(item, at(participants_path, index), name, index)
        if participant.name in names:
            raise fail(at(at(participants_path, index), "name"), f'duplicate participant "{participant.name}"')
        names.add(participant.name)
        participants.append(participant)
    resource = _named(name, obj, "participants")
    return Record(name, space, start, end, expire, resource, participants)


def _generated_record_name(space: str, start: str, taken: set[str]) -> str:
    attempt = 0
    while True:
        name = "conferenceRecords/" + stable_id("record", space, str(start), str(attempt))
        if name not in taken:
            return name
        attempt += 1


def _participant(raw: Any, path: str, record: str, index: int) -> Participant:
    obj = expect_dict(raw, path)
    kinds = [kind for kind in USER_KINDS if kind in obj]
    if len(kinds) != 1:
        raise fail(path, "needs exactly one of signedinUser, anonymousUser, phoneUser")
    user = expect_dict(obj[kinds[0]], at(path, kinds[0]))
    if kinds[0] == "signedinUser":
        user_name = expect_str(user.get("user"), at(at(path, "signedinUser"), "user"))
        if not _USER_NAME.fullmatch(user_name):
            raise fail(at(at(path, "signedinUser"), "user"), f'must be "users/{{id}}", got {user_name!r}')
    name = _child_name(obj, path, record, "participants", index)
    sessions_path = at(path, "participantSessions")
    sessions: list[Session] = []
    names: set[str] = set()
    for position, item in enumerate(expect_list(obj.get("participantSessions", []), sessions_path)):
        session = _session(item, at(sessions_path, position), name, position)
        if session.name in names:
            raise fail(at(at(sessions_path, position), "name"), f'duplicate session "{session.name}"')
        names.add(session.name)
        sessions.append(session)
    start = optional_time(obj, "earliestStartTime", path)
    end = optional_time(obj, "latestEndTime", path)
    if start is None and not sessions:
        raise fail(path, "needs earliestStartTime or participantSessions")
    resource = _named(name, obj, "participantSessions")
    return Participant(name, start, end, resource, sessions)


def _session(raw: Any, path: str, participant: str, index: int) -> Session:
    obj = expect_dict(raw, path)
    start = expect_time(obj.get("startTime"), at(path, "startTime"))
    end = optional_time(obj, "endTime", path)
    if end is not None and end < start:
        raise fail(at(path, "endTime"), "is before startTime")
    name = _child_name(obj, path, participant, "participantSessions", index)
    return Session(name, start, end, _named(name, obj))


def _named(name: str, obj: Mapping[str, Any], child_key: str = "") -> dict[str, Any]:
    """The served resource: ``name`` first, the scenario's keys verbatim, the child key dropped."""
    return {"name": name, **{key: value for key, value in obj.items() if key not in {"name", child_key}}}


def _child_name(obj: Mapping[str, Any], path: str, parent: str, collection: str, index: int) -> str:
    prefix = f"{parent}/{collection}/"
    name = obj.get("name")
    if name is None:
        return prefix + stable_id(collection, parent, str(index), length=10)
    name = expect_str(name, at(path, "name"))
    if not name.startswith(prefix) or "/" in name[len(prefix) :] or len(name) == len(prefix):
        raise fail(at(path, "name"), f'must be "{prefix}{{id}}" (under its parent), got {name!r}')
    return name


__all__ = ["USER_KINDS", "MeetState", "Participant", "Record", "Session", "Space", "load_meet"]
