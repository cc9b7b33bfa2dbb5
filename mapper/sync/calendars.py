"""``mapper sync calendars``: incremental Calendar sync into the store.

Per calendar: the stored ``syncToken`` asks only for changes (one ``events.list`` when nothing
changed); the first run, or a 410 from Calendar, does a full sync of the configured window.  Each
calendar is written in one transaction, so an interrupted sync leaves the previous state and the
next run redoes it (idempotent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from mapper.errors import MapperError, SyncTokenExpiredError
from mapper.sources.google.calendar import Event, SyncResult
from mapper.store import session_scope, upsert_many
from mapper.store.tables import Calendar, CalendarEvent, Invitee
from mapper.sync.context import JobContext, StepResult


def sync_calendars(ctx: JobContext, calendar_ids: Sequence[str] | None = None) -> StepResult:
    """Sync every configured calendar (or the given ones); one failing calendar does not stop the rest.

    Calendars are fetched in parallel (``http.concurrency``) and written one by one, each in its own
    transaction together with its new sync token.
    """
    ids = list(dict.fromkeys(calendar_ids if calendar_ids is not None else ctx.settings.calendars.ids))
    result = StepResult("calendars")
    now = ctx.clock.now()
    window = (
        now - timedelta(days=ctx.settings.calendars.lookback_days),
        now + timedelta(days=ctx.settings.calendars.lookahead_days),
    )
    with session_scope(ctx.engine) as session:
        rows = [{"calendar_id": cid, "subject": ctx.sources.calendar_subject(cid)} for cid in ids]
        pks = dict(zip(ids, upsert_many(session, Calendar, rows, keys=["calendar_id"]), strict=True)) if ids else {}
        tokens = {
            row.calendar_id: row.sync_token
            for row in session.execute(select(col(Calendar.calendar_id), col(Calendar.sync_token)))
        }
    ctx.progress.start("calendars", len(ids))
    with ThreadPoolExecutor(max_workers=ctx.settings.http.concurrency, thread_name_prefix="calendar") as pool:
        futures = {
            pool.submit(_fetch, ctx, calendar_id, tokens.get(calendar_id), window): calendar_id for calendar_id in ids
        }
        for future in as_completed(futures):
            calendar_id = futures[future]
            if ctx.stopping():
                for pending in futures:  # stop fetching at once
                    pending.cancel()
                result.counts["calendars_left_for_next_run"] += 1
                continue
            try:
                listing, expired = future.result()
            except MapperError as exc:
                result.problems.append(f"calendar {calendar_id}: {exc}")
                result.counts["calendars_failed"] += 1
            else:
                result.counts["sync_tokens_expired"] += int(expired)
                with session_scope(ctx.engine) as session:
                    result.counts.update(_write_calendar(session, pks[calendar_id], listing, window, now))
                result.problems.extend(f"calendar {calendar_id}: skipped {problem}" for problem in listing.problems)
            ctx.progress.advance("calendars")
    return result


def sync_calendar(ctx: JobContext, calendar_id: str) -> StepResult:
    """Sync one calendar (see :func:`sync_calendars`)."""
    return sync_calendars(ctx, [calendar_id])


def _fetch(
    ctx: JobContext, calendar_id: str, token: str | None, window: tuple[datetime, datetime]
) -> tuple[SyncResult, bool]:
    """The calendar's changes (or, on the first run or after a 410, its whole window); no database access."""
    subject = ctx.sources.calendar_subject(calendar_id)
    try:
        listing = ctx.sources.calendar.sync(
            calendar_id, subject=subject, sync_token=token, time_min=window[0], time_max=window[1]
        )
    except SyncTokenExpiredError:
        # 410: the token is gone; wipe the sync state and read the whole window again.
        listing = ctx.sources.calendar.sync(
            calendar_id, subject=subject, sync_token=None, time_min=window[0], time_max=window[1]
        )
        return listing, True
    return listing, False


def _write_calendar(
    session: Session, calendar_pk: int, listing: SyncResult, window: tuple[datetime, datetime], now: datetime
) -> dict[str, int]:
    counts = dict(write_events(session, calendar_pk, listing, now))
    if listing.full:
        counts["events_vanished"] = _cancel_vanished(session, calendar_pk, listing.events, window, now)
    values: dict[str, Any] = {"sync_token": listing.sync_token, "synced_at": now}
    if listing.full:
        values["full_synced_at"] = now
    session.execute(update(Calendar).where(col(Calendar.id) == calendar_pk).values(**values))
    counts["calendars"] = 1
    counts["full_syncs" if listing.full else "incremental_syncs"] = 1
    return counts


