"""``sync_recall`` against the sandbox over HTTP, on SQLite and PostgreSQL: what is stored, how
bots are linked to events, idempotence, fault tolerance and the cost of a re-run."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import col

from mapper.clock import FixedClock, utc
from mapper.config import Settings
from mapper.sandbox import SandboxServer
from mapper.sources.factory import Sources
from mapper.sources.google.calendar import SyncResult, event_from_api
from mapper.sources.recall import RecallClient
from mapper.sources.retry import RetryPolicy
from mapper.store import make_engine, session_scope, upgrade, upsert
from mapper.store.tables import Calendar, CalendarEvent, Conference, Participant, ParticipantSession
from mapper.sync.calendars import write_events
from mapper.sync.context import JobContext, StepResult
from mapper.sync.recall import list_bots, sync_recall
from tests.conftest import postgres_schema_url
from tests.sources.test_recall_scenario import (
    API_KEY,
    CALENDARS,
    EXPIRED,
    MEET,
    NOW,
    PROCESSING,
    TEAMS,
    ZOOM_ID,
    ZOOM_MAR4,
    ZOOM_MAR4_BOT,
    ZOOM_MAR5,
    ZOOM_MAR6_LATE,
    scenario,
)

Factory = Callable[..., SandboxServer]
FAULTS = {
    "issue": "seed=1;recall:5xx=0.1,429=0.05,retry_after=0",
    "harsh": "seed=7;recall:5xx=0.2,429=0.1,truncate=0.05,malformed=0.05,retry_after=0",
}


@pytest.fixture
def other_engine(store_url: str, tmp_path: Any) -> Iterator[Engine]:
    """A second fresh store on the same backend as ``engine``."""
    if store_url.startswith("sqlite"):
        url_iter: Iterator[str] = iter([f"sqlite:///{tmp_path}/other.db"])
    else:
        url_iter = postgres_schema_url()
    url = next(url_iter)
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    for _ in url_iter:  # drops the PostgreSQL schema
        pass


_CONTEXTS: list[JobContext] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CONTEXTS:
        client = _CONTEXTS.pop().sources.__dict__.get("recall")
        if client is not None:
            client.close()


def context(engine: Engine, server: SandboxServer | None = None, *, max_tries: int = 6, **recall: Any) -> JobContext:
    settings = Settings(
        google={"credentials": "none"},
        recall={"enabled": True, "api_key": API_KEY, "base_url": server.url if server else "http://x", **recall},
        http={"concurrency": 4},
    )
    ctx = JobContext(
        engine,
        settings,
        FixedClock(utc(NOW)),
        Sources(settings, policy=RetryPolicy(max_tries=max_tries, sleep=lambda _s: None)),
    )
    _CONTEXTS.append(ctx)
    return ctx


def load_calendars(engine: Engine) -> dict[tuple[str, str], int]:
    """Write the scenario's Calendar v3 events through the calendar sync's own code path."""
    ids: dict[tuple[str, str], int] = {}
    with session_scope(engine) as session:
        for calendar_id, items in CALENDARS.items():
            calendar_pk = upsert(session, Calendar, {"calendar_id": calendar_id}, keys=["calendar_id"])
            listing = SyncResult(events=[event_from_api(item) for item in items])
            write_events(session, calendar_pk, listing, utc(NOW))
            rows = session.execute(
                select(col(CalendarEvent.id), col(CalendarEvent.event_id)).where(
                    col(CalendarEvent.calendar_pk) == calendar_pk
                )
            ).all()
            ids.update({(calendar_id, row.event_id): row.id for row in rows})
    return ids


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the sync writes, with surrogate ids replaced by natural keys."""
    with engine.connect() as connection:
        conferences = connection.execute(
            text(
                "SELECT c.source, c.source_key, e.event_id, cal.calendar_id, c.platform, c.meeting_code,"
                " c.space_name, c.start_at, c.end_at, c.status, c.participants_digest, c.resolved_digest,"
                " c.fetched_at, c.extra FROM conference c LEFT JOIN calendar_event e ON e.id = c.event_pk"
                " LEFT JOIN calendar cal ON cal.id = e.calendar_pk ORDER BY c.source, c.source_key"
            )
        ).all()
        participants = connection.execute(
            text(
                "SELECT c.source_key, p.source_key, p.kind, p.display_name, p.user_id, p.stable_id, p.is_host,"
                " p.email_hint, p.platform, p.first_join_at, p.last_leave_at, p.extra FROM participant p"
                " JOIN conference c ON c.id = p.conference_pk ORDER BY p.source_key"
            )
        ).all()
        sessions = connection.execute(
            text(
                "SELECT p.source_key, s.source_key, s.start_at, s.end_at FROM participant_session s"
                " JOIN participant p ON p.id = s.participant_pk ORDER BY s.source_key"
            )
        ).all()
    return {
        "conference": [tuple(row) for row in conferences],
        "participant": [tuple(row) for row in participants],
        "participant_session": [tuple(row) for row in sessions],
    }


