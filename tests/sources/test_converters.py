"""API JSON → mapper's objects: exact conversions, and malformed input gives a DataError naming
the field, never another exception (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import DataError
from mapper.sources.google.calendar import Attendee, event_from_api
from mapper.sources.google.meet import participant_from_api, record_from_api, session_from_api
from mapper.sources.google.people import profile_from_directory_user, profile_from_person
from mapper.sources.links import MeetingRef

EVENT = {
    "kind": "calendar#event",
    "id": "q3v9m1k2_20250303T150000Z",
    "status": "confirmed",
    "iCalUID": "q3v9m1k2@google.com",
    "recurringEventId": "q3v9m1k2",
    "originalStartTime": {"dateTime": "2025-03-03T15:00:00Z"},
    "updated": "2025-02-20T09:12:44.120Z",
    "summary": "Weekly",
    "start": {"dateTime": "2025-03-03T16:00:00+01:00"},
    "end": {"dateTime": "2025-03-03T16:00:00Z"},
    "organizer": {"email": "Lena@Acme.example", "self": True},
    "attendees": [
        {"email": "lena@acme.example", "organizer": True, "self": True, "responseStatus": "accepted"},
        {"email": " Omar@Acme.example ", "displayName": "Omar Haddad", "responseStatus": "accepted"},
        {"email": "boardroom@resource.calendar.google.com", "resource": True, "responseStatus": "accepted"},
        {"email": "kim@partner.example", "optional": True, "responseStatus": "needsAction", "additionalGuests": 1},
        {"displayName": "No email shown", "responseStatus": "accepted"},
    ],
    "hangoutLink": "https://meet.google.com/kqp-zmtr-wvx",
}


def test_event_is_converted_exactly() -> None:
    event = event_from_api(EVENT)
    assert event.start_at == datetime(2025, 3, 3, 15, tzinfo=UTC)
    assert event.original_start_at == datetime(2025, 3, 3, 15, tzinfo=UTC)
    assert event.organizer_email == "lena@acme.example"
    assert event.meeting == MeetingRef("google_meet", "kqp-zmtr-wvx")
    assert event.meeting_key == "q3v9m1k2@google.com|2025-03-03T15:00:00+00:00"
    assert event.attendees == (
        Attendee("lena@acme.example", None, "accepted", organizer=True, is_self=True),
        Attendee("omar@acme.example", "Omar Haddad", "accepted"),
        Attendee("boardroom@resource.calendar.google.com", None, "accepted", resource=True),
        Attendee("kim@partner.example", None, "needsAction", optional=True),
    )


def test_all_day_and_cancelled_events() -> None:
    day = event_from_api({"id": "d1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}})
    assert day.all_day
    assert day.start_at == datetime(2025, 3, 3, tzinfo=UTC)
    gone = event_from_api(
        {
            "id": "x_20250303",
            "status": "cancelled",
            "recurringEventId": "x",
            "originalStartTime": {"date": "2025-03-03"},
        }
    )
    assert gone.cancelled
    assert gone.start_at is None
    assert gone.recurring_event_id == "x"


def test_local_time_without_offset_uses_the_time_zone() -> None:
    event = event_from_api(
        {
            "id": "tz",
            "start": {"dateTime": "2025-03-03T09:00:00", "timeZone": "America/New_York"},
            "end": {"dateTime": "2025-03-03T10:00:00", "timeZone": "America/New_York"},
        }
    )
    assert event.start_at == datetime(2025, 3, 3, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        pytest.param({"status": "postponed"}, "status: unknown status 'postponed'", id="unknown-status"),
        pytest.param({"start": {"dateTime": "tomorrow"}}, ".start: dateTime is not RFC 3339", id="bad-time"),
        pytest.param({"start": {}}, ".start: has neither date nor dateTime", id="empty-time"),
        pytest.param({"attendees": {"email": "x"}}, ".attendees: must be an array", id="attendees-object"),
        pytest.param({"summary": 7}, ".summary: must be a string", id="summary-number"),
        pytest.param(
            {"attendees": [{"email": "a@b.c", "optional": "yes"}]}, "optional: must be true or false", id="flag-string"
        ),
    ],
)
def test_malformed_events_name_the_field(patch: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace("'", "'")) as info:
        event_from_api({**EVENT, **patch})
    assert "event[q3v9m1k2_20250303T150000Z]" in str(info.value)


def test_meet_objects() -> None:
    record = record_from_api(
        {"name": "conferenceRecords/c7", "startTime": "2025-03-03T15:01:07Z", "space": "spaces/jQC"}
    )
    assert record.end_at is None
    assert record.space_name == "spaces/jQC"
    signed = participant_from_api(
        {
            "name": "conferenceRecords/c7/participants/81x",
            "earliestStartTime": "2025-03-03T15:01:07Z",
            "signedinUser": {"user": "users/104377215590028", "displayName": "Omar Haddad"},
        }
    )
    assert (signed.kind, signed.user_id, signed.latest_end_at) == ("signed_in", "users/104377215590028", None)
    phone = participant_from_api(
        {"name": "conferenceRecords/c7/participants/93z", "phoneUser": {"displayName": "+1 ***-***-4417"}}
    )
    assert (phone.kind, phone.display_name) == ("phone", "+1 ***-***-4417")
    with pytest.raises(DataError, match="needs exactly one of signedinUser"):
        participant_from_api({"name": "conferenceRecords/c7/participants/9", "anonymousUser": {}, "phoneUser": {}})
    session = session_from_api(
        {
            "name": "conferenceRecords/c7/participants/81x/participantSessions/s",
            "startTime": "2025-03-03T15:01:07Z",
            "endTime": "2025-03-03T15:30:00Z",
        }
    )
    assert session.end_at == datetime(2025, 3, 3, 15, 30, tzinfo=UTC)


def test_people_and_directory_profiles() -> None:
    person = {
        "resourceName": "people/1",
        "names": [{"displayName": "Omar Haddad", "metadata": {"primary": True}}],
        "emailAddresses": [
            {"value": "o.h@home.example"},
            {"value": "Omar@Acme.example", "metadata": {"primary": True}},
        ],
    }
    assert profile_from_person("1", person).email == "omar@acme.example"
    assert profile_from_person("1", {"resourceName": "people/1"}).email is None
    user = {"id": "1", "primaryEmail": "Omar@Acme.example", "name": {"fullName": "Omar Haddad"}}
    assert profile_from_directory_user("1", user).email == "omar@acme.example"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(
        [
            "2025-03-03T15:00:00Z",
            "2025-03-03",
            "confirmed",
            "cancelled",
            "users/1",
            "conferenceRecords/x",
            "a@b.example",
        ]
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)
EVENT_KEYS = [
    "id",
    "status",
    "start",
    "end",
    "attendees",
    "organizer",
    "originalStartTime",
    "updated",
    "conferenceData",
    "hangoutLink",
    "location",
    "summary",
    "attendeesOmitted",
    "recurringEventId",
]


def _partial(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.sampled_from(keys),
        json_values
        | st.dictionaries(
            st.sampled_from(["dateTime", "date", "timeZone", "email", "user", "displayName", "type", "key"]),
            json_values,
            max_size=3,
        ),
        max_size=6,
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_partial(EVENT_KEYS))
def test_event_converter_never_crashes(item: dict[str, Any]) -> None:
    with contextlib.suppress(DataError):  # an Event or a DataError; anything else fails the test
        event_from_api(item)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        json_values,
        _partial(
            [
                "name",
                "signedinUser",
                "anonymousUser",
                "phoneUser",
                "earliestStartTime",
                "latestEndTime",
                "startTime",
                "endTime",
                "space",
            ]
        ),
    )
)
def test_meet_converters_never_crash(item: Any) -> None:
    for convert in (record_from_api, participant_from_api, session_from_api):
        with contextlib.suppress(DataError):
            convert(item)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, _partial(["names", "emailAddresses", "primaryEmail", "name"])))
def test_profile_converters_never_crash(item: Any) -> None:
    for convert in (profile_from_person, profile_from_directory_user):
        with contextlib.suppress(DataError):
            convert("1", item)
