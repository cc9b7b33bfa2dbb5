"""Corrections: applied at once, never overwritten by a later resolve, and taught to the next meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from mapper.api import Mapper
from mapper.errors import DataError
from mapper.pipeline.resolve import resolve_conferences
from mapper.store import session_scope
from mapper.store.tables import Conference, Correction, MappingHistory
from tests.resolve.world import INVITEES, SETTINGS, T0, Builder, context, standard_participants

ZED = "conferenceRecords/c1/participants/4"


@pytest.fixture
def resolved(engine: Engine) -> Builder:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", event, T0, standard_participants())
    resolve_conferences(context(engine))
    return world


def mapper_for(engine: Engine) -> Mapper:
    return Mapper(SETTINGS, engine=engine, clock=context(engine).clock)


def test_correction_is_applied_at_once_with_who_and_when(engine: Engine, resolved: Builder) -> None:
    before = mapper_for(engine).participant(ZED)
    assert before is not None and before.status == "unresolved"
    after = mapper_for(engine).correct(ZED, email="Zed@Partner.example", by="ops@acme.example", note="called him")
    assert (after.email, after.status, after.method, after.confidence) == (
        "zed@partner.example",
        "resolved",
        "correction",
        1.0,
    )
    with Session(engine) as session:
        stored = session.exec(select(Correction)).one()
        history = session.exec(select(MappingHistory)).all()
    assert (stored.created_by, stored.note, stored.email) == ("ops@acme.example", "called him", "zed@partner.example")
    assert stored.created_at == context(engine).clock.now()
    assert [(h.old_status, h.new_method, h.reason) for h in history] == [
        ("unresolved", "correction", "correction by ops@acme.example")
    ]


def test_a_later_resolve_never_overwrites_a_correction(engine: Engine, resolved: Builder) -> None:
    mapper_for(engine).correct(ZED, email="zed@partner.example", by="ops")
    with session_scope(engine) as session:  # new participant data arrives: the conference is resolved again
        session.execute(update(Conference).values(participants_digest="p-2"))
    result = resolve_conferences(context(engine, T0 + timedelta(days=3)))
    assert result.counts["conferences"] == 1
    found = mapper_for(engine).participant(ZED)
    assert found is not None and (found.email, found.method) == ("zed@partner.example", "correction")


def test_not_a_person_correction(engine: Engine, resolved: Builder) -> None:
    found = mapper_for(engine).correct("conferenceRecords/c1/participants/2", not_a_person=True, by="ops")
    assert (found.email, found.status, found.method) == (None, "not_a_person", "correction")


def test_the_next_meeting_with_the_same_name_and_invitees_uses_it(engine: Engine, resolved: Builder) -> None:
    mapper_for(engine).correct(ZED, email="zed@partner.example", by="ops")
    start = T0 + timedelta(days=7)
    event = resolved.event("e2", start, INVITEES)
    resolved.conference(
        "conferenceRecords/c2", event, start, [{"kind": "anonymous", "display_name": "Zee"}], digest="p-3"
    )
    resolve_conferences(context(engine, start + timedelta(hours=2)))
    found = mapper_for(engine).participant("conferenceRecords/c2/participants/0")
    assert found is not None
    assert (found.email, found.status) == ("zed@partner.example", "resolved")
    assert found.method in {"correction", "learned"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"email": "not-an-email", "by": "ops"}, "not an email address", id="bad-email"),
        pytest.param({"email": None, "by": "ops"}, "exactly one of", id="neither"),
        pytest.param({"email": "a@b.example", "not_a_person": True, "by": "ops"}, "exactly one of", id="both"),
        pytest.param({"email": "a@b.example", "by": " "}, "needs its author", id="no-author"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(
    engine: Engine, resolved: Builder, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        mapper_for(engine).correct(ZED, **kwargs)  # type: ignore[arg-type]
    with Session(engine) as session:
        assert session.exec(select(Correction)).all() == []


def test_unknown_participant(engine: Engine, resolved: Builder) -> None:
    with pytest.raises(DataError, match="no participant with key 'nope'"):
        mapper_for(engine).correct("nope", email="a@b.example", by="ops")
