"""Migrations create every table, agree with the models, and guard un-migrated databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from mapper.errors import NotMigratedError
from mapper.store import (
    current_revision,
    ensure_migrated,
    head_revision,
    make_engine,
    schema_differences,
    upgrade,
)
from mapper.store.tables import Table


def test_every_table_is_created_by_migrations(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Table.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(engine: Engine) -> None:
    assert schema_differences(engine) == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    assert upgrade(engine) == head_revision()
    assert current_revision(engine) == head_revision()
    ensure_migrated(engine)


def test_unmigrated_database_is_refused_with_the_fix(store_url: str) -> None:
    engine = make_engine(store_url)
    with pytest.raises(NotMigratedError, match=r"has no mapper schema.*run `mapper db upgrade`"):
        ensure_migrated(engine)
    engine.dispose()


def test_password_is_not_shown_in_the_not_migrated_message(tmp_path: object) -> None:
    engine = make_engine("postgresql://mapper:s3cret-pw@127.0.0.1:1/nowhere")
    from mapper.store import migrate

    message = str(NotMigratedError("x"))
    assert "s3cret" not in message
    rendered = migrate.mask_url(engine.url.render_as_string(hide_password=False))
    assert "s3cret-pw" not in rendered
    assert "mapper:**********@127.0.0.1" in rendered
