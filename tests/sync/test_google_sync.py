"""Calendar sync, Meet collection and People/Directory lookups against the sandbox, over HTTP,
through google-api-python-client: first sync, incremental sync, 410 recovery, paging, reused
meeting codes, participant kinds, People batch limits, API-call bounds, faults, idempotence."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from mapper.clock import FixedClock, utc
from mapper.config import Settings
from mapper.sandbox import SandboxServer
from mapper.sources.factory import Sources
from mapper.sources.retry import RetryPolicy
from mapper.store.tables import (
    Calendar,
    CalendarEvent,
    Conference,
    EventCollection,
    Invitee,
    Participant,
    ParticipantSession,
    PersonCache,
)
from mapper.sync.calendars import sync_calendars
from mapper.sync.context import JobContext
from mapper.sync.meet import collect_meet
from tests.support.store_dump import dump_store
from tests.sync.google_world import ADA, NOW, OMAR, event, meet_data, scenario

Factory = Callable[..., SandboxServer]
OPENED: list[Sources] = []


@pytest.fixture(autouse=True)
def _close_sources() -> Any:
    yield
    while OPENED:
        OPENED.pop().close()


def context(engine: Engine, server: SandboxServer, *, page_size: int | None = 2, now: str = NOW) -> JobContext:
    settings = Settings(
        google={
            "credentials": "static",
            "static_token": "sandbox-google-token",
            "endpoints": {
                "calendar": f"{server.url}/calendar/v3/",
                "meet": f"{server.url}/",
                "people": f"{server.url}/",
                "directory": f"{server.url}/",
                "token_uri": f"{server.url}/token",
            },
        },
        calendars={"ids": [ADA, OMAR]},
        http={"concurrency": 2},
    )
    sources = Sources(settings, page_size=page_size, policy=RetryPolicy(max_tries=8, sleep=lambda _s: None))
    OPENED.append(sources)
    return JobContext(engine=engine, settings=settings, clock=FixedClock(utc(now)), sources=sources)


def calls(server: SandboxServer) -> dict[str, int]:
    return dict(server.stats_snapshot()["requests"])


def test_first_sync_stores_events_invitees_and_meeting_identity(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    result = sync_calendars(context(engine, server))
    assert result.problems == []
    assert result.counts["full_syncs"] == 2
    with Session(engine) as session:
        events = {
            (c, e.event_id): e
            for e, c in session.execute(select(CalendarEvent, Calendar.calendar_id).join(Calendar)).all()
        }
        standup = events[(ADA, "standup")]
        invitees = {
            i.email: i for i in session.execute(select(Invitee).where(col(Invitee.event_pk) == standup.id)).scalars()
        }
        tokens = set(session.execute(select(Calendar.sync_token)).scalars())
    assert len(events) == 6  # five on Ada's calendar, the standup copy on Omar's
    assert (standup.conference_platform, standup.conference_id) == ("google_meet", "aaa-bbbb-ccc")
    assert events[(OMAR, "standup")].meeting_key == standup.meeting_key
    weekly = events[(ADA, "weekly_20250310T170000Z")]
    assert (weekly.recurring_event_id, weekly.conference_id) == ("weekly", "ddd-eeee-fff")
    assert events[(ADA, "lunch")].conference_id is None
    assert set(invitees) == {ADA, OMAR, "kim@partner.example", "c_boardroom4@resource.calendar.google.com"}
    assert invitees[OMAR].display_name == "Omar Haddad"
    assert invitees["kim@partner.example"].optional
    assert None not in tokens
    # 6 events on Ada's calendar at 2 per page = 3 pages; Omar's single event = 1 page
    assert calls(server)["calendar.events.list"] == 4


def test_incremental_sync(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    sync_calendars(context(engine, server))
    server.reset_stats()
    sync_calendars(context(engine, server))
    assert calls(server) == {"calendar.events.list": 2}  # one per calendar with no changes
    server.patch(
        {
            "calendars": {
                ADA: {
                    "events": [
                        event(
                            "new",
                            "2025-03-12T10:00:00Z",
                            "2025-03-12T11:00:00Z",
                            conferenceData=meet_data("nnn-oooo-ppp"),
                        ),
                        event("lunch", "2025-03-05T13:00:00Z", "2025-03-05T14:00:00Z", summary="Lunch (moved)"),
                    ],
                    "cancel": ["allhands"],
                }
            }
        }
    )
    server.reset_stats()
    result = sync_calendars(context(engine, server))
    assert result.counts["incremental_syncs"] == 2
    with Session(engine) as session:
        rows = {
            e.event_id: e
            for e in session.execute(select(CalendarEvent).join(Calendar).where(Calendar.calendar_id == ADA)).scalars()
        }
    assert rows["new"].conference_id == "nnn-oooo-ppp"
    assert rows["lunch"].summary == "Lunch (moved)"
    assert rows["lunch"].start_at == datetime(2025, 3, 5, 13, tzinfo=UTC)
    assert rows["allhands"].status == "cancelled"  # marked, not lost
    assert rows["allhands"].summary == "All hands"


def test_410_recovery_keeps_what_still_exists(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    ctx = context(engine, server)
    sync_calendars(ctx)
    collect_meet(ctx)
    with Session(engine) as session:
        before = session.execute(
            select(Conference.event_pk).where(Conference.source_key == "conferenceRecords/r1")
        ).scalar_one()
    server.patch({"calendars": {ADA: {"cancel": ["lunch"]}}})
    calendar_api = server.world.api("calendar")
    assert hasattr(calendar_api, "invalidate_sync_tokens")
    with server.world.lock:
        calendar_api.invalidate_sync_tokens()
    server.reset_stats()
    result = sync_calendars(context(engine, server))
    assert result.counts["sync_tokens_expired"] == 2
    assert result.counts["full_syncs"] == 2
    with Session(engine) as session:
        after = session.execute(
            select(Conference.event_pk).where(Conference.source_key == "conferenceRecords/r1")
        ).scalar_one()
        lunch = session.execute(select(CalendarEvent.status).where(CalendarEvent.event_id == "lunch")).scalar_one()
    assert after == before  # the event still exists: its row and the conference link survive
    assert lunch == "cancelled"


def test_meet_collection(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    ctx = context(engine, server)
    sync_calendars(ctx)
    server.reset_stats()
    result = collect_meet(ctx)
    assert result.problems == []
    with Session(engine) as session:
        conferences = {c.source_key: c for c in session.execute(select(Conference)).scalars()}
        events = {e.id: e for e in session.execute(select(CalendarEvent)).scalars()}
        people = {
            p.source_key.rsplit("/", 1)[-1]: p
            for p in session.execute(
                select(Participant).join(Conference).where(Conference.source_key == "conferenceRecords/r1")
            ).scalars()
        }
        omar_sessions = (
            session.execute(select(ParticipantSession).where(ParticipantSession.participant_pk == people["omar"].id))
            .scalars()
            .all()
        )
        cache = {c.user_id: c for c in session.execute(select(PersonCache)).scalars()}
        states = {events[c.event_pk].event_id: c.status for c in session.execute(select(EventCollection)).scalars()}
    # reused codes: each weekly instance gets its own record; last year's record on the same code is never linked
    assert "conferenceRecords/r0" not in conferences
    assert events[conferences["conferenceRecords/r2"].event_pk].event_id == "weekly_20250303T170000Z"
    assert events[conferences["conferenceRecords/r3"].event_pk].event_id == "weekly_20250310T170000Z"
    standup = conferences["conferenceRecords/r1"]
    assert events[standup.event_pk].calendar_pk == events[standup.event_pk].calendar_pk  # canonical copy
    assert {k: p.kind for k, p in people.items()} == {
        "omar": "signed_in",
        "kim": "anonymous",
        "kim2": "anonymous",
        "phone": "phone",
        "room": "room",
    }
    assert len(omar_sessions) == 2  # a rejoin: two sessions
    # People: 260 + 2 signed-in users + the room robot, in batches of at most 200; Grace via Directory
    assert cache["1001"].email == OMAR
    assert (cache["1002"].email, cache["1002"].source) == ("grace@corp.example", "directory")
    assert cache["9001"].visible is False
    assert states == {
        "standup": "found",
        "weekly_20250303T170000Z": "found",
        "weekly_20250310T170000Z": "found",
        "allhands": "found",
    }
    requests = calls(server)
    users = 260 + 3  # 1001, 1002, 9001 and the 260 all-hands people
    assert requests["people.people.getBatchGet"] == math.ceil(users / 200)
    assert requests["directory.users.get"] == 2  # Grace (no email in People) and the room robot


def test_api_economy_without_sessions(engine: Engine, sandbox_factory: Factory) -> None:
    """1 conferenceRecords.list per meeting + ceil(P/250) participant pages + ceil(U/200) getBatchGet."""
    server = sandbox_factory(scenario())
    ctx = context(engine, server, page_size=None)
    ctx = JobContext(
        engine=ctx.engine,
        settings=ctx.settings.model_copy(
            update={
                "meet": ctx.settings.meet.model_copy(update={"fetch_sessions": False}),
                "people": ctx.settings.people.model_copy(update={"directory_fallback": False}),
            }
        ),
        clock=ctx.clock,
        sources=ctx.sources,
    )
    sync_calendars(ctx)
    server.reset_stats()
    collect_meet(ctx)
    requests = calls(server)
    meetings = 4  # standup, two weekly instances, all hands (lunch has no Meet link)
    participants = {"r1": 5, "r2": 1, "r3": 1, "r5": 260}
    assert requests["meet.conferenceRecords.list"] == meetings
    assert requests["meet.conferenceRecords.participants.list"] == sum(
        math.ceil(p / 250) for p in participants.values()
    )
    assert requests["people.people.getBatchGet"] == math.ceil(263 / 200)
    assert "meet.conferenceRecords.participants.participantSessions.list" not in requests
    server.reset_stats()
    collect_meet(ctx)  # everything collected, every user cached: nothing to ask
    assert calls(server) == {}


def test_records_not_there_yet_are_retried_then_given_up(engine: Engine, sandbox_factory: Factory) -> None:
    world = scenario()
    world["meet"]["conferenceRecords"] = [
        r for r in world["meet"]["conferenceRecords"] if r["name"] != "conferenceRecords/r3"
    ]
    server = sandbox_factory(world)
    ctx = context(engine, server)
    sync_calendars(ctx)
    collect_meet(ctx)
    later = context(engine, server, now="2025-03-11T18:00:00Z")
    collect_meet(later)
    much_later = context(engine, server, now="2025-03-14T12:00:00Z")
    collect_meet(much_later)
    with Session(engine) as session:
        row = session.execute(
            select(EventCollection).join(CalendarEvent).where(CalendarEvent.event_id == "weekly_20250310T170000Z")
        ).scalar_one()
    assert (row.status, row.attempts) == ("gave_up", 3)


def test_sync_twice_changes_nothing(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    ctx = context(engine, server)
    sync_calendars(ctx)
    collect_meet(ctx)
    first = dump_store(engine)
    sync_calendars(ctx)
    collect_meet(ctx)
    assert dump_store(engine) == first


@pytest.mark.parametrize("seed", [1, 2])
def test_faults_do_not_change_what_is_stored(
    engine: Engine, sandbox_factory: Factory, seed: int, tmp_path: Any
) -> None:
    from mapper.store import make_engine, upgrade

    clean_server = sandbox_factory(scenario())
    clean_engine = make_engine(f"sqlite:///{tmp_path}/clean.db")
    upgrade(clean_engine)
    ctx = context(clean_engine, clean_server)
    sync_calendars(ctx)
    collect_meet(ctx)
    faulty = sandbox_factory(scenario(), faults=f"seed={seed};*:5xx=0.10,429=0.05,retry_after=0")
    ctx = context(engine, faulty)
    assert sync_calendars(ctx).problems == []
    assert collect_meet(ctx).problems == []
    assert sum(sum(kinds.values()) for kinds in faulty.stats_snapshot()["faults"].values()) > 0
    assert dump_store(engine) == dump_store(clean_engine)
