"""What is known about people: the People/Directory cache and identities learned over time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from mapper.store.tables.base import Table, required_when, when


class PersonCache(Table, table=True):
    """A People API / Directory answer for one Google user id, kept for a TTL."""

    __tablename__ = "person_cache"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(unique=True)  # the numeric id, without users/ or people/
    email: str | None = None
    display_name: str | None = None
    source: str | None = None  # people_api | directory | None when not visible
    visible: bool = True  # False: neither People nor Directory would show this profile
    fetched_at: datetime = required_when()
    expires_at: datetime = required_when()


class LearnedIdentity(Table, table=True):
    """An identity confirmed in an earlier meeting: user id, stable platform id or name -> email."""

    __tablename__ = "learned_identity"
    __table_args__ = (UniqueConstraint("kind", "key", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # user_id | stable_id | name
    key: str = Field(index=True)
    email: str
    method: str  # the decision level that confirmed it (people_api, correction, ...)
    times_seen: int = 1
    first_seen_at: datetime | None = when()
    last_seen_at: datetime | None = when()


__all__ = ["LearnedIdentity", "PersonCache"]
