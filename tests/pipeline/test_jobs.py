"""Job runs are recorded (running → ok / partial / failed) and no exception escapes a job; stale
``running`` rows of gone daemons are marked abandoned; the daemon's job list follows the config."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mapper.clock import FixedClock
from mapper.config import Settings
from mapper.pipeline.jobs import abandon_stale_runs, job_specs, run_recorded, start_run
from mapper.report.write import daily_paths
from mapper.sources.factory import Sources
from mapper.store import session_scope
from mapper.store.tables import JobRun
from mapper.sync.context import JobContext, StepResult

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
HOLDER = f"{socket.gethostname()}:{os.getpid()}:test"


def context(engine: Engine, **sections: Any) -> JobContext:
    settings = Settings(**sections)
    return JobContext(engine=engine, settings=settings, clock=FixedClock(NOW), sources=Sources(settings))


def runs(engine: Engine) -> list[JobRun]:
    with session_scope(engine) as session:
        return list(session.execute(select(JobRun).order_by(JobRun.id)).scalars())  # type: ignore[arg-type]


def counted(step: str, problems: list[str] | None = None, **counts: int) -> StepResult:
    return StepResult(step, Counter(counts), list(problems or []))


def test_a_successful_run_is_recorded_ok_with_counts_and_holder(engine: Engine) -> None:
    wall = FixedClock(NOW)
    seen: list[str] = []

    def step(ctx: JobContext) -> StepResult:
        (row,) = runs(ctx.engine)
        seen.append(row.outcome)  # recorded before the step starts
        wall.advance(timedelta(seconds=3))
        return counted("resolve", conferences=4, mappings_written=9)

    outcome = run_recorded("resolve", step, context(engine), HOLDER, wall)
    assert (outcome.outcome, outcome.counts) == ("ok", {"conferences": 4, "mappings_written": 9})
    assert seen == ["running"]
    (row,) = runs(engine)
    assert (row.job, row.outcome, row.holder, row.error) == ("resolve", "ok", HOLDER, None)
    assert row.counts == {"conferences": 4, "mappings_written": 9}
    assert (row.started_at, row.finished_at) == (NOW, NOW + timedelta(seconds=3))


def test_problems_make_a_partial_run(engine: Engine) -> None:
    problems = [f"meet abc-defg-h{n:02d}: 503" for n in range(25)]
    outcome = run_recorded(
        "meet_collect", lambda _ctx: counted("meet", problems, meetings_failed=25), context(engine), HOLDER
    )
    assert outcome.outcome == "partial"
    (row,) = runs(engine)
    assert row.outcome == "partial"
    assert row.counts == {"meetings_failed": 25}
    assert row.error is not None
    assert row.error.splitlines()[0] == "meet abc-defg-h00: 503"
    assert row.error.splitlines()[-1] == "… and 5 more"


def test_an_exception_is_recorded_failed_and_never_escapes(engine: Engine) -> None:
    def broken(_ctx: JobContext) -> StepResult:
        raise ZeroDivisionError("division by zero")

    outcome = run_recorded("resolve", broken, context(engine), HOLDER)
    assert (outcome.outcome, outcome.error) == ("failed", "ZeroDivisionError: division by zero")
    (row,) = runs(engine)
    assert (row.outcome, row.error, row.counts) == ("failed", "ZeroDivisionError: division by zero", {})
    assert row.finished_at is not None


def test_a_shutdown_skips_new_runs_and_marks_interrupted_ones_partial(engine: Engine) -> None:
    ctx = context(engine)

    def interrupted(ctx: JobContext) -> StepResult:
        ctx.stop.set()  # SIGTERM arrives while the step runs
        return counted("resolve", conferences=2, conferences_left_for_next_run=3)

    assert run_recorded("resolve", interrupted, ctx, HOLDER).outcome == "partial"
    assert run_recorded("resolve", interrupted, ctx, HOLDER).outcome == "skipped"
    (row,) = runs(engine)
    assert row.error == "stopped by shutdown: 3 item(s) left for the next run"


def test_stale_running_rows_of_other_holders_are_abandoned(engine: Engine) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = f"{socket.gethostname()}:{child.pid}:gone"
    start_run(engine, "resolve", dead, NOW)
    start_run(engine, "meet_collect", "elsewhere.example:7:lost", NOW)
    mine = start_run(engine, "calendar_sync", HOLDER, NOW)
    run_recorded("resolve", lambda _ctx: counted("resolve"), context(engine), dead)  # finished: untouched
    assert abandon_stale_runs(engine, HOLDER, NOW + timedelta(minutes=1)) == 2
    rows = {row.job: row for row in runs(engine) if row.outcome != "ok"}
    assert {job: row.outcome for job, row in rows.items()} == {
        "resolve": "abandoned",
        "meet_collect": "abandoned",
        "calendar_sync": "running",
    }
    assert rows["resolve"].error == f"abandoned: its process is gone ({dead})"
    assert (
        rows["meet_collect"].error
        == "abandoned: its holder no longer holds the daemon lease (elsewhere.example:7:lost)"
    )
    assert rows["resolve"].finished_at == NOW + timedelta(minutes=1)
    assert rows["calendar_sync"].id == mine
    assert abandon_stale_runs(engine, HOLDER, NOW) == 0


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({}, ["calendar_sync", "meet_collect", "resolve", "retention_purge", "daily_report"]),
        (
            {"recall": {"enabled": True}, "meet": {"enabled": False}},
            ["calendar_sync", "recall_collect", "resolve", "retention_purge", "daily_report"],
        ),
    ],
    ids=["default", "recall-without-meet"],
)
def test_one_job_per_step_plus_report_and_purge(sections: dict[str, Any], expected: list[str]) -> None:
    specs = job_specs(Settings(**sections))
    assert [spec.name for spec in specs] == expected


def test_intervals_come_from_the_schedule() -> None:
    schedule = {
        "calendar_sync_minutes": 7,
        "meet_collect_minutes": 11,
        "resolve_minutes": 3,
        "retention_purge_hours": 6,
    }
    specs = {spec.name: spec for spec in job_specs(Settings(schedule=schedule))}
    assert {name: (spec.kind, spec.seconds) for name, spec in specs.items()} == {
        "calendar_sync": ("interval", 420),
        "meet_collect": ("interval", 660),
        "resolve": ("interval", 180),
        "retention_purge": ("interval", 6 * 3600),
        "daily_report": ("daily", 0),
    }


def test_the_daily_report_job_writes_yesterdays_report(sqlite_engine: Engine, tmp_path: Path) -> None:
    specs = {spec.name: spec for spec in job_specs(Settings())}
    ctx = context(sqlite_engine, reports={"output_dir": tmp_path / "reports"})
    outcome = run_recorded("daily_report", specs["daily_report"].step, ctx, HOLDER)
    assert (outcome.outcome, outcome.counts) == ("ok", {"files": 2})
    assert all(path.is_file() for path in daily_paths(NOW.date() - timedelta(days=1), tmp_path / "reports"))
