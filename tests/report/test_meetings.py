"""``canonical_events``: each meeting once, its organizer's copy, cancelled ones left out (both backends)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from mapper.store import session_scope
from mapper.store.meetings import canonical_events, meeting_copies
from mapper.store.tables import Calendar
from tests.report.scenario import DAY, M1, M2, S1, S2, S3

WEEK = (DAY, DAY + timedelta(days=3))


def keys(engine: Engine, **filters: str) -> list[str | None]:
    with session_scope(engine) as session:
        return [event.meeting_key for event in canonical_events(session, *WEEK, **filters)]


def test_each_meeting_once_in_start_order_without_cancelled(any_world: Engine) -> None:
    assert keys(any_world) == [S1, M1, M2, S2, S3]


def test_the_canonical_copy_is_on_the_organizers_calendar(any_world: Engine) -> None:
    with session_scope(any_world) as session:
        (meeting,) = [m for m in meeting_copies(session, *WEEK) if m.canonical.meeting_key == M1]
        ada = session.exec(select(Calendar).where(Calendar.calendar_id == "ada@corp.example")).one()
        assert meeting.calendar_id == "ada@corp.example"
        assert meeting.canonical.calendar_pk == ada.id
        assert len(meeting.copies) == 2
        assert meeting.canonical.id != min(copy.id or 0 for copy in meeting.copies)  # not merely the lowest id


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"calendar": "bob@corp.example"}, [S1, M1, S2, S3], id="calendar-with-a-copy"),
        pytest.param({"calendar": "ADA@corp.example"}, [M1, M2], id="calendar-case-insensitive"),
        pytest.param({"organizer": "bob@corp.example"}, [S1, S2, S3], id="organizer"),
        pytest.param({"meeting_code": "abc-defg-hij"}, [M1], id="meeting-code"),
        pytest.param({"calendar": "nobody@corp.example"}, [], id="unknown-calendar"),
    ],
)
def test_filters(any_world: Engine, filters: dict[str, str], expected: list[str]) -> None:
    assert keys(any_world, **filters) == expected


def test_the_range_is_half_open(any_world: Engine) -> None:
    with session_scope(any_world) as session:
        first_day = canonical_events(session, DAY, DAY + timedelta(days=1))
        assert [e.meeting_key for e in first_day] == [S1, M1, M2]
        at_ten = DAY + timedelta(hours=10)
        assert [e.meeting_key for e in canonical_events(session, at_ten, at_ten + timedelta(seconds=1))] == [S1]
        assert canonical_events(session, DAY, at_ten) == []
