"""The retention purge deletes exactly what is older than the cutoff (with what cascades from it),
keeps corrections and learned identities, is idempotent and works in batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import col

from mapper.clock import FixedClock
from mapper.config import Settings
from mapper.pipeline.retention import BATCH, purge
from mapper.sources.factory import Sources
from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import (
    Calendar,
    CalendarEvent,
    Conference,
    Correction,
    EventCollection,
    Invitee,
    JobRun,
    LearnedIdentity,
    Mapping,
    MappingHistory,
    Participant,
    ParticipantSession,
    PersonCache,
    Table,
)
from mapper.sync.context import JobContext

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
DAYS = 60
CUTOFF = NOW - timedelta(days=DAYS)  # 2025-01-19T12:00Z
OLD = datetime(2025, 1, 10, 10, 0, tzinfo=UTC)
RECENT = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)


def context(engine: Engine, days: int = DAYS) -> JobContext:
    settings = Settings(retention={"days": days})
    return JobContext(engine=engine, settings=settings, clock=FixedClock(NOW), sources=Sources(settings))


def count(engine: Engine, model: type[Table]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def keys(engine: Engine, column: Any) -> set[Any]:
    with session_scope(engine) as session:
        return set(session.execute(select(column)).scalars())


def meeting(engine: Engine, name: str, start: datetime, *, people: int, linked: bool = True) -> None:
    """An event (unless not ``linked``) with invitees, its conference, participants, sessions,
    mappings and one mapping change each."""
    end = start + timedelta(hours=1)
    with session_scope(engine) as session:
        calendar = upsert(session, Calendar, {"calendar_id": "ada@corp.example"}, keys=["calendar_id"])
        event = None
        if linked:
            event = upsert(
                session,
                CalendarEvent,
                {
                    "calendar_pk": calendar,
                    "event_id": name,
                    "meeting_key": f"{name}|x",
                    "start_at": start,
                    "end_at": end,
                },
                keys=["calendar_pk", "event_id"],
            )
            upsert(session, Invitee, {"event_pk": event, "email": f"{name}@corp.example"}, keys=["event_pk", "email"])
            upsert(session, EventCollection, {"event_pk": event, "source": "meet"}, keys=["event_pk", "source"])
        conference = upsert(
            session,
            Conference,
            {"source": "meet", "source_key": f"conferenceRecords/{name}", "event_pk": event, "start_at": start},
            keys=["source", "source_key"],
        )
        for n in range(people):
            key = f"conferenceRecords/{name}/participants/{n}"
            participant = upsert(
                session, Participant, {"conference_pk": conference, "source_key": key}, keys=["source_key"]
            )
            upsert(
                session,
                ParticipantSession,
                {"participant_pk": participant, "source_key": f"{key}/participantSessions/1", "start_at": start},
                keys=["source_key"],
            )
            session.add(
                Mapping(
                    participant_pk=participant,
                    email=f"{name}@corp.example",
                    status="resolved",
                    method="name_exact",
                    resolved_at=start,
                )
            )
            session.add(
                MappingHistory(
                    participant_pk=participant,
                    new_status="resolved",
                    new_method="name_exact",
                    new_confidence=0.9,
                    reason="first",
                    changed_at=start,
                )
            )


def write_world(engine: Engine) -> None:
    meeting(engine, "old", OLD, people=2)
    meeting(engine, "orphan", OLD - timedelta(days=3), people=1, linked=False)
    meeting(engine, "edge", CUTOFF, people=1)  # starts exactly at the cutoff: kept
    meeting(engine, "new", RECENT, people=2)
    with session_scope(engine) as session:
        # An event that ended before the cutoff whose conference (started after it) is kept: unlinked.
        calendar = upsert(session, Calendar, {"calendar_id": "ada@corp.example"}, keys=["calendar_id"])
        upsert(
            session,
            CalendarEvent,
            {"calendar_pk": calendar, "event_id": "long-ago", "start_at": OLD, "end_at": OLD + timedelta(minutes=30)},
            keys=["calendar_pk", "event_id"],
        )
        for user, expires in (("1", OLD), ("2", CUTOFF + timedelta(days=1)), ("3", NOW + timedelta(days=1))):
            upsert(
                session,
                PersonCache,
                {
                    "user_id": user,
                    "email": f"u{user}@corp.example",
                    "fetched_at": expires - timedelta(days=7),
                    "expires_at": expires,
                },
                keys=["user_id"],
            )
        session.add(JobRun(job="resolve", started_at=OLD, finished_at=OLD, outcome="ok"))
        session.add(JobRun(job="resolve", started_at=OLD, outcome="running"))  # never purged while running
        session.add(JobRun(job="resolve", started_at=RECENT, finished_at=RECENT, outcome="ok"))
        session.add(
            Correction(
                participant_key="conferenceRecords/old/participants/0",
                email="old@corp.example",
                created_by="ops",
                created_at=OLD,
            )
        )
        session.add(
            LearnedIdentity(
                kind="name",
                key="old timer",
                email="old@corp.example",
                method="people_api",
                first_seen_at=OLD,
                last_seen_at=OLD,
            )
        )


def test_purge_deletes_exactly_what_is_older_than_the_cutoff(engine: Engine) -> None:
    write_world(engine)
    result = purge(context(engine))
    assert result.ok, result.problems
    assert dict(result.counts) == {
        "conferences": 2,
        "participants": 3,
        "mappings": 3,
        "calendar_events": 2,
        "person_cache": 1,
        "job_runs": 1,
    }
    assert keys(engine, col(Conference.source_key)) == {"conferenceRecords/edge", "conferenceRecords/new"}
    assert keys(engine, col(CalendarEvent.event_id)) == {"edge", "new"}
    assert keys(engine, col(Invitee.email)) == {"edge@corp.example", "new@corp.example"}
    assert count(engine, EventCollection) == 2
    assert count(engine, Participant) == count(engine, ParticipantSession) == count(engine, Mapping) == 3
    assert count(engine, MappingHistory) == 3
    assert keys(engine, col(PersonCache.user_id)) == {"2", "3"}  # recently expired answers stay
    assert keys(engine, col(JobRun.started_at)) == {OLD, RECENT}
    assert keys(engine, col(JobRun.outcome)) == {"running", "ok"}
    assert count(engine, Correction) == count(engine, LearnedIdentity) == 1


def test_purge_is_idempotent(engine: Engine) -> None:
    write_world(engine)
    purge(context(engine))
    again = purge(context(engine))
    assert again.ok
    assert set(again.counts.values()) == {0}
    assert count(engine, Conference) == 2


def test_purge_works_in_batches_and_stops_between_them(sqlite_engine: Engine) -> None:
    many = 2 * BATCH + 7
    with session_scope(sqlite_engine) as session:
        rows = [{"source": "recall", "source_key": f"bot-{n}", "start_at": OLD} for n in range(many)]
        ids = upsert_many(session, Conference, rows, keys=["source", "source_key"])
        upsert_many(
            session,
            Participant,
            [{"conference_pk": pk, "source_key": f"recall:bot-{n}:1"} for n, pk in enumerate(ids)],
            keys=["source_key"],
        )
    stopped = context(sqlite_engine)
    stopped.stop.set()
    assert purge(stopped).counts["batches_left_for_next_run"] == 1
    assert count(sqlite_engine, Conference) == many
    result = purge(context(sqlite_engine))
    assert (result.counts["conferences"], result.counts["participants"]) == (many, many)
    assert count(sqlite_engine, Participant) == 0


def test_a_retention_shorter_than_the_sync_look_back_is_reported(sqlite_engine: Engine) -> None:
    result = purge(context(sqlite_engine, days=30))  # calendars.lookback_days defaults to 35
    assert result.problems == [
        "retention.days (30) is not above the sync look-back (35 days): purged meetings will be fetched again"
    ]
