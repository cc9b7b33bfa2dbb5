"""A whole-store dump for comparisons: every row of every domain table, with surrogate ids
(primary and foreign keys) replaced by natural keys, so two stores filled in different orders —
or with retries in between — compare equal exactly when they hold the same facts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from mapper.store.tables import Table

#: Natural key columns per table (foreign keys inside them are resolved recursively).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "calendar": ("calendar_id",),
    "calendar_event": ("calendar_pk", "event_id"),
    "invitee": ("event_pk", "email"),
    "event_collection": ("event_pk", "source"),
    "conference": ("source", "source_key"),
    "participant": ("source_key",),
    "participant_session": ("source_key",),
    "person_cache": ("user_id",),
    "learned_identity": ("kind", "key", "email"),
    "mapping": ("participant_pk",),
    "mapping_history": ("participant_pk", "changed_at", "new_status", "new_email"),
    "correction": ("participant_key", "created_at"),
}
SKIPPED = frozenset({"job_run", "lease"})


def dump_store(engine: Engine, *, ignore: frozenset[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
    """``{table: sorted rows}``; ``ignore`` names columns (``"table.column"`` or ``"column"``) to leave out."""
    tables = {name: table for name, table in Table.metadata.tables.items() if name not in SKIPPED}
    with engine.connect() as connection:
        rows = {
            name: {row.id: row._asdict() for row in connection.execute(select(table))} for name, table in tables.items()
        }
    foreign = {
        name: {fk.parent.name: fk.column.table.name for fk in table.foreign_keys} for name, table in tables.items()
    }

    def key(name: str, row_id: Any) -> Any:
        if row_id is None:
            return None
        row = rows[name][row_id]
        return tuple(resolve(name, column, row[column]) for column in NATURAL_KEYS[name])

    def resolve(name: str, column: str, value: Any) -> Any:
        target = foreign[name].get(column)
        return key(target, value) if target else value

    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, table_rows in rows.items():
        columns = [
            c.name
            for c in tables[name].columns
            if c.name != "id" and c.name not in ignore and f"{name}.{c.name}" not in ignore
        ]
        out[name] = sorted(
            (tuple(repr(resolve(name, column, row[column])) for column in columns) for row in table_rows.values()),
        )
    return out
