"""Lookups over the store: who was each participant, and where did an email show up.

Functions take a SQLModel ``Session``; :class:`mapper.Mapper` wraps them for applications.
Every result is a :class:`ParticipantMapping` (one participant) or an :class:`Attendance`
(one person in one conference), with times in aware UTC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from mapper.report.intervals import Span, span, total_seconds
from mapper.store.tables import CalendarEvent, Conference, Participant, ParticipantSession
from mapper.store.tables import Mapping as MappingRow

AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class ParticipantMapping:
    """One participant and the email mapper resolved for it (``status`` "pending" = not yet)."""

    participant: str  # Meet participant resource name, or recall:{bot_id}:{participant_id}
    display_name: str | None
    kind: str
    email: str | None
    status: str
    method: str | None
    confidence: float | None
    event_id: str | None
    conference: str  # conferenceRecords/{id} or the Recall bot id
    source: str  # meet | recall
    joined: datetime | None
    left: datetime | None
    seconds_present: int
    candidates: tuple[tuple[str, float], ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "display_name": self.display_name,
            "kind": self.kind,
            "email": self.email,
            "status": self.status,
            "method": self.method,
            "confidence": self.confidence,
            "event_id": self.event_id,
            "conference": self.conference,
            "source": self.source,
            "joined": _iso(self.joined),
            "left": _iso(self.left),
            "seconds_present": self.seconds_present,
            "candidates": [{"email": email, "score": score} for email, score in self.candidates],
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Attendance:
    """One email's presence in one conference (rejoins merged)."""

    email: str
    conference: str
    source: str
    event_id: str | None
    summary: str | None
    scheduled_start: datetime | None
    joined: datetime | None
    left: datetime | None
    seconds_present: int
    method: str
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "conference": self.conference,
            "source": self.source,
            "event_id": self.event_id,
            "summary": self.summary,
            "scheduled_start": _iso(self.scheduled_start),
            "joined": _iso(self.joined),
            "left": _iso(self.left),
            "seconds_present": self.seconds_present,
            "method": self.method,
            "confidence": self.confidence,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


@lru_cache(maxsize=1)
def _base() -> AnySelect:
    """Every lookup's select, built once (statements are immutable; building it took half a lookup)."""
    statement: AnySelect = (
        select(
            col(Participant.id),
            col(Participant.source_key),
            col(Participant.display_name),
            col(Participant.kind),
            col(Participant.first_join_at),
            col(Participant.last_leave_at),
            col(MappingRow.email),
            col(MappingRow.status),
            col(MappingRow.method),
            col(MappingRow.confidence),
            col(MappingRow.candidates),
            col(MappingRow.evidence),
            col(Conference.source),
            col(Conference.source_key).label("conference_key"),
            col(Conference.start_at).label("conference_start"),
            col(Conference.end_at).label("conference_end"),
            col(CalendarEvent.event_id),
            col(CalendarEvent.summary),
            col(CalendarEvent.start_at).label("scheduled_start"),
        )
        .join(Conference, col(Conference.id) == col(Participant.conference_pk))
        .outerjoin(MappingRow, col(MappingRow.participant_pk) == col(Participant.id))
        .outerjoin(CalendarEvent, col(CalendarEvent.id) == col(Conference.event_pk))
    )
    return statement


