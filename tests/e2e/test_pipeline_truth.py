"""End to end over the sandbox: a generated organisation is synced, collected and resolved by
the real clients, and the stored mappings are compared with the generator's ground truth."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from mapper.pipeline.cycle import build_context, run_cycle
from mapper.pipeline.evaluate import score, stored_decisions
from mapper.sandbox import SandboxServer
from mapper.sandbox.config_writer import write_config
from mapper.sandbox.generate import generate
from mapper.store import make_engine, upgrade
from tests.support.store_dump import dump_store

Factory = Callable[..., SandboxServer]


@pytest.fixture(scope="module")
def world() -> tuple[dict[str, Any], dict[str, Any]]:
    return generate(users=60, days=6, seed=11, recall_share=0.3)


@pytest.fixture
def cycle(
    world: tuple[dict[str, Any], dict[str, Any]], sandbox_factory: Factory, store_url: str, tmp_path: Path
) -> Iterator[tuple[Engine, Any, Any]]:
    scenario, truth = world
    server = sandbox_factory(scenario)
    settings = write_config(tmp_path / "mapper.toml", scenario, server.url, database_url=store_url)
    engine = make_engine(store_url)
    upgrade(engine)
    ctx = build_context(settings)
    report = run_cycle(ctx)
    yield engine, report, ctx
    ctx.sources.close()
    ctx.engine.dispose()
    engine.dispose()
    del truth


def test_mappings_match_the_ground_truth(cycle: tuple[Engine, Any, Any], world: tuple[dict[str, Any], Any]) -> None:
    engine, report, _ctx = cycle
    assert report.failed_steps == {}
    assert report.problems == []
    result = score(stored_decisions(engine), world[1])
    assert result.participants > 300  # signed-in + anonymous people, scored
    assert result.precision >= 0.995, result.wrong[:10]
    assert result.recall >= 0.95
    assert result.uninvited_wrong == 0
    assert result.non_persons_flagged >= 0.9 * result.non_persons
    assert report.store["pending"] == 0


def test_a_second_cycle_changes_nothing(cycle: tuple[Engine, Any, Any]) -> None:
    engine, _report, ctx = cycle
    # Bookkeeping moves on (meetings whose records are not there yet are tried again); facts don't.
    bookkeeping = frozenset(
        {
            "calendar.synced_at",
            "calendar_event.synced_at",
            "event_collection.attempts",
            "event_collection.last_attempt_at",
        }
    )
    before = dump_store(engine, ignore=bookkeeping)
    again = run_cycle(ctx)
    assert again.problems == []
    assert again.steps[-1].counts["conferences"] == 0  # nothing to resolve again
    assert dump_store(engine, ignore=bookkeeping) == before


def test_a_correction_teaches_the_next_meeting_of_the_series(
    cycle: tuple[Engine, Any, Any], world: tuple[dict[str, Any], Any]
) -> None:
    """Correct an unresolved participant of a recurring meeting; the same person in a later
    occurrence (same display name, same invitees) is then resolved by the correction."""
    from sqlmodel import Session, select

    from mapper.api import Mapper
    from mapper.store.tables import CalendarEvent, Conference, Mapping, Participant

    engine, _report, ctx = cycle
    with Session(engine) as session:
        rows = session.exec(
            select(Participant, Mapping, Conference, CalendarEvent)
            .join(Mapping, Mapping.participant_pk == Participant.id)
            .join(Conference, Conference.id == Participant.conference_pk)
            .join(CalendarEvent, CalendarEvent.id == Conference.event_pk)
            .where(Mapping.status.in_(["unresolved", "ambiguous"]), CalendarEvent.recurring_event_id.is_not(None))
        ).all()
    truth = world[1]["participants"]
    chosen = None
    for participant, _mapping, _conference, event in rows:
        fact = truth.get(participant.source_key, {})
        if fact.get("kind") == "person" and fact.get("email") and participant.display_name:
            chosen = (participant, event, fact["email"])
            break
    # The world's seed is fixed: it always holds such a person, and a change that loses them must fail.
    assert chosen is not None, "the generated world has no unresolved person in a recurring meeting"
    participant, event, email = chosen
    with Mapper(ctx.settings, engine=engine) as mapper:
        fixed = mapper.correct(participant.source_key, email=email, by="test")
    assert (fixed.email, fixed.method) == (email, "correction")
    # every other participant with that display name in the same series now resolves to the email
    run_cycle(ctx)
    with Session(engine) as session:
        same = session.exec(
            select(Participant, Mapping)
            .join(Mapping, Mapping.participant_pk == Participant.id)
            .join(Conference, Conference.id == Participant.conference_pk)
            .join(CalendarEvent, CalendarEvent.id == Conference.event_pk)
            .where(
                Participant.display_name == participant.display_name,
                CalendarEvent.recurring_event_id == event.recurring_event_id,
            )
        ).all()
    assert same
    for other, mapping in same:
        assert mapping.email == email, (other.source_key, mapping.method)
