"""The single-instance guard: a named, expiring row in the ``lease`` table.

``acquire`` is one atomic statement on SQLite and PostgreSQL::

    INSERT INTO lease (name, holder, acquired_at, expires_at) VALUES (...)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, ...
    WHERE lease.expires_at < :now OR lease.holder = :me
    RETURNING holder

so of two processes racing for a free (or expired) lease exactly one gets a row back.  A holder is
``host:pid:random``; a lease whose holder ran on this host and whose process is gone (kill -9, a
crash) is taken over at once with a compare-and-swap ``UPDATE … WHERE holder = <the dead one>``
instead of waiting for it to expire.  Lease times are wall-clock times (never a pinned data clock).
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

from sqlalchemy import Engine, case, delete, or_, select, update
from sqlalchemy import Table as SATable
from sqlalchemy.dialects import postgresql, sqlite

from mapper.errors import StoreError
from mapper.store.tables import Lease

LEASE: SATable = Lease.__table__  # type: ignore[attr-defined]


class LeaseHeldError(StoreError):
    """Another live process holds the lease."""


class HolderState(Enum):
    ALIVE = "alive"  # on this host, the process exists
    DEAD = "dead"  # on this host, the process is gone (or a zombie)
    UNKNOWN = "unknown"  # another host, or not a host:pid holder


@dataclass(frozen=True)
class LeaseInfo:
    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return self.expires_at < now


def new_holder() -> str:
    """``host:pid:random`` for this process (random: a restarted pid is a different holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def parse_holder(holder: str) -> tuple[str, int] | None:
    """(host, pid) of a ``host:pid[:random]`` holder, or None."""
    parts = holder.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists and is not a zombie."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child nobody reaped yet is a zombie: dead for our purposes
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] not in (["Z"], ["X"])


def holder_state(holder: str) -> HolderState:
    parsed = parse_holder(holder)
    if parsed is None or parsed[0] != socket.gethostname():
        return HolderState.UNKNOWN
    return HolderState.ALIVE if pid_alive(parsed[1]) else HolderState.DEAD


def acquire(
    engine: Engine, name: str, holder: str, ttl: timedelta, now: datetime, *, take_over_dead: bool = True
) -> bool:
    """Take (or keep) the lease ``name`` for ``ttl``; False when another holder has it.

    Succeeds when the lease is free, expired, already ours, or — with ``take_over_dead`` — held by
    a process of this host that no longer exists."""
    if _upsert(engine, name, holder, ttl, now):
        return True
    if not take_over_dead:
        return False
    current = describe(engine, name)
    if current is None:  # released in between: one more atomic try
        return _upsert(engine, name, holder, ttl, now)
    if holder_state(current.holder) is not HolderState.DEAD:
        return False
    with engine.begin() as connection:
        outcome = connection.execute(
            update(LEASE)
            .where(LEASE.c.name == name, LEASE.c.holder == current.holder)
            .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        )
    return bool(outcome.rowcount == 1)


def _upsert(engine: Engine, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(LEASE).values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
    statement = statement.on_conflict_do_update(
        index_elements=[LEASE.c.name],
        set_={
            "holder": statement.excluded.holder,
            "acquired_at": case((LEASE.c.holder == holder, LEASE.c.acquired_at), else_=statement.excluded.acquired_at),
            "expires_at": statement.excluded.expires_at,
        },
        where=or_(LEASE.c.expires_at < now, LEASE.c.holder == holder),
    )
    with engine.begin() as connection:
        won = connection.execute(statement.returning(LEASE.c.holder)).scalar_one_or_none()
    return won == holder


def renew(engine: Engine, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
    """Push our lease's expiry to ``now + ttl``; False when it is no longer ours (lost)."""
    with engine.begin() as connection:
        outcome = connection.execute(
            update(LEASE).where(LEASE.c.name == name, LEASE.c.holder == holder).values(expires_at=now + ttl)
        )
    return bool(outcome.rowcount == 1)


def release(engine: Engine, name: str, holder: str) -> bool:
    """Give the lease up (only if it is ours); True when a row was deleted."""
    with engine.begin() as connection:
        outcome = connection.execute(delete(LEASE).where(LEASE.c.name == name, LEASE.c.holder == holder))
    return bool(outcome.rowcount == 1)


def describe(engine: Engine, name: str) -> LeaseInfo | None:
    """The lease row as stored, or None when nobody holds it."""
    with engine.connect() as connection:
        row = connection.execute(select(LEASE).where(LEASE.c.name == name)).one_or_none()
    if row is None:
        return None
    return LeaseInfo(row.name, row.holder, row.acquired_at, row.expires_at)


def refusal(info: LeaseInfo, now: datetime) -> str:
    """One line explaining why the lease cannot be taken."""
    state = holder_state(info.holder)
    alive = " (a live process on this host)" if state is HolderState.ALIVE else ""
    left = max(0, int((info.expires_at - now).total_seconds()))
    return (
        f"another mapper daemon holds the {info.name!r} lease on this store: {info.holder}{alive}, "
        f"acquired {info.acquired_at:%Y-%m-%dT%H:%M:%SZ}, expires {info.expires_at:%Y-%m-%dT%H:%M:%SZ} "
        f"(in {left}s unless renewed); stop it first"
    )


__all__ = [
    "LEASE",
    "HolderState",
    "LeaseHeldError",
    "LeaseInfo",
    "acquire",
    "describe",
    "holder_state",
    "new_holder",
    "parse_holder",
    "pid_alive",
    "refusal",
    "release",
    "renew",
]
