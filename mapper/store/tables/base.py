"""The declarative base of every mapper table: one metadata with stable constraint names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, MetaData
from sqlmodel import Field, SQLModel

from mapper.store.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Table(SQLModel):
    """Base class of mapper's tables (its own metadata, never SQLModel's global one)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def when(*, nullable: bool = True, index: bool = False) -> Any:
    """A timezone-aware UTC datetime column."""
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_field(*, default_factory: Any = dict) -> Any:
    """A JSON column (``JSON`` on SQLite, ``JSON`` on PostgreSQL)."""
    return Field(default_factory=default_factory, sa_type=JSON, nullable=False)


def required_when() -> Any:
    return Field(sa_type=UTCDateTime, nullable=False)


__all__ = ["NAMING_CONVENTION", "Table", "datetime", "json_field", "required_when", "when"]
