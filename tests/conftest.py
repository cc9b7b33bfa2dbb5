"""Shared fixtures: a fresh store per test (SQLite, and PostgreSQL where reachable — always in CI)
and sandbox servers that are closed after the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

from mapper.sandbox import SandboxServer
from mapper.store import make_engine, upgrade

POSTGRES_URL = os.environ.get("MAPPER_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test")
IN_CI = bool(os.environ.get("CI"))


def _postgres_problem() -> str | None:
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001  (any failure means "not reachable")
        return f"PostgreSQL at {POSTGRES_URL} unreachable: {type(exc).__name__}: {exc}".splitlines()[0]
    return None


_PG_PROBLEM: list[str | None] = []


def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped afterwards)."""
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(_postgres_problem())
    problem = _PG_PROBLEM[0]
    if problem is not None:
        if IN_CI:
            pytest.fail(f"{problem} (CI must run the PostgreSQL tests)")
        pytest.skip(problem)
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/mapper.db"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """A migrated, empty store on each backend."""
    engine = make_engine(store_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Any) -> Iterator[Engine]:
    """A migrated, empty SQLite store (for tests that are about something other than the backend)."""
    engine = make_engine(f"sqlite:///{tmp_path}/mapper.db")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., SandboxServer]]:
    """``make(scenario, faults=None, ...)`` starts a sandbox; all are closed after the test."""
    servers: list[SandboxServer] = []

    def make(scenario: Any, **kwargs: Any) -> SandboxServer:
        server = SandboxServer(scenario, **kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()
