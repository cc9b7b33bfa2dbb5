"""The store: SQLModel tables, the engine factory, migrations and idempotent upserts."""

from mapper.store.engine import make_engine, normalize_url, session_scope
from mapper.store.migrate import current_revision, ensure_migrated, head_revision, schema_differences, upgrade
from mapper.store.upsert import upsert, upsert_many

__all__ = [
    "current_revision",
    "ensure_migrated",
    "head_revision",
    "make_engine",
    "normalize_url",
    "schema_differences",
    "session_scope",
    "upgrade",
    "upsert",
    "upsert_many",
]
