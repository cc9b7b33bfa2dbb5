"""Resolved mappings (participant -> email), their history, and human corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field

from mapper.store.tables.base import Table, json_field, required_when, when


class Mapping(Table, table=True):
    """The current decision for one participant."""

    __tablename__ = "mapping"

    id: int | None = Field(default=None, primary_key=True)
    participant_pk: int = Field(foreign_key="participant.id", ondelete="CASCADE", unique=True)
    email: str | None = Field(default=None, index=True)
    status: str  # resolved | ambiguous | unresolved | not_a_person
    method: str  # correction | learned | people_api | stable_id | name_exact | name_fuzzy | ...
    confidence: float = 0.0
    candidates: list[Any] = json_field(default_factory=list)  # [{"email": ..., "score": ...}]
    evidence: dict[str, Any] = json_field()
    person: str | None = None  # the collapsed person group inside the conference
    resolved_at: datetime = required_when()


class MappingHistory(Table, table=True):
    """A change of a participant's mapping: what it was, what it became, when and why."""

    __tablename__ = "mapping_history"

    id: int | None = Field(default=None, primary_key=True)
    participant_pk: int = Field(foreign_key="participant.id", ondelete="CASCADE", index=True)
    old_email: str | None = None
    old_status: str | None = None
    old_method: str | None = None
    old_confidence: float | None = None
    new_email: str | None = None
    new_status: str
    new_method: str
    new_confidence: float
    reason: str
    changed_at: datetime = required_when()


class Correction(Table, table=True):
    """A human's statement about a participant; never overwritten by automatic resolution.

    Keyed by the participant's source key (not a foreign key) so it survives retention purges and
    keeps teaching later meetings through the stable id / display name / invitee set it records.
    """

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    participant_key: str = Field(index=True)
    email: str | None = None  # None with not_a_person=True
    not_a_person: bool = False
    display_name: str | None = None
    stable_id: str | None = Field(default=None, index=True)
    user_id: str | None = None
    invitee_emails: list[Any] = json_field(default_factory=list)
    created_by: str
    created_at: datetime = required_when()
    note: str | None = None
    superseded_at: datetime | None = when()


__all__ = ["Correction", "Mapping", "MappingHistory"]
