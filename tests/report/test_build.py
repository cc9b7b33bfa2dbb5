"""Store → report: every category of the scenario exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from mapper.clock import FixedClock
from mapper.report import Category, Filters, MeetingReport, PersonRow, Report, ReportQuery, build_report
from tests.report.conftest import WEEK
from tests.report.scenario import M1, M1_PRESENCE, M2, NOW, ROOM, S1, S2, S3, TRUTH, U1, at


def identity(row: PersonRow) -> str:
    return row.email or row.label


def by_id(report: Report) -> dict[str, MeetingReport]:
    return {meeting.meeting_id: meeting for meeting in report.meetings}


def row(meeting: MeetingReport, who: str) -> PersonRow:
    (found,) = [r for r in meeting.rows if identity(r) == who]
    return found


@pytest.fixture
def built(any_world: Engine) -> Report:
    return build_report(any_world, WEEK, clock=FixedClock(NOW))


def test_every_category_of_every_meeting(built: Report) -> None:
    assert [m.meeting_id for m in built.meetings] == [S1, M1, M2, S2, S3, U1]
    found = {m.meeting_id: {identity(r): r.category.value for r in m.rows} for m in built.meetings}
    assert found == TRUTH
    for meeting in built.meetings:  # one row per person: keys are unique
        assert len({r.person_key for r in meeting.rows}) == len(meeting.rows)


def test_presence_is_the_union_of_sessions_across_rejoins_devices_and_sources(built: Report) -> None:
    m1 = by_id(built)[M1]
    for who, (seconds, spans, first, last) in M1_PRESENCE.items():
        found = row(m1, who)
        assert (found.seconds_present, found.sessions, found.first_join, found.last_leave) == (
            seconds,
            spans,
            first,
            last,
        ), who
    assert row(m1, "ada@corp.example").seen_by == ("meet", "recall")
    assert row(m1, "ada@corp.example").participant_names == ("Ada Lovelace",)


def test_the_room_keeps_its_raw_times_outside_the_slot(built: Report) -> None:
    room = row(by_id(built)[M1], ROOM)
    assert room.first_join == at("14:55") and room.last_leave == at("16:05")
    assert room.method == "room_resource" and room.invited and room.attended


def test_flags_methods_and_confidence(built: Report) -> None:
    m1 = by_id(built)[M1]
    assert row(m1, "ada@corp.example").organizer
    assert [r.email for r in m1.rows if r.organizer] == ["ada@corp.example"]
    eve = row(m1, "eve@corp.example")
    assert eve.optional and eve.category is Category.OPTIONAL_ATTENDED and eve.response_status == "needsAction"
    dee = row(m1, "dee@corp.example")
    assert (dee.response_status, dee.method, dee.confidence) == ("declined", "name_exact", 1.0)
    assert (row(m1, "gus@partner.example").method, row(m1, "gus@partner.example").invited) == ("people_api", False)
    assert row(m1, "cy@corp.example").mapping_status is None and not row(m1, "cy@corp.example").attended


def test_unidentified_rows_carry_candidates_and_why(built: Report) -> None:
    m1 = by_id(built)[M1]
    sam = row(m1, "Sam L")
    assert [(c.email, c.score) for c in sam.candidates] == [
        ("sam.lee@corp.example", 0.81),
        ("sam.li@corp.example", 0.8),
    ]
    assert sam.reason == "two invitees fit 'Sam L' about equally well"
    assert (sam.method, sam.confidence, sam.mapping_status) == ("ambiguous", 0.81, "ambiguous")
    assert row(m1, "Guest 4711").reason == "no invitee resembles 'Guest 4711'"
    assert row(m1, "+1 555-0100").reason == "method: none"  # no evidence.reason: the method
    assert row(m1, "+1 555-0100").kinds == ("phone",)
    assert row(m1, "Otter.ai Notetaker").reason == "a note-taking bot"
    for sam_invitee in ("sam.lee@corp.example", "sam.li@corp.example"):
        assert row(m1, sam_invitee).reason == "candidate of unidentified participant Sam L (ambiguous)"
    visitor = row(by_id(built)[U1], "Visitor")
    assert (visitor.mapping_status, visitor.method, visitor.reason) == ("pending", None, "not resolved yet")


def test_conflict_between_meet_and_recall(built: Report) -> None:
    meetings = by_id(built)
    conflict = meetings[M1].conflict
    assert conflict is not None and conflict.has_conflict
    assert (conflict.meet_persons, conflict.recall_persons) == (6, 4)
    assert (conflict.meet_only, conflict.recall_only) == (("gus@partner.example",), ("bob@corp.example",))
    assert sorted(identity(r) for r in meetings[M1].rows if r.source_conflict) == [
        "bob@corp.example",
        "gus@partner.example",
    ]
    assert all(m.conflict is None for key, m in meetings.items() if key != M1)  # one source only


def test_not_observed_and_unscheduled_meetings(built: Report) -> None:
    meetings = by_id(built)
    assert not meetings[M2].observed and meetings[M2].sources == ()
    assert meetings[S3].observed is False and meetings[S2].observed is True
    u1 = meetings[U1]
    assert (u1.scheduled, u1.title, u1.meeting_code, u1.start, u1.end) == (
        False,
        None,
        "xyz-abcd-efg",
        at("12:00", 4),
        at("12:30", 4),
    )
    ada = row(u1, "ada@corp.example")  # her session is still open: it ends with the conference
    assert (ada.seconds_present, ada.last_leave) == (1800, at("12:30", 4))
    assert meetings[M1].calendar == "ada@corp.example" and meetings[S1].series_id == "weekly11"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(Filters(calendar="bob@corp.example"), [S1, M1, S2, S3], id="calendar-drops-unscheduled"),
        pytest.param(Filters(organizer="ada@corp.example"), [M1, M2], id="organizer"),
        pytest.param(Filters(meeting_code="XYZ-abcd-efg"), [U1], id="meeting-code-of-unscheduled"),
    ],
)
def test_filters(any_world: Engine, filters: Filters, expected: list[str]) -> None:
    query = ReportQuery(WEEK.start, WEEK.end, filters)
    assert [m.meeting_id for m in build_report(any_world, query, clock=FixedClock(NOW)).meetings] == expected


def test_an_empty_range(any_world: Engine) -> None:
    report = build_report(any_world, ReportQuery.for_days(date(2025, 4, 1)), clock=FixedClock(NOW))
    assert report.meetings == () and report.people == () and report.overall.total == 0
