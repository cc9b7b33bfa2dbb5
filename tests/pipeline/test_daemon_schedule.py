"""The daemon's scheduling, driven deterministically through APScheduler itself: an inline
(``DebugExecutor``) executor, an event queue fed by a scheduler listener, and time moved by shifting
every job's ``next_run_time`` back (``advance``) — what the scheduler sees when that much time passed.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
)
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from mapper.cli import app
from mapper.clock import FixedClock
from mapper.config import Settings
from mapper.errors import NotMigratedError
from mapper.pipeline.daemon import HEARTBEAT_JOB, LEASE_NAME, Daemon, default_scheduler, report_missed
from mapper.pipeline.jobs import JobSpec
from mapper.pipeline.lease import LeaseHeldError, describe
from mapper.report.write import daily_paths
from mapper.store import session_scope
from mapper.store.tables import JobRun, Lease
from mapper.sync.context import JobContext, StepResult

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
YESTERDAY = NOW.date() - timedelta(days=1)
WATCHED = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES
START_UP = ["calendar_sync", "meet_collect", "resolve", "retention_purge"]


class Events:
    """The scheduler's job events, in the order the scheduler thread dispatched them."""

    def __init__(self) -> None:
        self.queue: queue.Queue[JobEvent] = queue.Queue()

    def listen(self, scheduler: BaseScheduler) -> BaseScheduler:
        scheduler.add_listener(self.queue.put, WATCHED)
        return scheduler

    def until(self, job_id: str, timeout: float = 15.0) -> list[tuple[str, int]]:
        """(job id, event code) of every event up to and including ``job_id`` being executed."""
        seen: list[tuple[str, int]] = []
        while True:
            event = self.queue.get(timeout=timeout)
            if event.job_id == job_id and event.code == EVENT_JOB_EXECUTED:
                return seen
            seen.append((event.job_id, event.code))


def inline(events: Events) -> Callable[[], BaseScheduler]:
    def make() -> BaseScheduler:
        executors = {"default": DebugExecutor(), "lease": DebugExecutor()}
        return events.listen(BackgroundScheduler(timezone=UTC, executors=executors))

    return make


def mark(scheduler: BaseScheduler) -> None:
    """A no-op job due now: its event closes the batch of jobs due before it."""
    scheduler.add_job(lambda: None, "date", run_date=datetime.now(UTC), id="marker", replace_existing=True)


def advance(daemon: Daemon, events: Events, delta: timedelta) -> list[str]:
    """Let ``delta`` pass for the scheduler; returns the jobs that ran, in order (heartbeat left out)."""
    scheduler = daemon.scheduler
    scheduler.pause()
    for job in scheduler.get_jobs():
        job.modify(next_run_time=job.next_run_time - delta)
    mark(scheduler)
    scheduler.resume()
    seen = events.until("marker")
    assert all(code == EVENT_JOB_EXECUTED for _, code in seen), seen
    return [job for job, _ in seen if job != HEARTBEAT_JOB]


def settings_for(url: str, tmp_path: Path, **schedule: Any) -> Settings:
    return Settings(
        database={"url": url},
        schedule={"resolve_minutes": 5, "calendar_sync_minutes": 10, "meet_collect_minutes": 15, **schedule},
        reports={"output_dir": tmp_path / "reports"},
    )


