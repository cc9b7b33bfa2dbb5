"""Operational tables: job runs and leases (the single-instance guard and per-item claims)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field

from mapper.store.tables.base import Table, json_field, required_when, when


class JobRun(Table, table=True):
    """One run of one job (calendar sync, Meet collection, resolve, report, purge...)."""

    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(index=True)
    started_at: datetime = required_when()
    finished_at: datetime | None = when()
    outcome: str = "running"  # running | ok | partial | failed | abandoned
    counts: dict[str, Any] = json_field()
    error: str | None = None
    holder: str | None = None  # host:pid of the process that ran it


class Lease(Table, table=True):
    """A named, expiring claim: ``daemon`` guards one daemon per store; ``item:...`` claims work."""

    __tablename__ = "lease"

    name: str = Field(primary_key=True)
    holder: str
    acquired_at: datetime = required_when()
    expires_at: datetime = required_when()


__all__ = ["JobRun", "Lease"]
