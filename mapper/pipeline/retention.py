"""The retention purge: forget meetings older than ``retention.days``.

Deleted, in batches of :data:`BATCH` rows (one transaction each, so the purge can stop between
batches and a re-run simply continues):

* conferences that started before the cutoff — the foreign keys cascade to their participants,
  sessions, mappings and mapping history;
* calendar events that ended before the cutoff — cascading to invitees and collection progress
  (a conference still linked to one keeps its data, unlinked);
* People/Directory answers that expired before the cutoff;
* finished job runs that started before the cutoff.

Corrections and learned identities are kept: they teach future meetings.  The cutoff comes from the
job's clock, so a pinned clock purges relative to the pinned "now".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, select
from sqlalchemy import Table as SATable

from mapper.store.tables import CalendarEvent, Conference, JobRun, Mapping, Participant, PersonCache
from mapper.sync.context import JobContext, StepResult

BATCH = 500


def _t(model: Any) -> SATable:
    table = model.__table__
    assert isinstance(table, SATable)
    return table


def cutoff(ctx: JobContext) -> datetime:
    """Data that ended (or started, for conferences) before this instant is purged."""
    return ctx.clock.now() - timedelta(days=ctx.settings.retention.days)


def purge(ctx: JobContext) -> StepResult:
    """Delete everything older than the retention cutoff; returns the counts of deleted rows."""
    result = StepResult("retention_purge")
    result.counts.update(dict.fromkeys(("conferences", "participants", "mappings"), 0))
    limit = cutoff(ctx)
    conference, event, person, job_run = _t(Conference), _t(CalendarEvent), _t(PersonCache), _t(JobRun)
    done = _batches(ctx, result, "conferences", conference, conference.c.start_at < limit, cascade=_count_cascade)
    done = done and _batches(ctx, result, "calendar_events", event, event.c.end_at < limit)
    done = done and _batches(ctx, result, "person_cache", person, person.c.expires_at < limit)
    done = done and _batches(
        ctx, result, "job_runs", job_run, (job_run.c.started_at < limit) & (job_run.c.outcome != "running")
    )
    if not done:
        result.counts["batches_left_for_next_run"] += 1
    longest = max(ctx.settings.calendars.lookback_days, ctx.settings.meet.lookback_days)
    if ctx.settings.retention.days <= longest:
        result.problems.append(
            f"retention.days ({ctx.settings.retention.days}) is not above the sync look-back ({longest} days): "
            "purged meetings will be fetched again"
        )
    return result


def _batches(
    ctx: JobContext,
    result: StepResult,
    label: str,
    table: SATable,
    condition: ColumnElement[bool],
    *,
    cascade: Callable[[Connection, StepResult, list[int]], None] | None = None,
) -> bool:
    """Delete rows of ``table`` matching ``condition`` a batch at a time; False when stopped early."""
    result.counts[label] += 0
    while True:
        if ctx.stopping():
            return False
        with ctx.engine.begin() as connection:
            ids = list(
                connection.execute(select(table.c.id).where(condition).order_by(table.c.id).limit(BATCH)).scalars()
            )
            if not ids:
                return True
            if cascade is not None:
                cascade(connection, result, ids)
            connection.execute(delete(table).where(table.c.id.in_(ids)))
        result.counts[label] += len(ids)
        if len(ids) < BATCH:
            return True


def _count_cascade(connection: Connection, result: StepResult, conference_ids: list[int]) -> None:
    """How many participants and mappings go with these conferences (deleted by the cascade)."""
    participant, mapping = _t(Participant), _t(Mapping)
    members = select(participant.c.id).where(participant.c.conference_pk.in_(conference_ids))
    result.counts["participants"] += int(
        connection.execute(
            select(func.count()).select_from(participant).where(participant.c.conference_pk.in_(conference_ids))
        ).scalar_one()
    )
    result.counts["mappings"] += int(
        connection.execute(
            select(func.count()).select_from(mapping).where(mapping.c.participant_pk.in_(members))
        ).scalar_one()
    )


__all__ = ["BATCH", "cutoff", "purge"]
