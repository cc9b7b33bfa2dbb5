"""The daemon's jobs: one thin function per step, and the wrapper that records every run.

A job is a step function ``(JobContext) -> StepResult``.  :func:`run_recorded` writes a
``job_run`` row (``running``) before the step, and after it ``ok``, ``partial`` (the problems, or a
shutdown that left work for the next run, in ``error``) or ``failed`` (the exception) with the
step's counts and the holder.  No exception escapes it, so a failing job never stops the
scheduler.  Every step is idempotent and commits one item at a time, so a run that dies halfway
(its row stays ``running`` and is marked ``abandoned`` by the next daemon) loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy import Table as SATable

from mapper.clock import Clock, SystemClock
from mapper.config import Settings
from mapper.pipeline.cycle import steps
from mapper.pipeline.lease import HolderState, holder_state
from mapper.pipeline.retention import purge
from mapper.store.tables import JobRun
from mapper.sync.context import JobContext, StepResult

log = logging.getLogger("mapper.daemon")

JOB_RUN: SATable = JobRun.__table__  # type: ignore[attr-defined]
Step = Callable[[JobContext], StepResult]

#: Daemon job name of each cycle step.
STEP_JOBS = {"calendars": "calendar_sync", "meet": "meet_collect", "recall": "recall_collect", "resolve": "resolve"}
#: How many problems a ``partial`` run keeps in its ``error`` text.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class JobSpec:
    """A job the daemon schedules: ``every`` an interval, or ``at`` a daily UTC time (cron)."""

    name: str
    step: Step
    kind: str  # "interval" | "daily"
    seconds: int = 0  # interval jobs


@dataclass(frozen=True)
class RunOutcome:
    name: str
    run_id: int | None
    outcome: str  # ok | partial | failed | skipped
    counts: dict[str, int]
    error: str | None = None


def daily_report(ctx: JobContext) -> StepResult:
    """Write yesterday's (per the clock) HTML + CSV report into ``reports.output_dir``."""
    from mapper.report.write import write_daily_report

    result = StepResult("daily_report")
    paths = write_daily_report(ctx.engine, None, ctx.settings.reports.output_dir, ctx.clock)
    result.counts["files"] = len(paths)
    return result


def job_specs(settings: Settings) -> list[JobSpec]:
    """Every job of the daemon, in the order they first run at start-up."""
    schedule = settings.schedule
    minutes = {
        "calendars": schedule.calendar_sync_minutes,
        "meet": schedule.meet_collect_minutes,
        "recall": schedule.recall_collect_minutes,
        "resolve": schedule.resolve_minutes,
    }
    specs = [JobSpec(STEP_JOBS[name], step, "interval", minutes[name] * 60) for name, step in steps(settings)]
    specs.append(JobSpec("retention_purge", purge, "interval", schedule.retention_purge_hours * 3600))
    specs.append(JobSpec("daily_report", daily_report, "daily"))
    return specs


def run_recorded(name: str, step: Step, ctx: JobContext, holder: str, wall: Clock | None = None) -> RunOutcome:
    """Run one job and record it in ``job_run``; never raises (a failure is recorded and logged)."""
    wall = wall or SystemClock()
    if ctx.stopping():
        return RunOutcome(name, None, "skipped", {})
    try:
        run_id = start_run(ctx.engine, name, holder, wall.now())
    except Exception:
        log.exception("job %s: cannot record its start; not run", name)
        return RunOutcome(name, None, "failed", {}, "cannot record the run")
    log.info("job %s: started (run %d)", name, run_id)
    try:
        result = step(ctx)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.exception("job %s: failed", name)
        return _finish(ctx.engine, run_id, name, "failed", {}, error, wall)
    counts = {key: int(value) for key, value in sorted(result.counts.items())}
    problems = list(result.problems)
    left = sum(value for key, value in counts.items() if key.endswith("_left_for_next_run"))
    if ctx.stopping() and left:
        problems.append(f"stopped by shutdown: {left} item(s) left for the next run")
    if not problems:
        return _finish(ctx.engine, run_id, name, "ok", counts, None, wall)
    return _finish(ctx.engine, run_id, name, "partial", counts, problem_text(problems), wall)


def problem_text(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    return "\n".join([*shown, *([f"… and {more} more"] if more else [])])


def _finish(
    engine: Engine, run_id: int, name: str, outcome: str, counts: dict[str, int], error: str | None, wall: Clock
) -> RunOutcome:
    try:
        finish_run(engine, run_id, outcome, counts, error, wall.now())
    except Exception:
        log.exception("job %s: cannot record its end (run %d stays 'running')", name, run_id)
    log.info("job %s: %s %s", name, outcome, {k: v for k, v in counts.items() if v})
    return RunOutcome(name, run_id, outcome, counts, error)


def start_run(engine: Engine, job: str, holder: str, now: datetime) -> int:
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(JOB_RUN)
            .values(job=job, started_at=now, outcome="running", counts={}, holder=holder)
            .returning(JOB_RUN.c.id)
        ).scalar_one()
    return int(run_id)


def finish_run(
    engine: Engine, run_id: int, outcome: str, counts: dict[str, Any], error: str | None, now: datetime
) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(JOB_RUN)
            .where(JOB_RUN.c.id == run_id)
            .values(outcome=outcome, counts=counts, error=error, finished_at=now)
        )


def abandon_stale_runs(engine: Engine, current_holder: str, now: datetime) -> int:
    """Mark ``running`` rows of gone processes ``abandoned``; returns how many.

    Called by the daemon right after it took the lease: the lease proves no other daemon runs on
    this store, so every ``running`` row of another holder belongs to a process that died or lost
    its lease (a dead local pid is said so in the row's error)."""
    with engine.begin() as connection:
        rows = connection.execute(select(JOB_RUN.c.id, JOB_RUN.c.holder).where(JOB_RUN.c.outcome == "running")).all()
        stale = [row for row in rows if row.holder != current_holder]
        for row in stale:
            dead = row.holder is not None and holder_state(row.holder) is HolderState.DEAD
            why = "its process is gone" if dead else "its holder no longer holds the daemon lease"
            connection.execute(
                update(JOB_RUN)
                .where(JOB_RUN.c.id == row.id, JOB_RUN.c.outcome == "running")
                .values(outcome="abandoned", finished_at=now, error=f"abandoned: {why} ({row.holder})")
            )
    return len(stale)


def abandon_own_runs(engine: Engine, holder: str, now: datetime, why: str) -> int:
    """Mark this holder's ``running`` rows ``abandoned`` (a shutdown that could not wait for them)."""
    with engine.begin() as connection:
        outcome = connection.execute(
            update(JOB_RUN)
            .where(JOB_RUN.c.holder == holder, JOB_RUN.c.outcome == "running")
            .values(outcome="abandoned", finished_at=now, error=f"abandoned: {why}")
        )
    return int(outcome.rowcount or 0)


__all__ = [
    "STEP_JOBS",
    "JobSpec",
    "RunOutcome",
    "abandon_own_runs",
    "abandon_stale_runs",
    "daily_report",
    "finish_run",
    "job_specs",
    "problem_text",
    "run_recorded",
    "start_run",
]