def _day(on: date | None) -> tuple[datetime, datetime] | None:
    if on is None:
        return None
    start = datetime.combine(on, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def _sessions(session: Session, participant_pks: Sequence[int]) -> dict[int, list[tuple[Any, Any]]]:
    found: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for start in range(0, len(participant_pks), 500):
        chunk = participant_pks[start : start + 500]
        rows = session.execute(
            select(
                col(ParticipantSession.participant_pk), col(ParticipantSession.start_at), col(ParticipantSession.end_at)
            ).where(col(ParticipantSession.participant_pk).in_(chunk))
        ).all()
        for row in rows:
            found[row.participant_pk].append((row.start_at, row.end_at))
    return found


def _spans(sessions: Sequence[tuple[Any, Any]], call_end: datetime | None) -> list[Span]:
    spans = []
    for start, end in sessions:
        end = end or call_end
        if start is not None and end is not None:
            spans.append(span(start, end))
    return spans


def _rows(session: Session, statement: AnySelect) -> list[ParticipantMapping]:
    rows = session.execute(statement.order_by(col(Conference.start_at), col(Participant.id))).all()
    sessions = _sessions(session, [row.id for row in rows])
    out = []
    for row in rows:
        spans = _spans(sessions.get(row.id, []), row.conference_end)
        out.append(
            ParticipantMapping(
                participant=row.source_key,
                display_name=row.display_name,
                kind=row.kind,
                email=row.email,
                status=row.status or "pending",
                method=row.method,
                confidence=row.confidence,
                event_id=row.event_id,
                conference=row.conference_key,
                source=row.source,
                joined=min((s.start for s in spans), default=row.first_join_at),
                left=max((s.end for s in spans), default=row.last_leave_at),
                seconds_present=total_seconds(spans),
                candidates=tuple(
                    (str(c.get("email")), float(c.get("score", 0))) for c in row.candidates or [] if isinstance(c, dict)
                ),
                evidence=row.evidence or {},
            )
        )
    return out


def participant(session: Session, key: str) -> ParticipantMapping | None:
    found = _rows(session, _base().where(col(Participant.source_key) == key))
    return found[0] if found else None


def conference(session: Session, source_key: str) -> list[ParticipantMapping]:
    return _rows(session, _base().where(col(Conference.source_key) == source_key))


def event(session: Session, event_id: str, on: date | None = None) -> list[ParticipantMapping]:
    statement = _base().where(col(CalendarEvent.event_id) == event_id)
    return _rows(session, _within(statement, on))


def meeting_code(session: Session, code: str, on: date | None = None) -> list[ParticipantMapping]:
    statement = _base().where(col(Conference.meeting_code) == code.strip().lower())
    return _rows(session, _within(statement, on))


def recall_bot(session: Session, bot_id: str, on: date | None = None) -> list[ParticipantMapping]:
    statement = _base().where(col(Conference.source) == "recall", col(Conference.source_key) == bot_id)
    return _rows(session, _within(statement, on))


def _within(statement: AnySelect, on: date | None) -> AnySelect:
    day = _day(on)
    if day is None:
        return statement
    return statement.where(col(Conference.start_at) >= day[0], col(Conference.start_at) < day[1])


def attended(session: Session, email: str, start: datetime, end: datetime) -> list[Attendance]:
    """Every conference ``email`` was resolved in, starting inside ``[start, end)``."""
    statement = _base().where(
        col(MappingRow.email) == email.strip().lower(),
        col(MappingRow.status) == "resolved",
        col(Conference.start_at) >= start,
        col(Conference.start_at) < end,
    )
    by_conference: dict[str, list[Any]] = defaultdict(list)
    rows = session.execute(statement.order_by(col(Conference.start_at), col(Participant.id))).all()
    sessions = _sessions(session, [row.id for row in rows])
    meta = {row.conference_key: row for row in rows}
    spans: dict[str, list[Span]] = defaultdict(list)
    best: dict[str, tuple[str, float]] = {}
    for row in rows:
        spans[row.conference_key].extend(_spans(sessions.get(row.id, []), row.conference_end))
        by_conference[row.conference_key].append(row)
        if row.conference_key not in best or (row.confidence or 0) > best[row.conference_key][1]:
            best[row.conference_key] = (row.method, row.confidence or 0.0)
    return [
        Attendance(
            email=email.strip().lower(),
            conference=key,
            source=meta[key].source,
            event_id=meta[key].event_id,
            summary=meta[key].summary,
            scheduled_start=meta[key].scheduled_start,
            joined=min((s.start for s in spans[key]), default=None),
            left=max((s.end for s in spans[key]), default=None),
            seconds_present=total_seconds(spans[key]),
            method=best[key][0],
            confidence=best[key][1],
        )
        for key in by_conference
    ]


__all__ = [
    "Attendance",
    "ParticipantMapping",
    "attended",
    "conference",
    "event",
    "meeting_code",
    "participant",
    "recall_bot",
]
