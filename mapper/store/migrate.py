"""Schema migrations (Alembic, shipped inside the package): upgrade, inspect, verify."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from mapper.config.settings import mask_url
from mapper.errors import NotMigratedError
from mapper.store.tables import Table

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "mapper ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply migrations up to ``revision``; returns the revision the database is now at."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def ensure_migrated(engine: Engine) -> None:
    """Raise :class:`NotMigratedError` unless the database is at this mapper's schema revision."""
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        where = mask_url(engine.url.render_as_string(hide_password=False))
        state = "has no mapper schema" if current is None else f"is at schema revision {current}"
        raise NotMigratedError(f"database {where} {state}; this mapper needs revision {head}: run `mapper db upgrade`")


def schema_differences(engine: Engine) -> list[Any]:
    """What autogenerate would change to make the database match the models (empty = in sync)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Table.metadata))


__all__ = [
    "alembic_config",
    "current_revision",
    "ensure_migrated",
    "head_revision",
    "schema_differences",
    "upgrade",
]
