"""Recall JSON → mapper objects: every platform's identities, tolerance of unknown values, clear
``DataError``s, and a hypothesis property: any JSON in, an object or a ``DataError`` out."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import DataError
from mapper.sources.links import MeetingRef, from_url
from mapper.sources.recall.convert import (
    artifact_from_api,
    bot_from_api,
    event_from_api,
    participant_from_api,
)
from tests.sources.test_recall_scenario import MEET_BOT, TEAMS_BOT, TEAMS_JOIN, ZOOM_MAR4_BOT

#: The participants example of recall-api.md §5, verbatim.
REFERENCE_PARTICIPANTS: list[dict[str, Any]] = [
    {
        "id": 100,
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
    {"id": 101, "name": "Kim (Guest)", "is_host": False, "platform": "desktop", "extra_data": None, "email": None},
    {"id": 102, "name": "+1 ***-***-4417", "is_host": False, "platform": "dial-in", "extra_data": None, "email": None},
    {"id": 103, "name": "Boardroom 4", "is_host": False, "platform": "desktop", "extra_data": None, "email": None},
    {"id": 104, "name": "Omar Haddad", "is_host": False, "platform": "desktop", "extra_data": None, "email": None},
]


def test_reference_participants() -> None:
    got = [participant_from_api(item, f"p[{i}]") for i, item in enumerate(REFERENCE_PARTICIPANTS)]
    assert [(p.id, p.kind, p.stable_id) for p in got] == [
        ("100", "signed_in", "teams:8:orgid:3f1e9a52-7c41-4d0b-9a77-2c5e1b0d6f18"),
        ("101", "anonymous", None),
        ("102", "phone", None),
        ("103", "anonymous", None),
        ("104", "anonymous", None),  # same name as the host, but no stable id: not merged here
    ]
    assert got[0].is_host is True and got[0].extra_data == REFERENCE_PARTICIPANTS[0]["extra_data"]
    assert got[1].name == "Kim (Guest)"  # decorations are kept; the matcher strips them


@pytest.mark.parametrize(
    ("extra", "stable_id", "kind"),
    [
        ({"zoom": {"guest": False, "user_guid": "G1", "conf_user_id": "16778240"}}, "zoom:16778240", "signed_in"),
        ({"zoom": {"guest": False, "user_guid": "G1"}}, None, "signed_in"),  # never the per-meeting user_guid
        ({"zoom": {"guest": True, "user_guid": "G1", "conf_user_id": ""}}, None, "anonymous"),
        ({"microsoft_teams": {"user_id": "8:live:jane.roe", "tenant_id": ""}}, "teams:8:live:jane.roe", "signed_in"),
        ({"google_meet": {"static_participant_id": "8b3e1f0a9c"}}, "meet:8b3e1f0a9c", "signed_in"),
        ({"google_meet": {}}, None, "anonymous"),
        ({"webex": {"something": 1}}, None, "anonymous"),
        (None, None, "anonymous"),
    ],
    ids=["zoom", "zoom-no-conf-id", "zoom-guest", "teams-personal", "meet", "meet-anonymous", "unknown", "none"],
)
def test_stable_ids_per_platform(extra: Any, stable_id: str | None, kind: str) -> None:
    item = {"id": 7, "name": "X", "is_host": None, "platform": "desktop", "extra_data": extra}
    participant = participant_from_api(item)
    assert (participant.stable_id, participant.kind) == (stable_id, kind)


def test_dial_in_is_a_phone_even_with_platform_data() -> None:
    item = {"id": 9, "name": "+1 ***-***-4417", "platform": "dial-in", "extra_data": {"zoom": {"conf_user_id": "5"}}}
    assert participant_from_api(item).kind == "phone"


@pytest.mark.parametrize(
    ("email", "hint"),
    [("Ada@Corp.Example ", "ada@corp.example"), (None, None), ("", None), ("not an email", None)],
)
def test_email_is_kept_only_as_a_normalised_hint(email: str | None, hint: str | None) -> None:
    assert participant_from_api({"id": 1, "email": email}).email == hint


def test_bot_meeting_identity_equals_the_calendar_side() -> None:
    assert bot_from_api(ZOOM_MAR4_BOT).meeting == from_url("https://us02web.zoom.us/j/84120933317?pwd=Xy12ab")
    assert bot_from_api(TEAMS_BOT).meeting == from_url(TEAMS_JOIN)
    assert bot_from_api(MEET_BOT).meeting == MeetingRef("google_meet", "kqp-zmtr-wvx")


def test_bot_status_and_call_bounds_come_from_status_changes() -> None:
    bot = bot_from_api(ZOOM_MAR4_BOT)
    assert bot.status == "done"
    assert bot.call_start == datetime(2025, 3, 4, 10, 0, 2, tzinfo=UTC)  # in_call_not_recording
    assert bot.call_end == datetime(2025, 3, 4, 10, 31, 10, tzinfo=UTC)  # call_ended
    assert bot.recording_started_at == datetime(2025, 3, 4, 10, 0, 5, tzinfo=UTC)


def test_unknown_codes_and_fields_are_tolerated() -> None:
    item = copy.deepcopy(ZOOM_MAR4_BOT)
    item["status_changes"].append({"code": "teleported", "sub_code": "new_thing", "created_at": "2025-03-04T11:00Z"})
    item["brand_new_field"] = {"x": 1}
    item["meeting_url"] = {"platform": "slack_huddle_observer", "channel": "C1"}
    bot = bot_from_api(item)
    assert bot.status == "teleported"
    assert bot.meeting is None and bot.meeting_platform == "slack_huddle_observer"
    event = event_from_api({"action": "hand_raised", "participant": {"id": 3}, "timestamp": None})
    assert event.action == "hand_raised" and event.at is None


def test_join_at_is_read_while_set() -> None:
    assert bot_from_api({"id": "b", "join_at": "2025-03-11T09:58:00.000000Z"}).join_at == datetime(
        2025, 3, 11, 9, 58, tzinfo=UTC
    )


def test_artifact_urls_from_a_list_item() -> None:
    item = {
        "id": "a1",
        "recording": {"id": "r1", "metadata": {}},
        "status": {"code": "done", "sub_code": None, "updated_at": "2025-03-04T10:40:00Z"},
        "data": {
            "participant_events_download_url": "https://x.example/e?token=1",
            "participants_download_url": "https://x.example/p?token=1",
            "speaker_timeline_download_url": None,
        },
    }
    artifact = artifact_from_api(item)
    assert artifact.recording_id == "r1" and artifact.status == "done"
    assert artifact.participants_url == "https://x.example/p?token=1"
    assert "token" not in repr(artifact)  # URLs carry a token: kept out of reprs and messages
    assert artifact_from_api({"recording_id": "r2", "status": None}).recording_id == "r2"


@pytest.mark.parametrize(
    ("converter", "item", "path"),
    [
        (bot_from_api, {"bot_name": "x"}, "bot.id"),
        (bot_from_api, {"id": True}, "bot.id"),
        (bot_from_api, {"id": "b", "status_changes": "done"}, "bot.status_changes"),
        (
            bot_from_api,
            {"id": "b", "status_changes": [{"created_at": "2025-03-04T10:00Z"}]},
            "bot.status_changes[0].code",
        ),
        (bot_from_api, {"id": "b", "join_at": "tomorrow"}, "bot.join_at"),
        (bot_from_api, {"id": "b", "join_at": "2025-03-04T10:00:00"}, "bot.join_at"),
        (bot_from_api, {"id": "b", "recordings": [{"media_shortcuts": []}]}, "bot.recordings[0].media_shortcuts"),
        (participant_from_api, {"name": "x"}, "participant.id"),
        (participant_from_api, {"id": 1, "is_host": "yes"}, "participant.is_host"),
        (participant_from_api, {"id": 1, "extra_data": "zoom"}, "participant.extra_data"),
        (event_from_api, {"action": "join"}, "participant_event.participant"),
        (event_from_api, {"action": "join", "participant": {"id": 1}, "timestamp": {"relative": "1"}}, "relative"),
    ],
)
def test_malformed_objects_raise_data_error_with_a_path(converter: Any, item: Any, path: str) -> None:
    with pytest.raises(DataError) as caught:
        converter(item)
    assert path in str(caught.value)


# -- hypothesis: anything in, an object or a DataError out -----------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2025-03-04T10:00:00Z", "2025-03-04T10:00:00", "2025-13-40T99:00Z", "", "done", "join"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)

_EXAMPLES: dict[str, Any] = {
    "bot": ZOOM_MAR4_BOT
    | {
        "recordings": [
            {
                "id": "r1",
                "started_at": "2025-03-04T10:00:05Z",
                "completed_at": "2025-03-04T10:31:10Z",
                "status": {"code": "done"},
                "media_shortcuts": {
                    "participant_events": {
                        "id": "a1",
                        "status": {"code": "done"},
                        "data": {"participants_download_url": "https://x.example/p?token=1"},
                    }
                },
            }
        ]
    },
    "participant": ZOOM_MAR4_BOT["participants"][0],
    "event": {
        "id": "e1",
        "action": "join",
        "participant": ZOOM_MAR4_BOT["participants"][1],
        "timestamp": {"absolute": "2025-03-04T10:01:00.000000Z", "relative": 55.0},
        "data": None,
    },
}
_CONVERTERS = {"bot": bot_from_api, "participant": participant_from_api, "event": event_from_api}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid API object with a few values replaced by random JSON or removed."""
    kind = draw(st.sampled_from(sorted(_EXAMPLES)))
    item = copy.deepcopy(_EXAMPLES[kind])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [path for path in _paths(item) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = item
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(_JSON)
    return kind, item


def _convert_or_data_error(kind: str, item: Any) -> None:
    error: DataError | None = None
    try:
        result = _CONVERTERS[kind](item)
    except DataError as exc:
        error = exc
    if error is not None:
        assert str(error)  # a message naming what is wrong
        return
    if kind == "bot":  # derived properties must not blow up either
        assert isinstance(result.digest(), str)
        _ = (result.status, result.call_start, result.call_end, result.participant_data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_CONVERTERS)), _JSON)
def test_random_json_gives_an_object_or_a_data_error(kind: str, item: Any) -> None:
    _convert_or_data_error(kind, item)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_partial_and_damaged_objects_give_an_object_or_a_data_error(case: tuple[str, Any]) -> None:
    _convert_or_data_error(*case)
