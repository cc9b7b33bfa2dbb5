"""Lookups through the public API and the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import mapper
from mapper.api import Mapper
from mapper.cli import app
from mapper.pipeline.resolve import resolve_conferences
from mapper.store import make_engine, upgrade
from tests.resolve.world import INVITEES, SETTINGS, T0, Builder, context, standard_participants


def build(engine: Engine) -> None:
    world = Builder(engine)
    event = world.event("e1", T0, INVITEES)
    world.conference("conferenceRecords/c1", event, T0, standard_participants())
    world.person("1001", "omar.haddad@acme.example")
    later = T0 + timedelta(days=1)
    world.conference(
        "conferenceRecords/c9",
        world.event("e9", later, INVITEES, code="aaa-bbbb-ccc"),
        later,
        [{"kind": "signed_in", "display_name": "Omar", "user_id": "users/1001"}],
        code="aaa-bbbb-ccc",
    )
    resolve_conferences(context(engine, T0 + timedelta(days=2)))


def test_lookups(engine: Engine) -> None:
    build(engine)
    m = Mapper(SETTINGS, engine=engine)
    lena = m.participant("conferenceRecords/c1/participants/1")
    assert lena is not None
    assert (lena.email, lena.event_id, lena.conference, lena.source) == (
        "lena.park@acme.example",
        "e1",
        "conferenceRecords/c1",
        "meet",
    )
    # sessions 0-20 and 10-50 minutes overlap: 50 minutes present, not 60
    assert lena.seconds_present == 50 * 60
    assert (lena.joined, lena.left) == (T0, T0 + timedelta(minutes=50))
    assert len(m.conference("conferenceRecords/c1")) == 5
    assert [row.participant for row in m.meeting_code("KQP-ZMTR-WVX", on=T0.date())] == [
        f"conferenceRecords/c1/participants/{i}" for i in range(5)
    ]
    assert m.meeting_code("kqp-zmtr-wvx", on=date(2025, 3, 4)) == []
    assert {row.conference for row in m.event("e9")} == {"conferenceRecords/c9"}
    attended = m.attended("omar.haddad@acme.example", "2025-03-01", "2025-03-10")
    assert [(a.conference, a.method) for a in attended] == [
        ("conferenceRecords/c1", "people_api"),
        ("conferenceRecords/c9", "people_api"),
    ]
    assert m.participant("nope") is None


def test_lookup_cli_json(tmp_path: Path) -> None:
    config = tmp_path / "mapper.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/m.db"\n[google]\ncredentials = "none"\n')
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    upgrade(engine)
    build(engine)
    result = CliRunner().invoke(
        app, ["--config", str(config), "lookup", "--meeting-code", "kqp-zmtr-wvx", "--on", "2025-03-03", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 5
    required = {
        "participant",
        "display_name",
        "email",
        "status",
        "method",
        "confidence",
        "event_id",
        "conference",
        "joined",
        "left",
        "seconds_present",
    }
    assert all(required <= set(row) for row in rows)
    assert rows[1]["joined"] == "2025-03-03T15:00:00Z"
    bad = CliRunner().invoke(app, ["--config", str(config), "lookup", "--json"])
    assert bad.exit_code == 2
    assert "give exactly one of" in bad.output


def test_lookup_refuses_an_unmigrated_store(tmp_path: Path) -> None:
    config = tmp_path / "mapper.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/empty.db"\n[google]\ncredentials = "none"\n')
    result = CliRunner().invoke(app, ["--config", str(config), "lookup", "--event", "x"])
    assert result.exit_code == 2
    assert "run `mapper db upgrade`" in result.output


def test_public_api_is_small_sorted_and_complete() -> None:
    assert mapper.__all__ == sorted(mapper.__all__, key=str.lower) or mapper.__all__ == sorted(mapper.__all__)
    for name in mapper.__all__:
        assert hasattr(mapper, name), name
    public = {name for name in vars(mapper) if not name.startswith("_") and name[0].isupper()}
    assert public <= set(mapper.__all__), public - set(mapper.__all__)


@pytest.mark.parametrize("name", ["Mapper", "ParticipantMapping", "Attendance"])
def test_result_types_are_exported(name: str) -> None:
    assert name in mapper.__all__