def job_runs(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [(row.job, row.outcome) for row in session.execute(select(JobRun).order_by(JobRun.id)).scalars()]  # type: ignore[arg-type]


def write_yesterdays_report(tmp_path: Path) -> None:
    for path in daily_paths(YESTERDAY, tmp_path / "reports"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("written before")


@pytest.fixture
def url(sqlite_engine: Engine) -> str:
    return sqlite_engine.url.render_as_string(hide_password=False)


@pytest.fixture
def stopper() -> Iterator[list[Daemon]]:
    daemons: list[Daemon] = []
    yield daemons
    for daemon in daemons:
        daemon.shutdown()


def test_jobs_run_at_start_up_then_on_their_intervals(
    sqlite_engine: Engine, url: str, tmp_path: Path, stopper: list[Daemon]
) -> None:
    write_yesterdays_report(tmp_path)  # not missed: the daily report waits for its time
    events = Events()
    daemon = Daemon(settings_for(url, tmp_path, report_time="00:00"), FixedClock(NOW), inline(events))
    stopper.append(daemon)
    daemon.start()
    assert [job for job, _ in events.until("retention_purge")] == START_UP[:-1]
    jobs = {job.id: job for job in daemon.scheduler.get_jobs()}
    first = jobs["resolve"].next_run_time - timedelta(minutes=5)
    assert jobs["calendar_sync"].next_run_time - first == timedelta(minutes=10) - timedelta(milliseconds=2)
    tomorrow = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(0), UTC)
    assert jobs["daily_report"].next_run_time == tomorrow
    assert jobs["retention_purge"].trigger.interval == timedelta(hours=24)

    assert advance(daemon, events, timedelta(minutes=5)) == ["resolve"]
    assert advance(daemon, events, timedelta(minutes=5)) == ["calendar_sync", "resolve"]
    assert advance(daemon, events, timedelta(minutes=5)) == ["meet_collect", "resolve"]
    assert advance(daemon, events, timedelta(minutes=4)) == []
    assert [job for job, outcome in job_runs(sqlite_engine)] == [
        *START_UP,
        "resolve",
        "calendar_sync",
        "resolve",
        "meet_collect",
        "resolve",
    ]
    assert {outcome for _, outcome in job_runs(sqlite_engine)} == {"ok"}


def test_missed_runs_are_coalesced_into_one(
    sqlite_engine: Engine, url: str, tmp_path: Path, stopper: list[Daemon]
) -> None:
    write_yesterdays_report(tmp_path)
    events = Events()
    daemon = Daemon(settings_for(url, tmp_path, report_time="00:00"), FixedClock(NOW), inline(events))
    stopper.append(daemon)
    daemon.start()
    events.until("retention_purge")
    lease_before = describe(sqlite_engine, LEASE_NAME)
    # A whole day passes (the machine slept): 288 resolve runs, 144 syncs... each runs once.
    ran = advance(daemon, events, timedelta(days=1))
    assert sorted(ran) == sorted([*START_UP, "daily_report"])
    runs = [job for job, _ in job_runs(sqlite_engine)]
    assert {job: runs.count(job) for job in runs} == dict.fromkeys(START_UP, 2) | {"daily_report": 1}
    lease_after = describe(sqlite_engine, LEASE_NAME)
    assert lease_before is not None
    assert lease_after is not None
    assert lease_after.expires_at > lease_before.expires_at  # the heartbeat ran too


def test_jobs_missed_by_days_still_run_once(
    sqlite_engine: Engine, url: str, tmp_path: Path, stopper: list[Daemon]
) -> None:
    write_yesterdays_report(tmp_path)
    events = Events()
    daemon = Daemon(settings_for(url, tmp_path, report_time="00:00"), FixedClock(NOW), inline(events))
    stopper.append(daemon)
    daemon.start()
    events.until("retention_purge")
    # Three days and some hours asleep: whatever the wall-clock hour, every job is hours past due
    # (the daily ones included) and still runs, once.
    ran = advance(daemon, events, timedelta(days=3, hours=7))
    assert sorted(ran) == sorted([*START_UP, "daily_report"])


def test_a_failing_job_is_recorded_and_the_scheduler_goes_on(
    sqlite_engine: Engine, url: str, tmp_path: Path, stopper: list[Daemon]
) -> None:
    (tmp_path / "reports").write_text("a file where the report folder should be")
    events = Events()
    # report_time 00:00 has always passed today and the report is missing: it runs at start-up.
    daemon = Daemon(settings_for(url, tmp_path, report_time="00:00"), FixedClock(NOW), inline(events))
    stopper.append(daemon)
    daemon.start()
    assert [job for job, code in events.until("daily_report") if code == EVENT_JOB_EXECUTED] == START_UP
    assert job_runs(sqlite_engine)[-1] == ("daily_report", "failed")
    with session_scope(sqlite_engine) as session:
        error = session.execute(select(JobRun.error).where(JobRun.job == "daily_report")).scalar_one()  # type: ignore[call-overload]
    assert error.startswith(("FileExistsError", "NotADirectoryError"))
    assert advance(daemon, events, timedelta(minutes=5)) == ["resolve"]
    assert job_runs(sqlite_engine)[-1] == ("resolve", "ok")


def test_a_slow_job_never_stacks(sqlite_engine: Engine, url: str, tmp_path: Path, stopper: list[Daemon]) -> None:
    """The production scheduler (one worker thread): a job still running when due again is not
    started a second time, however many runs it missed."""
    started, release = threading.Event(), threading.Event()

    def slow(_ctx: JobContext) -> StepResult:
        started.set()
        release.wait(30)
        return StepResult("slow")

    events = Events()
    daemon = Daemon(
        settings_for(url, tmp_path),
        FixedClock(NOW),
        lambda: events.listen(default_scheduler()),
        specs=[JobSpec("slow", slow, "interval", 60)],
    )
    stopper.append(daemon)
    daemon.start()
    assert started.wait(10)
    daemon.scheduler.modify_job("slow", next_run_time=datetime.now(UTC) - timedelta(minutes=10))
    event = events.queue.get(timeout=10)
    assert (event.job_id, event.code) == ("slow", EVENT_JOB_MAX_INSTANCES)
    release.set()
    event = events.queue.get(timeout=10)
    assert (event.job_id, event.code) == ("slow", EVENT_JOB_EXECUTED)
    assert job_runs(sqlite_engine) == [("slow", "ok")]
    job = daemon.scheduler.get_job("slow")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)