def conference(engine: Engine, bot_id: str) -> Conference:
    with session_scope(engine) as session:
        return session.execute(select(Conference).where(col(Conference.source_key) == bot_id)).scalar_one()


def participants(engine: Engine, bot_id: str) -> dict[str, Participant]:
    with session_scope(engine) as session:
        rows = session.execute(select(Participant).where(col(Participant.source_key).startswith(f"recall:{bot_id}:")))
        return {p.source_key.rsplit(":", 1)[1]: p for p in rows.scalars()}


def sessions(engine: Engine, bot_id: str) -> dict[str, tuple[Any, Any]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(ParticipantSession).where(col(ParticipantSession.source_key).startswith(f"recall:{bot_id}:"))
        )
        return {s.source_key.split(":", 2)[2]: (s.start_at, s.end_at) for s in rows.scalars()}


def at(day: int, clock: str) -> datetime:
    hour, minute, second = (int(part) for part in [*clock.split(":"), "0"][:3])
    return datetime(2025, 3, day, hour, minute, second, tzinfo=UTC)


# -- what is stored ---------------------------------------------------------------------------------


def test_finished_bots_are_stored(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    result = sync_recall(context(engine, server))
    assert result.problems == []
    counts = {key: value for key, value in result.counts.items() if value}
    assert counts == {
        "bots_listed": 7,  # finished in the 7-day window; bots still in the call, fatal or older are not listed
        "bots_collected": 5,
        "bots_media_expired": 1,
        "bots_not_ready": 1,  # participant data still processing
        "conferences": 6,
        "participants": 17,
        "sessions": 19,
    }
    zoom = conference(engine, ZOOM_MAR4)
    assert (zoom.platform, zoom.meeting_code, zoom.status) == ("zoom", ZOOM_ID, "done")
    assert (zoom.start_at, zoom.end_at) == (at(4, "10:00:02"), at(4, "10:31:10"))
    assert zoom.extra["bot_name"] == "Notetaker" and zoom.extra["metadata"] == {"team": "platform"}
    assert zoom.participants_digest and zoom.fetched_at == utc(NOW)
    expired = conference(engine, EXPIRED)
    assert expired.status == "media_expired" and expired.extra["participant_data"] == "expired"
    assert participants(engine, EXPIRED) == {}


def test_participants_of_every_platform(engine: Engine, sandbox_factory: Factory) -> None:
    sync_recall(context(engine, sandbox_factory(scenario())))
    zoom = participants(engine, ZOOM_MAR4)
    assert {pid: (p.kind, p.stable_id) for pid, p in zoom.items()} == {
        "100": ("signed_in", "zoom:16778240"),
        "101": ("signed_in", "zoom:16779264"),
        "102": ("signed_in", "zoom:16779264"),  # the duplicate from a second tab: same stable id
        "103": ("phone", None),
        "104": ("anonymous", None),
    }
    assert zoom["100"].is_host is True and zoom["100"].email_hint == "ada@corp.example"
    assert zoom["100"].extra["extra_data"] == ZOOM_MAR4_BOT["participants"][0]["extra_data"]
    assert zoom["103"].platform == "dial-in" and zoom["103"].display_name == "+1 ***-***-4417"
    teams = participants(engine, TEAMS)
    assert teams["200"].stable_id == "teams:8:orgid:3f1e9a52-7c41-4d0b-9a77-2c5e1b0d6f18"
    assert teams["204"].stable_id == "teams:8:live:jane.roe"
    assert (teams["201"].display_name, teams["201"].kind) == ("Kim (Guest)", "anonymous")
    assert teams["203"].display_name == "Amr El Shimy External"
    assert teams["205"].kind == "phone"
    meet = participants(engine, MEET)
    assert meet["300"].stable_id == meet["301"].stable_id == "meet:8b3e1f0a9c"
    assert meet["300"].email_hint == "lin.wei@corp.example" and meet["302"].kind == "anonymous"


def test_sessions_from_join_and_leave(engine: Engine, sandbox_factory: Factory) -> None:
    sync_recall(context(engine, sandbox_factory(scenario())))
    assert sessions(engine, ZOOM_MAR4) == {
        "100:1": (at(4, "10:00:05"), at(4, "10:31:00")),
        "101:1": (at(4, "10:01"), at(4, "10:10")),
        "101:2": (at(4, "10:12"), at(4, "10:30")),  # a rejoin; the duplicate join is ignored
        "102:1": (at(4, "10:15"), at(4, "10:20")),
        "103:1": (at(4, "10:03"), at(4, "10:31:10")),  # no leave: ends with the call
        "104:1": (at(4, "10:00:02"), at(4, "10:31:10")),  # no events: the call bounds
    }
    grace = participants(engine, ZOOM_MAR4)["101"]
    assert (grace.first_join_at, grace.last_leave_at) == (at(4, "10:01"), at(4, "10:30"))
    teams = sessions(engine, TEAMS)
    assert [key for key in teams if key.startswith("200:")] == ["200:1", "200:2"]
    assert teams["200:2"] == (at(5, "14:31"), at(5, "14:58"))


# -- linking ----------------------------------------------------------------------------------------


def test_bots_link_to_the_right_event(engine: Engine, sandbox_factory: Factory) -> None:
    events = load_calendars(engine)
    sync_recall(context(engine, sandbox_factory(scenario())))
    # one Zoom id for the whole stand-up series: each bot goes to the instance its call overlaps,
    # and to the organizer's copy of it (Grace's calendar holds a copy of Mar 4)
    assert conference(engine, ZOOM_MAR4).event_pk == events[("ada@corp.example", "st4nd7p_20250304T100000Z")]
    assert conference(engine, ZOOM_MAR5).event_pk == events[("ada@corp.example", "st4nd7p_20250305T100000Z")]
    assert conference(engine, ZOOM_MAR6_LATE).event_pk is None  # 15:00: no instance overlaps
    assert conference(engine, TEAMS).event_pk == events[("omar@corp.example", "t3ams0001")]
    assert conference(engine, MEET).event_pk == events[("lin.wei@corp.example", "m33t0001")]
    assert conference(engine, EXPIRED).event_pk is None  # an unscheduled meeting


def test_the_largest_overlap_wins(engine: Engine, sandbox_factory: Factory) -> None:
    """Back-to-back meetings on one personal Zoom room: the call belongs to the one it covers most."""
    from tests.sources.test_recall_scenario import standup

    early, late = standup("04"), standup("04")
    late |= {"id": "later_one", "iCalUID": "later@google.com", "recurringEventId": None, "originalStartTime": None}
    late["start"], late["end"] = {"dateTime": "2025-03-04T10:30:00Z"}, {"dateTime": "2025-03-04T11:30:00Z"}
    early["end"] = {"dateTime": "2025-03-04T10:15:00Z"}
    with session_scope(engine) as session:
        calendar_pk = upsert(session, Calendar, {"calendar_id": "ada@corp.example"}, keys=["calendar_id"])
        write_events(session, calendar_pk, SyncResult(events=[event_from_api(early), event_from_api(late)]), utc(NOW))
    sync_recall(context(engine, sandbox_factory(scenario())))  # the Mar 4 call ran 10:00:02-10:31:10
    with session_scope(engine) as session:
        linked = session.get(CalendarEvent, conference(engine, ZOOM_MAR4).event_pk)
        assert linked is not None and linked.event_id == "st4nd7p_20250304T100000Z"


def test_a_bot_stored_before_its_event_is_linked_later_without_api_calls(
    engine: Engine, sandbox_factory: Factory
) -> None:
    server = sandbox_factory(scenario())
    sync_recall(context(engine, server))
    assert conference(engine, TEAMS).event_pk is None
    events = load_calendars(engine)
    server.reset_stats()
    result = sync_recall(context(engine, server))
    assert conference(engine, TEAMS).event_pk == events[("omar@corp.example", "t3ams0001")]
    assert result.counts["links_changed"] == 4
    assert set(server.stats_snapshot()["requests"]) == {"recall.bot.list"}


# -- idempotence, cost, faults --------------------------------------------------------------------


def test_running_twice_changes_nothing(engine: Engine, sandbox_factory: Factory) -> None:
    load_calendars(engine)
    server = sandbox_factory(scenario())
    sync_recall(context(engine, server))
    first = dump(engine)
    again = sync_recall(context(engine, server))
    assert dump(engine) == first
    assert again.counts["bots_unchanged"] == 6 and again.counts["conferences"] == 0


def test_a_forced_refetch_rewrites_identical_rows(engine: Engine, sandbox_factory: Factory) -> None:
    load_calendars(engine)
    server = sandbox_factory(scenario())
    sync_recall(context(engine, server))
    first = dump(engine)
    with engine.begin() as connection:  # forget the digests: every bot is fetched and written again
        connection.execute(text("UPDATE conference SET extra = '{}'"))
    again = sync_recall(context(engine, server))
    assert again.counts["bots_collected"] == 5
    assert dump(engine) == first


def test_a_rerun_with_nothing_new_costs_only_the_list_pages(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario(page_size=3))
    sync_recall(context(engine, server))
    server.reset_stats()
    sync_recall(context(engine, server))
    # the 6 bots with data on 2 pages (all read); the 4 media-expired ones newest first, 3 a page:
    # the walk stops on page 1 at the first bot well before the window
    assert server.stats_snapshot()["requests"] == {"recall.bot.list": 3}


@pytest.mark.parametrize("faults", sorted(FAULTS))
def test_faults_do_not_change_what_is_stored(
    faults: str, engine: Engine, other_engine: Engine, sandbox_factory: Factory
) -> None:
    for store in (engine, other_engine):
        load_calendars(store)
    clean = sync_recall(context(other_engine, sandbox_factory(scenario(page_size=1))))
    server = sandbox_factory(scenario(page_size=1), faults=FAULTS[faults])
    ctx = context(engine, server, max_tries=10)
    faulty = sync_recall(ctx)
    assert faulty.problems == [] and faulty.counts == clean.counts
    assert dump(engine) == dump(other_engine)
    injected = sum(sum(kinds.values()) for kinds in server.stats_snapshot()["faults"].values())
    assert injected >= 3 and sum(ctx.sources.counter.failures().values()) == injected


# -- changes over time -----------------------------------------------------------------------------


def test_a_bot_that_finishes_processing_is_collected_next_time(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    sync_recall(context(engine, server))
    bot = copy.deepcopy(next(b for b in scenario()["recall"]["bots"] if b["id"] == PROCESSING))
    bot["recordings"] = [{}]
    bot["participants"] = [{"id": 1, "name": "Ada Lovelace", "is_host": True, "platform": "desktop"}]
    server.patch({"recall": {"bots": [bot]}})
    result = sync_recall(context(engine, server))
    assert result.counts["bots_collected"] == 1 and result.counts["bots_not_ready"] == 0
    assert list(participants(engine, PROCESSING)) == ["1"]


def test_media_expiry_keeps_what_was_collected(engine: Engine, sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    sync_recall(context(engine, server))
    before = participants(engine, ZOOM_MAR4)
    digest = conference(engine, ZOOM_MAR4).participants_digest
    bot = copy.deepcopy(ZOOM_MAR4_BOT)
    for key in ("participants", "participant_events"):
        del bot[key]
    bot["status_changes"].append(
        {"code": "media_expired", "message": None, "created_at": "2025-03-10T11:00:00.000000Z", "sub_code": None}
    )
    server.patch({"recall": {"bots": [bot]}})
    server.reset_stats()
    result = sync_recall(context(engine, server))
    assert result.counts["bots_media_expired"] == 1
    assert server.stats_snapshot()["requests"] == {"recall.bot.list": 3, "recall.bot.retrieve": 1}
    after = conference(engine, ZOOM_MAR4)
    assert after.status == "media_expired" and after.participants_digest == digest
    assert participants(engine, ZOOM_MAR4).keys() == before.keys()


# -- bad data is a problem, not a crash ------------------------------------------------------------


def test_malformed_api_objects_are_reported_and_the_rest_collected(engine: Engine) -> None:
    good = {
        "id": "good-bot",
        "meeting_url": {"platform": "zoom", "meeting_id": ZOOM_ID},
        "status_changes": [
            {"code": "in_call_recording", "created_at": "2025-03-09T10:00:00Z"},
            {"code": "call_ended", "created_at": "2025-03-09T10:30:00Z"},
            {"code": "done", "created_at": "2025-03-09T10:31:00Z"},
        ],
        "recordings": [
            {
                "id": "r1",
                "status": {"code": "done"},
                "media_shortcuts": {
                    "participant_events": {
                        "id": "a1",
                        "status": {"code": "done"},
                        "data": {
                            "participants_download_url": "https://files.example/p?token=1",
                            "participant_events_download_url": "https://files.example/e?token=1",
                        },
                    }
                },
            }
        ],
    }
    bad = {"id": "bad-bot", "status_changes": [{"code": "done", "created_at": "yesterday"}]}
    broken = {
        "id": "broken-bot",
        "status_changes": [{"code": "done", "created_at": "2025-03-09T10:31:00Z"}],
        "recordings": [
            {
                "id": "r2",
                "media_shortcuts": {
                    "participant_events": {
                        "status": {"code": "done"},
                        "data": {"participants_download_url": "https://files.example/broken"},
                    }
                },
            }
        ],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v1/bot/":
            expired_walk = request.url.params.get_list("status") == ["media_expired"]
            results = [] if expired_walk else [good, bad, broken]
            return httpx.Response(200, json={"count": len(results), "next": None, "results": results})
        if path == "/api/v1/bot/good-bot/":
            return httpx.Response(200, json=good)
        if path == "/api/v1/bot/broken-bot/":
            return httpx.Response(200, json=broken)
        if path == "/p":
            return httpx.Response(200, json=[{"id": 1, "name": "Ada"}, {"id": None, "name": "no id"}, "junk"])
        if path == "/broken":
            return httpx.Response(200, json={"not": "an array"})
        return httpx.Response(200, json=[{"action": "join", "participant": {"id": 1}, "timestamp": {"absolute": 5}}])

    ctx = context(engine)
    ctx.sources.recall = RecallClient(
        API_KEY,
        base_url="https://us-west-2.recall.ai",
        transport=httpx.MockTransport(handler),
        policy=RetryPolicy(sleep=lambda _s: None),
    )
    result: StepResult = sync_recall(ctx)
    assert result.counts["bots_collected"] == 1 and result.counts["bots_failed"] == 1
    assert len(result.problems) == 5, result.problems
    assert any("bots[1].status_changes[0].created_at" in p for p in result.problems)  # skipped while listing
    assert any("broken-bot" in p and "JSON array" in p for p in result.problems)  # the bot failed
    assert any("participants[1].id" in p for p in result.problems)  # one participant skipped
    assert list(participants(engine, "good-bot")) == ["1"]


# -- the List Bots walk ---------------------------------------------------------------------------


def _listing(done: list[str], expired: list[str]) -> httpx.MockTransport:
    """List Bots over one bot per day, two a page: ``done`` bots and ``media_expired`` bots, each
    listed in the given order (the status filter decides which)."""

    def bots(days: list[str], code: str) -> list[dict[str, Any]]:
        return [
            {
                "id": f"{code}-{day}",
                "status_changes": [
                    {"code": "joining_call", "created_at": f"{day}T10:00:00Z"},
                    {"code": code, "created_at": f"{day}T11:00:00Z"},
                ],
            }
            for day in days
        ]

    served = {"done": bots(done, "done"), "media_expired": bots(expired, "media_expired")}

    def handler(request: httpx.Request) -> httpx.Response:
        statuses = request.url.params.get_list("status")
        items = served["media_expired" if statuses == ["media_expired"] else "done"]
        page = int(request.url.params.get("page", "1"))
        nxt = str(request.url.copy_set_param("page", page + 1)) if page * 2 < len(items) else None
        return httpx.Response(200, json={"count": len(items), "next": nxt, "results": items[page * 2 - 2 : page * 2]})

    return httpx.MockTransport(handler)


DAYS = ["2025-01-02", "2025-01-20", "2025-02-10", "2025-03-01", "2025-03-02", "2025-03-05", "2025-03-09"]
SHUFFLED = ["2025-03-05", "2025-01-02", "2025-02-10", "2025-03-09", "2025-03-01", "2025-01-20", "2025-03-02"]


@pytest.mark.parametrize(
    ("done", "expired", "found_expired", "expired_pages"),
    [
        (DAYS[::-1], DAYS[::-1], ["2025-03-05", "2025-03-09"], 2),  # stops at 03-02, page 2
        (DAYS, DAYS, [], 1),  # oldest first: the expired walk gives up on page 1
        (SHUFFLED, SHUFFLED, ["2025-03-05"], 1),  # looks newest first at 01-02: stops, 03-09 missed
    ],
    ids=["newest-first", "oldest-first", "shuffled"],
)
def test_bots_with_data_are_found_whatever_the_order(
    engine: Engine, done: list[str], expired: list[str], found_expired: list[str], expired_pages: int
) -> None:
    ctx = context(engine)
    counter = ctx.sources.counter
    ctx.sources.recall = RecallClient(
        API_KEY, base_url="https://us-west-2.recall.ai", transport=_listing(done, expired), counter=counter
    )
    problems: list[str] = []
    found = {bot.id for bot in list_bots(ctx, utc(NOW), problems)}  # the window starts 2025-03-03 12:00
    assert found == {"done-2025-03-05", "done-2025-03-09"} | {f"media_expired-{day}" for day in found_expired}
    assert problems == []
    assert counter.calls() == {"recall.bot.list": 4 + expired_pages}  # every page of the done walk
