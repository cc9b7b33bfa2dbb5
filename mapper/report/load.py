"""Read what a report needs from the store, in a handful of queries (no N+1)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from mapper.report.query import ReportQuery
from mapper.store.meetings import MeetingCopies, meeting_copies
from mapper.store.tables import Conference, Invitee, Mapping, Participant, ParticipantSession, Table

_CHUNK = 500
T = TypeVar("T", bound=Table)


@dataclass(frozen=True, slots=True)
class SeenParticipant:
    participant: Participant
    source: str
    sessions: tuple[ParticipantSession, ...]
    mapping: Mapping | None
    open_end: datetime  # the end used for a session still open (end_at null)


@dataclass(frozen=True, slots=True)
class SeenConference:
    conference: Conference
    participants: tuple[SeenParticipant, ...]


@dataclass(frozen=True, slots=True)
class LoadedMeeting:
    """A scheduled meeting (``copies`` set) or an unscheduled group of conferences."""

    copies: MeetingCopies | None
    invitees: tuple[Invitee, ...]
    conferences: tuple[SeenConference, ...]


def load_meetings(session: Session, query: ReportQuery, now: datetime) -> list[LoadedMeeting]:
    """Every meeting of ``query`` with its invitees, conferences, participants, sessions and mappings.

    Scheduled meetings come first (by start), then unscheduled conferences (by start).  A scheduled
    meeting without invitees and without conferences (a private block of time) is left out.
    """
    filters = query.filters
    scheduled = meeting_copies(
        session,
        query.start,
        query.end,
        calendar=filters.calendar,
        organizer=filters.organizer,
        meeting_code=filters.meeting_code,
    )
    canonical_of = {copy.id: meeting.canonical.id for meeting in scheduled for copy in meeting.copies}
    invitees = _by(_rows(session, Invitee, Invitee.event_pk, [m.canonical.id for m in scheduled]), "event_pk")
    linked = _rows(session, Conference, Conference.event_pk, list(canonical_of))
    unscheduled = [] if filters.calendar or filters.organizer else _unscheduled(session, query)
    seen = _seen_conferences(session, [*linked, *unscheduled], now)
    conferences_of: dict[int | None, list[SeenConference]] = {}
    for conference in linked:
        if conference.event_pk is not None:
            conferences_of.setdefault(canonical_of[conference.event_pk], []).append(seen[conference.id])
    meetings = []
    for meeting in scheduled:
        own = tuple(_ordered(conferences_of.get(meeting.canonical.id, [])))
        people = tuple(invitees.get(meeting.canonical.id, []))
        if own or people:
            meetings.append(LoadedMeeting(meeting, people, own))
    for group in _group_unscheduled(unscheduled):
        meetings.append(LoadedMeeting(None, (), tuple(_ordered(seen[c.id] for c in group))))
    return meetings


def _unscheduled(session: Session, query: ReportQuery) -> list[Conference]:
    statement = (
        select(Conference)
        .where(col(Conference.event_pk).is_(None))
        .where(col(Conference.start_at) >= query.start, col(Conference.start_at) < query.end)
        .order_by(col(Conference.start_at), col(Conference.id))
    )
    found = list(session.exec(statement).all())
    code = query.filters.meeting_code
    if code is not None:
        found = [c for c in found if (c.meeting_code or "").lower() == code.lower()]
    return found


def _group_unscheduled(conferences: Sequence[Conference]) -> list[list[Conference]]:
    """Conferences of one unscheduled meeting: same meeting code on the same UTC day (else alone)."""
    groups: dict[tuple[str, ...], list[Conference]] = {}
    for conference in conferences:
        if conference.meeting_code and conference.start_at:
            key: tuple[str, ...] = (conference.meeting_code.lower(), conference.start_at.date().isoformat())
        else:
            key = (f"conference:{conference.id}",)
        groups.setdefault(key, []).append(conference)
    return list(groups.values())


def _seen_conferences(session: Session, conferences: Sequence[Conference], now: datetime) -> dict[Any, SeenConference]:
    participants = _rows(session, Participant, Participant.conference_pk, [c.id for c in conferences])
    ids = [p.id for p in participants]
    sessions = _by(_rows(session, ParticipantSession, ParticipantSession.participant_pk, ids), "participant_pk")
    mappings: dict[int | None, Mapping] = {
        m.participant_pk: m for m in _rows(session, Mapping, Mapping.participant_pk, ids)
    }
    by_conference: dict[int | None, list[Participant]] = {}
    for participant in sorted(participants, key=lambda p: p.id or 0):
        by_conference.setdefault(participant.conference_pk, []).append(participant)
    seen: dict[Any, SeenConference] = {}
    for conference in conferences:
        seen[conference.id] = SeenConference(
            conference,
            tuple(
                SeenParticipant(
                    participant=p,
                    source=conference.source,
                    sessions=tuple(sorted(sessions.get(p.id, []), key=lambda s: (s.start_at or now, s.id or 0))),
                    mapping=mappings.get(p.id),
                    open_end=conference.end_at or p.last_leave_at or now,
                )
                for p in by_conference.get(conference.id, [])
            ),
        )
    return seen


def _ordered(conferences: Iterable[SeenConference]) -> list[SeenConference]:
    return sorted(conferences, key=lambda c: (c.conference.source, c.conference.id or 0))


def _rows(session: Session, model: type[T], column: Any, values: Sequence[Any]) -> list[T]:
    """Rows of ``model`` whose ``column`` is in ``values`` (queried in chunks)."""
    found: list[T] = []
    for chunk in _chunks(sorted({v for v in values if v is not None})):
        found.extend(session.exec(select(model).where(col(column).in_(chunk))).all())
    found.sort(key=lambda row: getattr(row, "id", 0) or 0)
    return found


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _by(rows: Iterable[T], attribute: str) -> dict[Any, list[T]]:
    grouped: dict[Any, list[T]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, attribute), []).append(row)
    return grouped


__all__ = ["LoadedMeeting", "SeenConference", "SeenParticipant", "load_meetings"]