def test_a_job_that_does_not_stop_in_time_is_abandoned(sqlite_engine: Engine, url: str, tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()

    def stuck(_ctx: JobContext) -> StepResult:  # ignores ctx.stop, like an HTTP call that hangs
        started.set()
        release.wait(30)
        return StepResult("stuck")

    daemon = Daemon(
        settings_for(url, tmp_path),
        FixedClock(NOW),
        specs=[JobSpec("stuck", stuck, "interval", 60)],
        shutdown_timeout=0.2,
    )
    daemon.start()
    assert started.wait(10)
    try:
        assert daemon.shutdown() == 1
        assert daemon.abandoned
        assert job_runs(sqlite_engine) == [("stuck", "abandoned")]
        assert describe(sqlite_engine, LEASE_NAME) is None
    finally:
        release.set()
        daemon.ctx.engine.dispose()


def test_sigterm_stops_the_daemon_and_releases_the_lease(sqlite_engine: Engine, url: str, tmp_path: Path) -> None:
    write_yesterdays_report(tmp_path)
    events = Events()
    daemon = Daemon(settings_for(url, tmp_path), FixedClock(NOW), inline(events))

    def terminate_when_ready() -> None:
        events.until("retention_purge")
        for _ in range(500):
            if signal.getsignal(signal.SIGTERM) == daemon._on_signal:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            threading.Event().wait(0.01)

    killer = threading.Thread(target=terminate_when_ready)
    killer.start()
    before = signal.getsignal(signal.SIGTERM)
    assert daemon.run() == 0
    killer.join()
    assert signal.getsignal(signal.SIGTERM) == before
    assert describe(sqlite_engine, LEASE_NAME) is None
    assert "running" not in {outcome for _, outcome in job_runs(sqlite_engine)}


def test_a_second_daemon_on_the_same_store_refuses(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    first = Daemon(settings_for(url, tmp_path), FixedClock(NOW))
    first.open()
    try:
        with pytest.raises(LeaseHeldError, match=rf"holds the 'daemon' lease on this store: {first.holder} "):
            Daemon(settings_for(url, tmp_path), FixedClock(NOW)).open()
    finally:
        first.shutdown()
    second = Daemon(settings_for(url, tmp_path), FixedClock(NOW))
    second.open()
    second.shutdown()


def test_losing_the_lease_stops_the_daemon(sqlite_engine: Engine, url: str, tmp_path: Path) -> None:
    daemon = Daemon(settings_for(url, tmp_path), FixedClock(NOW))
    daemon.open()
    with session_scope(sqlite_engine) as session:
        session.execute(update(Lease).values(holder="elsewhere.example:1:thief"))
    daemon.heartbeat()
    assert daemon.lost_lease
    assert daemon.stop_requested.is_set()
    assert daemon.ctx.stopping()
    assert daemon.shutdown() == 1
    assert describe(sqlite_engine, LEASE_NAME).holder == "elsewhere.example:1:thief"  # type: ignore[union-attr]


def test_report_missed_only_after_its_time_without_its_file() -> None:
    assert report_missed(datetime(2025, 3, 20, 7, 0, tzinfo=UTC), time(6, 0), report_exists=False)
    assert not report_missed(datetime(2025, 3, 20, 7, 0, tzinfo=UTC), time(6, 0), report_exists=True)
    assert not report_missed(datetime(2025, 3, 20, 5, 59, tzinfo=UTC), time(6, 0), report_exists=False)


def test_the_cli_refuses_an_unmigrated_store(tmp_path: Path) -> None:
    config = tmp_path / "mapper.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/empty.db"\n[google]\ncredentials = "none"\n')
    result = CliRunner().invoke(app, ["--config", str(config), "daemon", "--once"])
    assert result.exit_code == 2
    assert "run `mapper db upgrade`" in result.output
    with pytest.raises(NotMigratedError):
        Daemon(Settings(database={"url": f"sqlite:///{tmp_path}/empty.db"})).open()


def test_the_cli_runs_chosen_jobs_once(url: str, tmp_path: Path) -> None:
    config = tmp_path / "mapper.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[google]\ncredentials = "none"\n')
    result = CliRunner().invoke(app, ["--config", str(config), "daemon", "--once", "--only", "resolve", "--json"])
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)
    assert (outcome["name"], outcome["outcome"], outcome["counts"]) == ("resolve", "ok", {})
    unknown = CliRunner().invoke(app, ["--config", str(config), "daemon", "--once", "--only", "nope"])
    assert unknown.exit_code == 2
    assert "unknown job(s) nope" in unknown.output
