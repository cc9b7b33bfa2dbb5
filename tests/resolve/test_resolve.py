"""Resolving conferences in the store: one mapping per participant, idempotent, with history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

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
