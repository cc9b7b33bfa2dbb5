"""The report scenario written into a fresh store, and its report."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from mapper.clock import FixedClock
from mapper.report import Report, ReportQuery, build_report
from mapper.store import make_engine, upgrade
from tests.report.scenario import NOW, write_scenario

WEEK = ReportQuery.for_days(date(2025, 3, 3), date(2025, 3, 5))


@pytest.fixture
def world(sqlite_engine: Engine) -> Engine:
    """The scenario on SQLite (tests about rendering)."""
    write_scenario(sqlite_engine)
    return sqlite_engine


@pytest.fixture
def any_world(engine: Engine) -> Engine:
    """The scenario on each backend (tests about the queries)."""
    write_scenario(engine)
    return engine


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The week's report, built once (it is immutable) for the tests about output formats."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('report')}/mapper.db")
    upgrade(engine)
    write_scenario(engine)
    try:
        return build_report(engine, WEEK, clock=FixedClock(NOW))
    finally:
        engine.dispose()
