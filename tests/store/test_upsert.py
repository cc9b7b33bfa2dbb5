"""Upserting the same source objects twice leaves one row each, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import (
    Calendar,
    CalendarEvent,
    Conference,
    EventCollection,
    Invitee,
    LearnedIdentity,
    Mapping,
    Participant,
    ParticipantSession,
    PersonCache,
    Table,
)

T0 = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)


def _count(session: Session, model: type[Table]) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _write_world(session: Session, summary: str = "Weekly sync") -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["calendar"] = upsert(session, Calendar, {"calendar_id": "ada@corp.example"}, keys=["calendar_id"])
    ids["event"] = upsert(
        session,
        CalendarEvent,
        {
            "calendar_pk": ids["calendar"],
            "event_id": "q3v9m1k2_20250303T150000Z",
            "summary": summary,
            "start_at": T0,
            "end_at": T0 + timedelta(hours=1),
            "conference_platform": "google_meet",
            "conference_id": "kqp-zmtr-wvx",
        },
        keys=["calendar_pk", "event_id"],
    )
    upsert_many(
        session,
        Invitee,
        [
            {"event_pk": ids["event"], "email": "omar@corp.example", "display_name": "Omar Haddad"},
            {"event_pk": ids["event"], "email": "kim@partner.example", "display_name": None},
        ],
        keys=["event_pk", "email"],
    )
    upsert(
        session,
        EventCollection,
        {"event_pk": ids["event"], "source": "meet", "status": "found"},
        keys=["event_pk", "source"],
    )
    ids["conference"] = upsert(
        session,
        Conference,
        {
            "source": "meet",
            "source_key": "conferenceRecords/c7Hq2",
            "event_pk": ids["event"],
            "start_at": T0,
            "extra": {"space": "spaces/abc"},
        },
        keys=["source", "source_key"],
    )
    ids["participant"] = upsert(
        session,
        Participant,
        {
            "conference_pk": ids["conference"],
            "source_key": "conferenceRecords/c7Hq2/participants/81x",
            "kind": "signed_in",
            "display_name": "Omar Haddad",
            "user_id": "users/104377215590028",
        },
        keys=["source_key"],
    )
    upsert(
        session,
        ParticipantSession,
        {
            "participant_pk": ids["participant"],
            "source_key": "conferenceRecords/c7Hq2/participants/81x/participantSessions/s1",
            "start_at": T0,
            "end_at": T0 + timedelta(minutes=57),
        },
        keys=["source_key"],
    )
    upsert(
        session,
        PersonCache,
        {
            "user_id": "104377215590028",
            "email": "omar@corp.example",
            "fetched_at": T0,
            "expires_at": T0 + timedelta(days=7),
        },
        keys=["user_id"],
    )
    upsert(
        session,
        LearnedIdentity,
        {"kind": "user_id", "key": "104377215590028", "email": "omar@corp.example", "method": "people_api"},
        keys=["kind", "key", "email"],
    )
    upsert(
        session,
        Mapping,
        {
            "participant_pk": ids["participant"],
            "email": "omar@corp.example",
            "status": "resolved",
            "method": "people_api",
            "confidence": 1.0,
            "evidence": {"user_id": "users/104377215590028"},
            "resolved_at": T0,
        },
        keys=["participant_pk"],
    )
    return ids


UPSERTED = [
    Calendar,
    CalendarEvent,
    Invitee,
    EventCollection,
    Conference,
    Participant,
    ParticipantSession,
    PersonCache,
    LearnedIdentity,
    Mapping,
]


def test_upserting_twice_leaves_one_row_each(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = _write_world(session)
    with session_scope(engine) as session:
        second = _write_world(session)
    assert first == second
    with Session(engine) as session:
        counts = {model.__name__: _count(session, model) for model in UPSERTED}
    assert counts == {
        "Calendar": 1,
        "CalendarEvent": 1,
        "Invitee": 2,
        "EventCollection": 1,
        "Conference": 1,
        "Participant": 1,
        "ParticipantSession": 1,
        "PersonCache": 1,
        "LearnedIdentity": 1,
        "Mapping": 1,
    }


def test_upsert_updates_changed_values(engine: Engine) -> None:
    with session_scope(engine) as session:
        ids = _write_world(session)
    with session_scope(engine) as session:
        _write_world(session, summary="Weekly sync (moved)")
    with Session(engine) as session:
        event = session.get(CalendarEvent, ids["event"])
        assert event is not None
        assert event.summary == "Weekly sync (moved)"
        conference = session.get(Conference, ids["conference"])
        assert conference is not None and conference.extra == {"space": "spaces/abc"}


def test_datetimes_come_back_aware_utc(engine: Engine) -> None:
    paris = timezone(timedelta(hours=1))
    with session_scope(engine) as session:
        cal = upsert(
            session,
            Calendar,
            {"calendar_id": "x@corp.example", "synced_at": T0.astimezone(paris)},
            keys=["calendar_id"],
        )
    with Session(engine) as session:
        row = session.get(Calendar, cal)
        assert row is not None and row.synced_at == T0
        assert row.synced_at.tzinfo is not None and row.synced_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), session_scope(engine) as session:
        upsert(
            session,
            Calendar,
            {"calendar_id": "x@corp.example", "synced_at": datetime(2025, 1, 1)},
            keys=["calendar_id"],
        )
    with Session(engine) as session:
        assert _count(session, Calendar) == 0


def test_foreign_keys_cascade(engine: Engine) -> None:
    with session_scope(engine) as session:
        ids = _write_world(session)
    with session_scope(engine) as session:
        conference = session.get(Conference, ids["conference"])
        session.delete(conference)
    with Session(engine) as session:
        assert _count(session, Participant) == 0
        assert _count(session, ParticipantSession) == 0
        assert _count(session, Mapping) == 0
        assert _count(session, CalendarEvent) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones()))
def test_utc_datetime_round_trip(sqlite_engine: Engine, moment: Any) -> None:
    with session_scope(sqlite_engine) as session:
        cal = upsert(session, Calendar, {"calendar_id": "rt@corp.example", "synced_at": moment}, keys=["calendar_id"])
    with Session(sqlite_engine) as session:
        row = session.get(Calendar, cal)
        assert row is not None and row.synced_at is not None
        # Compare instants: PEP 495 makes inter-zone == False for times inside a DST fold.
        assert row.synced_at.timestamp() == moment.timestamp()
        assert row.synced_at.utcoffset() == timedelta(0)


def test_upsert_many_returns_ids_in_input_order_for_new_and_existing_rows(engine: Engine) -> None:
    with session_scope(engine) as session:
        calendar = upsert(session, Calendar, {"calendar_id": "ada@corp.example"}, keys=["calendar_id"])
        event = upsert(
            session, CalendarEvent, {"calendar_pk": calendar, "event_id": "e1"}, keys=["calendar_pk", "event_id"]
        )
        first = upsert_many(
            session,
            Invitee,
            [{"event_pk": event, "email": f"p{n}@corp.example", "display_name": f"P {n}"} for n in range(0, 2500, 2)],
            keys=["event_pk", "email"],
        )
    rows = [{"event_pk": event, "email": f"p{n}@corp.example", "display_name": f"Q {n}"} for n in range(2499, -1, -1)]
    with session_scope(engine) as session:
        ids = upsert_many(session, Invitee, rows, keys=["event_pk", "email"])  # two keys, > one chunk
        assert upsert_many(session, Invitee, rows[:10], keys=["event_pk", "email"], ids=False) == []
    assert len(ids) == len(set(ids)) == 2500
    with Session(engine) as session:
        stored = {row.email: (row.id, row.display_name) for row in session.execute(select(Invitee)).scalars()}
    assert [stored[row["email"]] for row in rows] == [
        (pk, row["display_name"]) for pk, row in zip(ids, rows, strict=True)
    ]
    assert [stored[f"p{n}@corp.example"][0] for n in range(0, 2500, 2)] == first  # existing rows kept their ids


def test_upsert_many_with_a_key_given_twice_returns_the_same_row(engine: Engine) -> None:
    with session_scope(engine) as session:
        rows = [{"calendar_id": "a@corp.example"}, {"calendar_id": "b@corp.example"}]
        ids = upsert_many(session, Calendar, [*rows, rows[0]], keys=["calendar_id"])
    assert ids[0] == ids[2] != ids[1]
