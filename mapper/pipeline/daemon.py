"""``mapper daemon``: every job on its schedule, one instance per store, clean stop on a signal.

The scheduler is an APScheduler 3 ``BackgroundScheduler`` in UTC.  Jobs run on **one** worker
thread (a ``ThreadPoolExecutor`` of size 1): two jobs never write at the same time (SQLite has one
writer), and the jobs of a cycle run in the order they were due.  Every job has ``coalesce=True``
(runs missed while the worker was busy collapse into one) and ``max_instances=1`` (a slow job is
never queued twice), and no misfire grace limit: with one worker a job that waited behind a slow
one, or a machine that slept, makes runs late, and a late run of an idempotent job is still wanted.
The lease heartbeat has its own executor so a long job cannot let the lease expire.

Start-up: check the schema, take the ``daemon`` lease (or refuse), mark ``running`` job rows of
dead holders ``abandoned``, then run every interval job at once (in cycle order) and on its
interval; ``daily_report`` runs at ``schedule.report_time`` UTC (and at start-up when today's run
was missed).  Stop (SIGTERM / SIGINT): set ``ctx.stop`` so the running step returns after its
current item, wait for it, release the lease.  A second signal, or a job that does not return
within ``shutdown_timeout``, abandons the item: its transaction is rolled back by the database
when the process exits, and the next start marks the run ``abandoned``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from mapper.clock import Clock, SystemClock, clock_for
from mapper.config import Settings
from mapper.pipeline.cycle import build_context
from mapper.pipeline.jobs import JobSpec, RunOutcome, abandon_own_runs, abandon_stale_runs, job_specs, run_recorded
from mapper.pipeline.lease import LeaseHeldError, acquire, describe, new_holder, refusal, release, renew
from mapper.report.write import daily_paths
from mapper.sources.factory import Sources
from mapper.sync.context import JobContext

log = logging.getLogger("mapper.daemon")

LEASE_NAME = "daemon"
LEASE_TTL = timedelta(seconds=90)
HEARTBEAT_SECONDS = 20.0
#: How late a due run may start and still run: no limit.  Jobs are idempotent, so a run that waited
#: behind a slow job, or a daily report due while the machine slept, is still wanted (once: coalesced).
MISFIRE_GRACE_SECONDS: int | None = None
SHUTDOWN_TIMEOUT = 60.0
HEARTBEAT_JOB = "lease_heartbeat"
LEASE_EXECUTOR = "lease"
#: Exit status when the daemon lost its lease or had to abandon a job.
EXIT_TROUBLE = 1

SchedulerFactory = Callable[[], BaseScheduler]


def default_scheduler() -> BaseScheduler:
    """Background scheduler, UTC, one worker thread for the jobs (the heartbeat gets its own)."""
    return BackgroundScheduler(timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=1)})


def _lease_executor(scheduler: BaseScheduler) -> None:
    """Give the heartbeat its own worker unless the factory chose one (tests: an inline executor)."""
    with contextlib.suppress(ValueError):  # raised when the alias is taken already
        scheduler.add_executor(ThreadPoolExecutor(max_workers=1), alias=LEASE_EXECUTOR)


def report_missed(now: datetime, report_time: time, report_exists: bool) -> bool:
    """Today's report time has passed and its report is not on disk (the daemon was down)."""
    return now.time() >= report_time and not report_exists


