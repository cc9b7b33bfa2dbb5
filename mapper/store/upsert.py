"""Idempotent writes: ``INSERT … ON CONFLICT (natural key) DO UPDATE`` on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session

from mapper.store.tables import Table


def _table(model: type[Table]) -> SATable:
    table = getattr(model, "__table__", None)
    if not isinstance(table, SATable):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def _default(table: SATable, name: str) -> Any:
    """The value a row that omits ``name`` gets (its scalar or callable default, else NULL)."""
    default = table.c[name].default
    if default is None:
        return None
    if getattr(default, "is_scalar", False):
        return default.arg  # type: ignore[attr-defined]
    if getattr(default, "is_callable", False):
        return default.arg(None)  # type: ignore[attr-defined]
    return None


def upsert(
    session: Session,
    model: type[Table],
    values: Mapping[str, Any],
    *,
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> int:
    """Insert ``values`` or, when a row with the same ``keys`` exists, update it; return its ``id``.

    ``update`` names the columns refreshed on conflict (default: every given non-key column).
    Running the same upsert twice leaves one row with the same content.
    """
    rows = upsert_many(session, model, [values], keys=keys, update=update)
    return rows[0]


def upsert_many(
    session: Session,
    model: type[Table],
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> list[int]:
    """:func:`upsert` for many rows with the same columns in one statement; returns ids in order."""
    if not rows:
        return []
    table = _table(model)
    columns = list(dict.fromkeys(name for row in rows for name in row))
    missing = [key for key in keys if key not in columns]
    if missing:
        raise ValueError(f"upsert into {table.name}: key column(s) {missing} not given")
    refresh = list(update) if update is not None else [c for c in columns if c not in keys]
    if not refresh:
        refresh = [keys[0]]  # a no-op update so RETURNING yields the existing row
    statement = _statement(session.get_bind().dialect.name, table, tuple(keys), tuple(refresh))
    defaults = {name: _default(table, name) for name in columns}
    ids: list[int] = []
    for start in range(0, len(rows), 1000):
        # One cached statement run as "insertmanyvalues": RETURNING ids come back in input order.
        chunk = [
            {name: row[name] if name in row else defaults[name] for name in columns}
            for row in rows[start : start + 1000]
        ]
        ids.extend(row[0] for row in session.execute(statement, chunk))
    return ids


@lru_cache(maxsize=256)
def _statement(dialect: str, table: SATable, keys: tuple[str, ...], refresh: tuple[str, ...]) -> ReturningInsert[Any]:
    """The upsert statement, built once per shape: building ``excluded`` proxies every column,
    which cost more than the write itself when one row is upserted at a time."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    base = insert(table)
    return base.on_conflict_do_update(
        index_elements=list(keys), set_={name: base.excluded[name] for name in refresh}
    ).returning(table.c.id, sort_by_parameter_order=True)


__all__ = ["upsert", "upsert_many"]
