"""The daemon lease on SQLite and PostgreSQL: acquire, refuse, renew, expire, release, take over a
dead local process, and exactly one winner when threads race for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from mapper.pipeline.lease import (
    HolderState,
    acquire,
    describe,
    holder_state,
    new_holder,
    parse_holder,
    pid_alive,
    refusal,
    release,
    renew,
)

T0 = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=90)
HOST = socket.gethostname()


def dead_pid() -> int:
    """The pid of a process that existed and is gone (reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_holder_is_host_pid_random() -> None:
    first, second = new_holder(), new_holder()
    assert first != second
    assert parse_holder(first) == (HOST, os.getpid())
    assert parse_holder("not a holder") is None
    assert holder_state(first) is HolderState.ALIVE
    assert holder_state(f"{HOST}:{dead_pid()}:abcd") is HolderState.DEAD
    assert holder_state("elsewhere.example:1:abcd") is HolderState.UNKNOWN


def test_a_killed_child_not_yet_reaped_counts_as_dead() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(child.pid)
        child.kill()
        for _ in range(200):  # a zombie until waited for
            if not pid_alive(child.pid):
                break
            threading.Event().wait(0.01)
        assert not pid_alive(child.pid)
    finally:
        child.wait()


def test_acquire_refuse_renew_release(engine: Engine) -> None:
    me, other = f"{HOST}:{os.getpid()}:aaaa", f"{HOST}:{os.getpid()}:bbbb"
    assert acquire(engine, "daemon", me, TTL, T0)
    assert not acquire(engine, "daemon", other, TTL, T0 + timedelta(seconds=30))  # alive and not expired
    assert acquire(engine, "daemon", me, TTL, T0 + timedelta(seconds=30))  # re-entrant
    info = describe(engine, "daemon")
    assert info is not None
    assert (info.holder, info.acquired_at, info.expires_at) == (me, T0, T0 + timedelta(seconds=120))
    message = refusal(info, T0 + timedelta(seconds=60))
    assert me in message
    assert "expires 2025-03-20T12:02:00Z (in 60s" in message
    assert "\n" not in message
    assert acquire(engine, "item:conference:7", other, TTL, T0)  # leases are independent by name
    assert renew(engine, "daemon", me, TTL, T0 + timedelta(seconds=60))
    assert not renew(engine, "daemon", other, TTL, T0 + timedelta(seconds=60))
    assert describe(engine, "daemon").expires_at == T0 + timedelta(seconds=150)  # type: ignore[union-attr]
    assert not release(engine, "daemon", other)
    assert release(engine, "daemon", me)
    assert describe(engine, "daemon") is None
    assert acquire(engine, "daemon", other, TTL, T0 + timedelta(seconds=61))


def test_expired_and_dead_holders_are_taken_over(engine: Engine) -> None:
    # Expired: taken by anyone once expires_at < now; the old holder learns it lost on renewal.
    first, second = f"{HOST}:{os.getpid()}:aaaa", "elsewhere.example:4242:bbbb"
    assert acquire(engine, "expiring", first, TTL, T0)
    assert not acquire(engine, "expiring", second, TTL, T0 + TTL)
    assert acquire(engine, "expiring", second, TTL, T0 + TTL + timedelta(microseconds=1))
    assert not renew(engine, "expiring", first, TTL, T0 + TTL)
    assert describe(engine, "expiring").holder == second  # type: ignore[union-attr]
    # A dead process of this host: taken over at once, long before it expires.
    gone = f"{HOST}:{dead_pid()}:dead"
    assert acquire(engine, "daemon", gone, TTL, T0)
    me = new_holder()
    assert not acquire(engine, "daemon", me, TTL, T0 + timedelta(seconds=1), take_over_dead=False)
    assert acquire(engine, "daemon", me, TTL, T0 + timedelta(seconds=1))
    info = describe(engine, "daemon")
    assert info is not None
    assert (info.holder, info.acquired_at) == (me, T0 + timedelta(seconds=1))
    # Another host's process is never presumed dead: it must expire.
    assert acquire(engine, "remote", "elsewhere.example:1:cccc", TTL, T0)
    assert not acquire(engine, "remote", new_holder(), TTL, T0 + timedelta(seconds=89))


def race(engine: Engine, name: str, holders: list[str]) -> dict[str, bool]:
    """Every holder tries ``acquire`` at the same moment from its own thread."""
    barrier = threading.Barrier(len(holders))
    results: dict[str, bool] = {}
    errors: list[BaseException] = []

    def attempt(holder: str) -> None:
        try:
            barrier.wait()
            results[holder] = acquire(engine, name, holder, TTL, T0)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(holder,)) for holder in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    return results


def test_racing_threads_exactly_one_wins(engine: Engine) -> None:
    assert acquire(engine, "expired", "elsewhere.example:1:old", TTL, T0 - timedelta(hours=1))
    for name in ("free", "expired"):
        holders = [f"elsewhere.example:{100 + n}:{name}" for n in range(8)]
        results = race(engine, name, holders)
        winners = [holder for holder, won in results.items() if won]
        assert len(results) == len(holders)
        assert len(winners) == 1, name
        assert describe(engine, name).holder == winners[0]  # type: ignore[union-attr]