class Daemon:
    """Schedules the jobs of ``settings`` until stopped; see the module documentation."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        scheduler_factory: SchedulerFactory = default_scheduler,
        *,
        wall: Clock | None = None,
        sources: Sources | None = None,
        specs: Sequence[JobSpec] | None = None,
        holder: str | None = None,
        lease_ttl: timedelta = LEASE_TTL,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        shutdown_timeout: float = SHUTDOWN_TIMEOUT,
    ) -> None:
        self.settings = settings
        self.clock = clock or clock_for(settings.clock.now)  # the data clock the steps use
        self.wall = wall or SystemClock()  # job-run stamps and lease expiry: always real time
        self.scheduler_factory = scheduler_factory
        self.specs = list(specs) if specs is not None else job_specs(settings)
        self.holder = holder or new_holder()
        self.lease_ttl = lease_ttl
        self.heartbeat_seconds = heartbeat_seconds
        self.shutdown_timeout = shutdown_timeout
        self.stop_requested = threading.Event()
        self.lost_lease = False
        self.abandoned = False  # a job was left running at shutdown: exit the process hard
        self._sources = sources
        self._ctx: JobContext | None = None
        self._scheduler: BaseScheduler | None = None
        self._signals = 0

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def ctx(self) -> JobContext:
        if self._ctx is None:
            raise RuntimeError("the daemon is not open")
        return self._ctx

    @property
    def scheduler(self) -> BaseScheduler:
        if self._scheduler is None:
            raise RuntimeError("the daemon is not started")
        return self._scheduler

    def open(self) -> JobContext:
        """Check the store's schema, take the lease (or raise :class:`LeaseHeldError`), abandon stale runs."""
        ctx = build_context(self.settings, clock=self.clock, sources=self._sources)
        now = self.wall.now()
        if not acquire(ctx.engine, LEASE_NAME, self.holder, self.lease_ttl, now):
            info = describe(ctx.engine, LEASE_NAME)
            ctx.engine.dispose()
            raise LeaseHeldError(refusal(info, now) if info else "could not take the daemon lease; try again")
        abandoned = abandon_stale_runs(ctx.engine, self.holder, now)
        if abandoned:
            log.warning("marked %d job run(s) of a previous daemon 'abandoned'", abandoned)
        self._ctx = ctx
        log.info("daemon %s holds the %r lease (ttl %ss)", self.holder, LEASE_NAME, int(self.lease_ttl.total_seconds()))
        return ctx

    def start(self) -> BaseScheduler:
        """Open, schedule every job (interval jobs due at once), start the scheduler."""
        self.open()
        scheduler = self.scheduler_factory()
        try:
            self.schedule(scheduler)
            scheduler.start()
        except BaseException:
            self._close()
            raise
        self._scheduler = scheduler
        return scheduler

    def schedule(self, scheduler: BaseScheduler) -> None:
        """Add the heartbeat and every job to ``scheduler``."""
        now = datetime.now(UTC)  # the scheduler's own time base
        self._schedule_heartbeat(scheduler)
        for index, spec in enumerate(self.specs):
            soon = now + timedelta(milliseconds=index)  # staggered: the start-up cycle runs in order
            trigger: IntervalTrigger | CronTrigger
            if spec.kind == "daily":
                at = self.settings.schedule.report_time
                trigger = CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=UTC)
                first = soon if self._report_missed(now) else trigger.get_next_fire_time(None, now)
            else:
                trigger = IntervalTrigger(seconds=spec.seconds, timezone=UTC)
                first = soon
            scheduler.add_job(
                self.run_job,
                trigger,
                args=[spec],
                id=spec.name,
                name=spec.name,
                next_run_time=first,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
                replace_existing=True,
            )

    def _schedule_heartbeat(self, scheduler: BaseScheduler) -> None:
        _lease_executor(scheduler)
        scheduler.add_job(
            self.heartbeat,
            IntervalTrigger(seconds=self.heartbeat_seconds, timezone=UTC),
            id=HEARTBEAT_JOB,
            name=HEARTBEAT_JOB,
            executor=LEASE_EXECUTOR,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self.heartbeat_seconds)),
        )

    def _report_missed(self, now: datetime) -> bool:
        day = self.clock.now().date() - timedelta(days=1)
        exists = all(path.exists() for path in daily_paths(day, self.settings.reports.output_dir))
        return report_missed(now, self.settings.schedule.report_time, exists)

    def run_job(self, spec: JobSpec) -> RunOutcome:
        """One recorded run of ``spec`` (what the scheduler calls)."""
        return run_recorded(spec.name, spec.step, self.ctx, self.holder, self.wall)

    def heartbeat(self) -> None:
        """Renew the lease; if another process has taken it, stop."""
        try:
            kept = renew(self.ctx.engine, LEASE_NAME, self.holder, self.lease_ttl, self.wall.now())
        except Exception:
            log.exception("lease renewal failed; will retry")
            return
        if not kept:
            holder = describe(self.ctx.engine, LEASE_NAME)
            log.error("lost the daemon lease (now held by %s); stopping", holder.holder if holder else "nobody")
            self.lost_lease = True
            self.request_stop()

    def request_stop(self) -> None:
        """Ask the running step to return after its current item and the daemon to stop."""
        if self._ctx is not None:
            self._ctx.stop.set()
        self.stop_requested.set()

    def shutdown(self) -> int:
        """Stop the scheduler (waiting up to ``shutdown_timeout`` for the running job), release the lease."""
        self.request_stop()
        if self._scheduler is not None:
            scheduler, self._scheduler = self._scheduler, None
            done = threading.Event()

            def stop_scheduler() -> None:
                scheduler.shutdown(wait=True)
                done.set()

            threading.Thread(target=stop_scheduler, name="daemon-shutdown", daemon=True).start()
            if not done.wait(self.shutdown_timeout):
                log.error("the running job did not stop within %ss: abandoning its current item", self.shutdown_timeout)
                self.abandoned = True
                why = f"did not stop within {self.shutdown_timeout:g}s of the shutdown request"
                with contextlib.suppress(Exception):  # best effort: the next start marks it anyway
                    abandon_own_runs(self.ctx.engine, self.holder, self.wall.now(), why)
        self._close()
        return self.exit_code

    @property
    def exit_code(self) -> int:
        return EXIT_TROUBLE if self.lost_lease or self.abandoned else 0

    def _close(self) -> None:
        if self._ctx is None:
            return
        try:
            if not self.lost_lease:
                release(self._ctx.engine, LEASE_NAME, self.holder)
        except Exception:
            log.exception("could not release the lease (it expires by itself)")
        if not self.abandoned:  # else a worker is still inside an item: leave its connections alone
            self._ctx.sources.close()
            self._ctx.engine.dispose()
        log.info("daemon %s stopped", self.holder)

    # -- entry points ----------------------------------------------------------------------
    def run(self, *, handle_signals: bool = True) -> int:
        """Run until SIGTERM / SIGINT (or a lost lease); returns the exit status."""
        self.start()
        previous = self._install_signals() if handle_signals else {}
        try:
            while not self.stop_requested.wait(1.0):
                pass
        finally:
            code = self.shutdown()
            _restore_signals(previous)
        return code

    def run_once(self, only: Sequence[str] = (), *, handle_signals: bool = True) -> list[RunOutcome]:
        """Run every job (or those named in ``only``) once, in order, then release the lease."""
        self.open()
        previous: dict[int, Any] = {}
        outcomes: list[RunOutcome] = []
        try:
            heartbeat = self.scheduler_factory()
            self._schedule_heartbeat(heartbeat)
            heartbeat.start()
            self._scheduler = heartbeat
            previous = self._install_signals() if handle_signals else {}
            for spec in self.specs:
                if only and spec.name not in only:
                    continue
                if self.ctx.stopping():
                    break
                outcomes.append(self.run_job(spec))
        finally:
            self.shutdown()
            _restore_signals(previous)
        return outcomes

    # -- signals ---------------------------------------------------------------------------
    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        name = signal.Signals(signum).name
        if self._signals > 1:
            log.warning("%s again: abandoning the current item (rolled back) and exiting now", name)
            os._exit(128 + signum)
        log.info("%s: finishing the current item, then stopping", name)
        self.request_stop()


def _restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


__all__ = [
    "HEARTBEAT_JOB",
    "LEASE_NAME",
    "LEASE_TTL",
    "Daemon",
    "default_scheduler",
    "report_missed",
]