def _event_row(calendar_pk: int, event: Event, now: datetime) -> dict[str, Any]:
    meeting = event.meeting
    return {
        "calendar_pk": calendar_pk,
        "event_id": event.event_id,
        "meeting_key": event.meeting_key,
        "ical_uid": event.ical_uid,
        "recurring_event_id": event.recurring_event_id,
        "status": event.status,
        "summary": event.summary,
        "start_at": event.start_at,
        "end_at": event.end_at,
        "original_start_at": event.original_start_at,
        "all_day": event.all_day,
        "organizer_email": event.organizer_email,
        "conference_platform": meeting.platform if meeting else None,
        "conference_id": meeting.meeting_id if meeting else None,
        "attendees_omitted": event.attendees_omitted,
        "invitees_digest": invitees_digest(event),
        "html_link": event.html_link,
        "updated_at": event.updated_at,
        "synced_at": now,
    }


def invitees_digest(event: Event) -> str:
    """A short hash of everything about the invitees the matcher and reports read."""
    rows = sorted(
        [a.email, a.display_name, a.response_status, a.optional, a.resource, a.organizer] for a in event.attendees
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:32]


def write_events(session: Session, calendar_pk: int, listing: SyncResult, now: datetime) -> dict[str, int]:
    """Upsert live events with their invitees; mark cancelled ones (never delete them)."""
    counts = {"events_upserted": 0, "events_cancelled": 0, "invitees": 0}
    live = {event.event_id: event for event in listing.events if not event.cancelled}
    cancelled = [event.event_id for event in listing.events if event.cancelled and event.event_id not in live]
    if cancelled:
        for chunk in _chunks(cancelled, 500):
            outcome = session.execute(
                update(CalendarEvent)
                .where(col(CalendarEvent.calendar_pk) == calendar_pk, col(CalendarEvent.event_id).in_(chunk))
                .values(status="cancelled", synced_at=now)
            )
            counts["events_cancelled"] += int(getattr(outcome, "rowcount", 0) or 0)
    if not live:
        return counts
    events = list(live.values())
    pks = upsert_many(
        session,
        CalendarEvent,
        [_event_row(calendar_pk, event, now) for event in events],
        keys=["calendar_pk", "event_id"],
    )
    counts["events_upserted"] = len(pks)
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for pk, event in zip(pks, events, strict=True):
        for attendee in event.attendees:
            wanted[(pk, attendee.email)] = {
                "event_pk": pk,
                "email": attendee.email,
                "display_name": attendee.display_name,
                "response_status": attendee.response_status,
                "optional": attendee.optional,
                "resource": attendee.resource,
                "organizer": attendee.organizer,
                "is_self": attendee.is_self,
            }
    stale: list[int] = []
    for chunk in _chunks(pks, 500):
        rows = session.execute(
            select(col(Invitee.id), col(Invitee.event_pk), col(Invitee.email)).where(col(Invitee.event_pk).in_(chunk))
        ).all()
        stale.extend(row.id for row in rows if (row.event_pk, row.email) not in wanted)
    for chunk in _chunks(stale, 500):
        session.execute(delete(Invitee).where(col(Invitee.id).in_(chunk)))
    if wanted:
        upsert_many(session, Invitee, list(wanted.values()), keys=["event_pk", "email"], ids=False)
    counts["invitees"] = len(wanted)
    return counts


def _cancel_vanished(
    session: Session, calendar_pk: int, seen: Iterable[Event], window: tuple[datetime, datetime], now: datetime
) -> int:
    """After a full sync: stored events inside the window that Calendar no longer returns were deleted."""
    returned = {event.event_id for event in seen}
    rows = session.execute(
        select(col(CalendarEvent.id), col(CalendarEvent.event_id)).where(
            col(CalendarEvent.calendar_pk) == calendar_pk,
            col(CalendarEvent.status) != "cancelled",
            col(CalendarEvent.end_at) > window[0],
            col(CalendarEvent.start_at) < window[1],
        )
    ).all()
    gone = [row.id for row in rows if row.event_id not in returned]
    for chunk in _chunks(gone, 500):
        session.execute(
            update(CalendarEvent).where(col(CalendarEvent.id).in_(chunk)).values(status="cancelled", synced_at=now)
        )
    return len(gone)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["invitees_digest", "sync_calendar", "sync_calendars", "write_events"]
