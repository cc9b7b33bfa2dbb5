"""Idempotent writes: ``INSERT … ON CONFLICT (natural key) DO UPDATE`` on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy import select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable
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
    ids: bool = True,
) -> list[int]:
    """:func:`upsert` for many rows with the same columns; returns their ids in order (or ``[]``
    when ``ids`` is false and nobody needs them).

    Rows are written with ``executemany`` and the ids read back by key: on SQLite an upsert with
    ``RETURNING`` in input order runs one statement per row, which made writes the slowest part of
    a large sync.
    """
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
    dialect = session.get_bind().dialect.name
    shape = (dialect, table, tuple(keys), tuple(refresh))
    defaults = {name: _default(table, name) for name in columns}
    found: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = [
            {name: row[name] if name in row else defaults[name] for name in columns}
            for row in rows[start : start + CHUNK]
        ]
        if ids and len(chunk) == 1:  # one row: RETURNING is one statement too
            found.extend(_returned(session, shape, chunk))
            continue
        session.execute(_statement(*shape, returning=False), chunk)
        if ids:
            found.extend(_ids(session, table, keys, chunk) or _returned(session, shape, chunk))
    return found


#: Rows per statement (and per id lookup: two-column keys stay well under SQLite's 32,766 variables).
CHUNK = 1000


def _ids(session: Session, table: SATable, keys: Sequence[str], chunk: list[dict[str, Any]]) -> list[int] | None:
    """The ids of the rows just written, in order, read by their keys; None when a key does not
    read back as written (a column type that changes values): the caller then uses RETURNING."""
    key_columns = [table.c[key] for key in keys]
    wanted = [tuple(row[key] for key in keys) for row in chunk]
    condition = (
        key_columns[0].in_([value[0] for value in wanted])
        if len(keys) == 1
        else tuple_(*key_columns).in_(list(dict.fromkeys(wanted)))
    )
    stored = {tuple(row[1:]): row[0] for row in session.execute(select(table.c.id, *key_columns).where(condition))}
    if any(value not in stored for value in wanted):
        return None
    return [stored[value] for value in wanted]


def _returned(
    session: Session, shape: tuple[str, SATable, tuple[str, ...], tuple[str, ...]], chunk: list[dict[str, Any]]
) -> list[int]:
    return [row[0] for row in session.execute(_statement(*shape, returning=True), chunk)]


@lru_cache(maxsize=256)
def _statement(
    dialect: str, table: SATable, keys: tuple[str, ...], refresh: tuple[str, ...], *, returning: bool
) -> Executable:
    """The upsert statement, built once per shape: building ``excluded`` proxies every column,
    which cost more than the write itself when one row is upserted at a time."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    base = insert(table)
    statement = base.on_conflict_do_update(
        index_elements=list(keys), set_={name: base.excluded[name] for name in refresh}
    )
    return statement.returning(table.c.id, sort_by_parameter_order=True) if returning else statement


__all__ = ["upsert", "upsert_many"]
