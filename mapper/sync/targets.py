"""Which meetings a participant source should be asked about, one per meeting instance.

Every calendar holding a copy of a meeting has its own ``calendar_event`` row; the copies share a
``meeting_key``.  The *canonical* copy (:func:`mapper.store.meetings.canonical_rank`: the organizer's own
calendar, else the lowest id) is the one conferences link to and whose ``event_collection`` row tracks progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session, col

from mapper.store.meetings import canonical_rank
from mapper.store.tables import Calendar, CalendarEvent, EventCollection


@dataclass(frozen=True)
class Target:
    event_pk: int  # the canonical copy
    meeting_key: str
    platform: str
    meeting_id: str
    start_at: datetime
    end_at: datetime
    subject: str  # the calendar owner of the canonical copy (the organizer when it is theirs)
    attempts: int


def collection_targets(
    session: Session,
    source: str,
    *,
    platforms: tuple[str, ...],
    ended_before: datetime,
    ended_after: datetime,
) -> list[Target]:
    """Canonical copies of live meetings on ``platforms`` that ended inside the window and whose
    collection from ``source`` is not finished (no row yet, or pending / failed)."""
    rows = session.execute(
        select(
            col(CalendarEvent.id),
            col(CalendarEvent.meeting_key),
            col(CalendarEvent.conference_platform),
            col(CalendarEvent.conference_id),
            col(CalendarEvent.start_at),
            col(CalendarEvent.end_at),
            col(CalendarEvent.organizer_email),
            col(Calendar.calendar_id),
            col(EventCollection.status),
            col(EventCollection.attempts),
        )
        .join(Calendar, col(Calendar.id) == col(CalendarEvent.calendar_pk))
        .outerjoin(
            EventCollection,
            and_(col(EventCollection.event_pk) == col(CalendarEvent.id), col(EventCollection.source) == source),
        )
        .where(
            col(CalendarEvent.status) != "cancelled",
            col(CalendarEvent.conference_platform).in_(platforms),
            col(CalendarEvent.conference_id).is_not(None),
            col(CalendarEvent.meeting_key).is_not(None),
            col(CalendarEvent.end_at) <= ended_before,
            col(CalendarEvent.end_at) >= ended_after,
        )
    ).all()
    best: dict[str, Any] = {}
    for row in rows:
        current = best.get(row.meeting_key)
        rank = canonical_rank(row.id, row.calendar_id, row.organizer_email)
        if current is None or rank < canonical_rank(current.id, current.calendar_id, current.organizer_email):
            best[row.meeting_key] = row
    targets = [
        Target(
            event_pk=row.id,
            meeting_key=key,
            platform=row.conference_platform,
            meeting_id=row.conference_id,
            start_at=row.start_at,
            end_at=row.end_at,
            subject=row.calendar_id,
            attempts=row.attempts or 0,
        )
        for key, row in best.items()
        if row.status not in {"found", "gave_up"}
    ]
    targets.sort(key=lambda target: (target.start_at, target.event_pk))
    return targets


def canonical_event_for(session: Session, meeting_key: str) -> int | None:
    """The canonical copy's id for a meeting key (None when no live copy exists)."""
    rows = session.execute(
        select(col(CalendarEvent.id), col(Calendar.calendar_id), col(CalendarEvent.organizer_email))
        .join(Calendar, col(Calendar.id) == col(CalendarEvent.calendar_pk))
        .where(col(CalendarEvent.meeting_key) == meeting_key, col(CalendarEvent.status) != "cancelled")
    ).all()
    if not rows:
        return None
    return int(min(rows, key=lambda row: canonical_rank(row.id, row.calendar_id, row.organizer_email)).id)


__all__ = ["Target", "canonical_event_for", "collection_targets"]
