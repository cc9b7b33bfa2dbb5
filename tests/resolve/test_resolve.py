"""Resolving conferences in the store: one mapping per participant, idempotent, with history."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from mapper.errors import DataError
from mapper.pipeline import resolve as resolve_module
from mapper.pipeline.resolve import resolve_conferences
from mapper.store import session_scope
from mapper.store.tables import Conference, LearnedIdentity, Mapping, MappingHistory, Participant
from tests.resolve.world import INVITEES, T0, Builder, context, dump, standard_participants


def mappings(engine: Engine) -> dict[str, tuple[str | None, str, str]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Participant.source_key, Mapping.email, Mapping.status, Mapping.method).join(
                Mapping, col(Mapping.participant_pk) == col(Participant.id)
            )
        ).all()
    return {key.rsplit("/", 1)[-1]: (email, status, method) for key, email, status, method in rows}


def test_every_participant_gets_a_labelled_mapping(engine: Engine) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", event, T0, standard_participants())
    world.person("1001", "omar.haddad@acme.example")
    result = resolve_conferences(context(engine))
    assert result.counts["conferences"] == 1
    assert mappings(engine) == {
        "0": ("omar.haddad@acme.example", "resolved", "people_api"),
        "1": ("lena.park@acme.example", "resolved", "name_exact"),
        "2": ("kim.nguyen@partner.example", "resolved", "email_pattern"),
        "3": (None, "not_a_person", "not_a_person"),
        "4": (None, "unresolved", "none"),  # nothing fits "Zee": the matcher abstains
    }
    with Session(engine) as session:
        zed = session.exec(
            select(Mapping).join(Participant).where(Participant.source_key == "conferenceRecords/c1/participants/4")
        ).one()
    assert zed.candidates == []
    assert zed.evidence["reason"] == "no_candidate"


def test_resolving_again_changes_nothing(engine: Engine) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", event, T0, standard_participants())
    world.person("1001", "omar.haddad@acme.example")
    resolve_conferences(context(engine))
    with Session(engine) as session:
        before = {model.__name__: dump(session, model) for model in (Mapping, MappingHistory, LearnedIdentity)}
    again = resolve_conferences(context(engine, T0 + timedelta(days=2)))
    assert again.counts["conferences"] == 0
    with Session(engine) as session:
        after = {model.__name__: dump(session, model) for model in (Mapping, MappingHistory, LearnedIdentity)}
    assert after == before


def test_changed_invitees_resolve_again_and_keep_history(engine: Engine) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", event, T0, standard_participants())
    resolve_conferences(context(engine))
    assert mappings(engine)["2"] == ("kim.nguyen@partner.example", "resolved", "email_pattern")
    # Kim is re-invited under her new company's address, with her name shown by Calendar.
    moved = {"email": "kim@newco.example", "display_name": "Kim Nguyen", "response_status": "accepted"}
    world.event("e1", T0, [INVITEES[0], INVITEES[1], moved, INVITEES[3]], digest="inv-2")
    with session_scope(engine) as session:  # the sync replaces the invitee set
        from mapper.store.tables import Invitee

        session.execute(Invitee.__table__.delete().where(Invitee.email == "kim.nguyen@partner.example"))
    later = T0 + timedelta(days=2)
    result = resolve_conferences(context(engine, later))
    assert result.counts["conferences"] == 1
    assert mappings(engine)["2"] == ("kim@newco.example", "resolved", "name_exact")
    with Session(engine) as session:
        history = session.exec(select(MappingHistory)).all()
    assert [(h.old_email, h.new_email, h.changed_at) for h in history] == [
        ("kim.nguyen@partner.example", "kim@newco.example", later)
    ]


def test_people_confirmed_identity_is_learned_for_later_meetings(engine: Engine) -> None:
    world = Builder(engine)
    first = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", first, T0, standard_participants())
    world.person("1001", "omar.haddad@acme.example")
    resolve_conferences(context(engine))
    with Session(engine) as session:
        learned = {(row.kind, row.key, row.email) for row in session.exec(select(LearnedIdentity))}
    assert ("user_id", "users/1001", "omar.haddad@acme.example") in learned
    # A week later the People answer is gone (say the cache was purged); the identity still holds.
    with session_scope(engine) as session:
        session.execute(update(Conference).values(resolved_digest="x"))
    from mapper.store.tables import PersonCache

    with session_scope(engine) as session:
        session.execute(PersonCache.__table__.delete())
    second_start = T0 + timedelta(days=7)
    second = world.event("e2", second_start, INVITEES)
    world.conference(
        "conferenceRecords/c2",
        second,
        second_start,
        [{"kind": "signed_in", "display_name": "Omar H.", "user_id": "users/1001"}],
        digest="p-2",
    )
    resolve_conferences(context(engine, second_start + timedelta(days=1)))
    with Session(engine) as session:
        row = session.exec(
            select(Mapping).join(Participant).where(Participant.source_key == "conferenceRecords/c2/participants/0")
        ).one()
    assert (row.email, row.method) == ("omar.haddad@acme.example", "learned")


def test_conference_without_event_resolves_exact_sources_only(engine: Engine) -> None:
    world = Builder(engine)
    world.conference("conferenceRecords/adhoc", None, T0, standard_participants())
    world.person("1001", "omar.haddad@acme.example")
    resolve_conferences(context(engine))
    found = mappings(engine)
    assert found["0"] == ("omar.haddad@acme.example", "resolved", "people_api")
    assert found["1"][0] is None and found["1"][1] == "unresolved"


def test_a_failing_conference_is_reported_and_the_rest_of_its_batch_is_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    for n in range(5):  # one transaction would hold all five
        world.conference(f"conferenceRecords/c{n}", event, T0 + timedelta(minutes=n), standard_participants())
    with Session(engine) as session:
        broken = session.exec(select(Conference.id).where(Conference.source_key == "conferenceRecords/c2")).one()
    real = resolve_module.resolve_conference

    def failing(session: Session, conference_pk: int, *args: Any, **kwargs: Any) -> Counter[str]:
        counts = real(session, conference_pk, *args, **kwargs)  # writes, then fails: must be rolled back
        if conference_pk == broken:
            raise DataError("conference c2: an invitee list that cannot be read")
        return counts

    monkeypatch.setattr(resolve_module, "resolve_conference", failing)
    result = resolve_conferences(context(engine))
    assert result.problems == [f"resolve conference {broken}: conference c2: an invitee list that cannot be read"]
    assert result.counts["conferences"] == 5
    with Session(engine) as session:
        resolved = {
            key: digest is not None
            for key, digest in session.exec(select(Conference.source_key, Conference.resolved_digest)).all()
        }
        stored = set(
            session.exec(
                select(Participant.conference_pk).join(Mapping, col(Mapping.participant_pk) == col(Participant.id))
            ).all()
        )
    assert resolved == {f"conferenceRecords/c{n}": n != 2 for n in range(5)}
    assert broken not in stored and len(stored) == 4
    monkeypatch.setattr(resolve_module, "resolve_conference", real)
    again = resolve_conferences(context(engine))  # the failed one is still dirty, and only it
    assert (again.counts["conferences"], again.problems) == (1, [])


def test_a_stop_mid_batch_keeps_what_was_resolved_and_leaves_the_rest(engine: Engine) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    for n in range(5):
        world.conference(f"conferenceRecords/c{n}", event, T0 + timedelta(minutes=n), standard_participants())
    ctx = context(engine)
    real_now = ctx.clock.now
    calls = []

    def now() -> datetime:  # called once per conference: stop after the second
        calls.append(1)
        if len(calls) == 2:
            ctx.stop.set()
        return real_now()

    ctx.clock.now = now  # type: ignore[method-assign]
    result = resolve_conferences(ctx)
    assert (result.counts["conferences"], result.counts["conferences_left_for_next_run"]) == (2, 3)
    with Session(engine) as session:
        done = session.exec(select(Conference.source_key).where(col(Conference.resolved_digest).is_not(None))).all()
    assert sorted(done) == ["conferenceRecords/c0", "conferenceRecords/c1"]
    rest = resolve_conferences(context(engine))
    assert rest.counts["conferences"] == 3
