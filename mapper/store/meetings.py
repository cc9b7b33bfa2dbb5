"""Meetings over a time range: one canonical calendar copy per meeting instance.

The same meeting appears once per synced calendar holding a copy; ``meeting_key`` identifies the
instance across copies.  The **canonical copy** is the one on the organizer's own calendar
(``calendar.calendar_id == organizer_email``), else the copy with the lowest id.  Cancelled copies
are never meetings.  Conferences link to the canonical copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from mapper.store.tables import Calendar, CalendarEvent


@dataclass(frozen=True, slots=True)
class MeetingCopies:
    """One meeting instance: its canonical copy and every non-cancelled copy (canonical included)."""

    canonical: CalendarEvent
    calendar_id: str  # the calendar holding the canonical copy
    copies: tuple[CalendarEvent, ...]


def meeting_copies(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    calendar: str | None = None,
    organizer: str | None = None,
    meeting_code: str | None = None,
) -> list[MeetingCopies]:
    """Meetings starting in ``[start, end)``, each once, ordered by start time then canonical id.

    ``calendar`` keeps meetings with a copy on that calendar (``calendar.calendar_id``);
    ``organizer`` and ``meeting_code`` compare with the canonical copy's ``organizer_email`` and
    ``conference_id`` (case-insensitively).
    """
    statement = (
        select(CalendarEvent, Calendar.calendar_id)
        .join(Calendar, col(Calendar.id) == col(CalendarEvent.calendar_pk))
        .where(col(CalendarEvent.start_at) >= start, col(CalendarEvent.start_at) < end)
        .where(col(CalendarEvent.status) != "cancelled")
        .order_by(col(CalendarEvent.id))
    )
    groups: dict[str, list[tuple[CalendarEvent, str]]] = {}
    for event, calendar_id in session.exec(statement).all():
        key = event.meeting_key or f"event:{event.id}"
        groups.setdefault(key, []).append((event, calendar_id))
    meetings: list[MeetingCopies] = []
    for copies in groups.values():
        if calendar is not None and all(cal.lower() != calendar.lower() for _, cal in copies):
            continue
        canonical, calendar_id = _canonical(copies)
        if organizer is not None and (canonical.organizer_email or "").lower() != organizer.lower():
            continue
        if meeting_code is not None and (canonical.conference_id or "").lower() != meeting_code.lower():
            continue
        meetings.append(MeetingCopies(canonical, calendar_id, tuple(event for event, _ in copies)))
    meetings.sort(key=lambda m: (m.canonical.start_at or start, m.canonical.id or 0))
    return meetings


def canonical_events(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    calendar: str | None = None,
    organizer: str | None = None,
    meeting_code: str | None = None,
) -> list[CalendarEvent]:
    """The canonical copy of every meeting starting in ``[start, end)`` (see :func:`meeting_copies`)."""
    found = meeting_copies(session, start, end, calendar=calendar, organizer=organizer, meeting_code=meeting_code)
    return [meeting.canonical for meeting in found]


def canonical_rank(event_pk: int | None, calendar_id: str, organizer_email: str | None) -> tuple[int, int]:
    """Sort key of one copy: the organizer's own calendar first, then the lowest id."""
    own = bool(organizer_email) and calendar_id.lower() == (organizer_email or "").lower()
    return (0 if own else 1, event_pk or 0)


def _canonical(copies: list[tuple[CalendarEvent, str]]) -> tuple[CalendarEvent, str]:
    """The copy :func:`canonical_rank` puts first."""
    return min(copies, key=lambda copy: canonical_rank(copy[0].id, copy[1], copy[0].organizer_email))


__all__ = ["MeetingCopies", "canonical_events", "canonical_rank", "meeting_copies"]
