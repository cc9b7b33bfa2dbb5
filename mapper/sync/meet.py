"""``mapper sync meet``: conference records, participants and sessions for ended Meet events.

For each meeting whose event ended (plus a grace period) and carries a Meet code: one
``conferenceRecords.list`` filtered by meeting code *and* the event's time window (codes are
reused across a recurring series and by other spaces after a year), ``participants.list`` at 250
per page, and — unless switched off — ``participantSessions.list`` per participant.  Records not
there yet are retried on later cycles until ``meet.give_up_after_hours`` after the event.
Fetching runs in a thread pool; each meeting is written in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from mapper.errors import MapperError
from mapper.sources.google.meet import ConferenceRecord, MeetParticipant, MeetSession
from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import Conference, EventCollection, Invitee, Participant, ParticipantSession
from mapper.sync.context import JobContext, StepResult
from mapper.sync.people import resolve_profiles
from mapper.sync.targets import Target, collection_targets

#: Conference records may start this long before the scheduled start (people join early).
EARLY_JOIN = timedelta(minutes=15)


@dataclass
class FetchedRecord:
    record: ConferenceRecord
    participants: list[tuple[MeetParticipant, list[MeetSession]]] = field(default_factory=list)


@dataclass
class Fetched:
    records: list[FetchedRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def collect_meet(ctx: JobContext, *, resolve_people: bool = True) -> StepResult:
    """Collect every Meet meeting that is due; then resolve new signed-in users' emails."""
    result = StepResult("meet")
    settings = ctx.settings.meet
    if not settings.enabled:
        return result
    now = ctx.clock.now()
    with session_scope(ctx.engine) as session:
        targets = collection_targets(
            session,
            "meet",
            platforms=("google_meet",),
            ended_before=now - timedelta(minutes=settings.grace_minutes),
            ended_after=now - timedelta(days=settings.lookback_days),
        )
    ctx.progress.start("meet", len(targets))
    with ThreadPoolExecutor(max_workers=ctx.settings.http.concurrency, thread_name_prefix="meet") as pool:
        futures = {pool.submit(fetch_meeting, ctx, target): target for target in targets}
        for future in as_completed(futures):
            target = futures[future]
            if ctx.stopping():
                # Stop fetching at once: cancel everything not started (each counts as left over).
                for pending in futures:
                    pending.cancel()
                result.counts["meetings_left_for_next_run"] += 1
                continue
            try:
                fetched = future.result()
            except MapperError as exc:
                result.problems.append(f"meet {target.meeting_id} ({target.start_at:%Y-%m-%d %H:%M}): {exc}")
                result.counts["meetings_failed"] += 1
                with session_scope(ctx.engine) as session:
                    _record_attempt(session, target, "failed", now, error=str(exc))
            else:
                with session_scope(ctx.engine) as session:
                    result.counts.update(write_meeting(session, ctx, target, fetched, now))
                result.problems.extend(fetched.problems)
            ctx.progress.advance("meet")
    if resolve_people:
        result.merge(resolve_profiles(ctx))
    return result


def fetch_meeting(ctx: JobContext, target: Target) -> Fetched:
    """Every API call for one meeting (no database access: runs in worker threads)."""
    meet = ctx.sources.meet
    listing = meet.records(
        target.meeting_id,
        started_after=target.start_at - EARLY_JOIN,
        started_before=target.end_at,
        subject=target.subject,
    )
    fetched = Fetched(problems=list(listing.problems))
    for record in listing.items:
        item = FetchedRecord(record)
        people = meet.participants(record.name, subject=target.subject)
        fetched.problems.extend(people.problems)
        for participant in people.items:
            sessions: list[MeetSession] = []
            if ctx.settings.meet.fetch_sessions:
                listing_sessions = meet.sessions(participant.name, subject=target.subject)
                sessions = listing_sessions.items
                fetched.problems.extend(listing_sessions.problems)
            item.participants.append((participant, sessions))
        fetched.records.append(item)
    return fetched


def write_meeting(session: Session, ctx: JobContext, target: Target, fetched: Fetched, now: datetime) -> dict[str, int]:
    counts = {"conferences": 0, "participants": 0, "sessions": 0}
    if not fetched.records:
        overdue = now > target.end_at + timedelta(hours=ctx.settings.meet.give_up_after_hours)
        _record_attempt(session, target, "gave_up" if overdue else "pending", now)
        counts["meetings_gave_up" if overdue else "meetings_not_yet_available"] = 1
        return counts
    rooms = _room_names(session, target.event_pk)
    for item in fetched.records:
        counts["conferences"] += 1
        write_record(session, target, item, rooms, now, counts)
    ongoing = any(item.record.end_at is None for item in fetched.records)
    _record_attempt(
        session,
        target,
        "pending" if ongoing else "found",
        now,
        detail={"records": [item.record.name for item in fetched.records]},
    )
    counts["meetings_collected"] = 0 if ongoing else 1
    return counts


def write_record(
    session: Session, target: Target, item: FetchedRecord, rooms: set[str], now: datetime, counts: dict[str, int]
) -> int:
    record = item.record
    digest = participants_digest(item)
    conference_pk = upsert(
        session,
        Conference,
        {
            "source": "meet",
            "source_key": record.name,
            "event_pk": target.event_pk,
            "platform": "google_meet",
            "meeting_code": target.meeting_id,
            "space_name": record.space_name,
            "start_at": record.start_at,
            "end_at": record.end_at,
            "status": "ended" if record.end_at else "active",
            "participants_digest": digest,
            "fetched_at": now,
        },
        keys=["source", "source_key"],
    )
    rows = []
    for participant, sessions in item.participants:
        kind = participant.kind
        if kind == "signed_in" and _room_key(participant.display_name) in rooms:
            kind = "room"  # a Meet room device: a robot account named after the room
        rows.append(
            {
                "conference_pk": conference_pk,
                "source_key": participant.name,
                "kind": kind,
                "display_name": participant.display_name,
                "user_id": participant.user_id,
                "first_join_at": participant.earliest_start_at or _first(sessions),
                "last_leave_at": participant.latest_end_at or _last(sessions),
            }
        )
    pks = upsert_many(session, Participant, rows, keys=["source_key"]) if rows else []
    counts["participants"] += len(pks)
    session_rows = []
    for pk, (participant, sessions) in zip(pks, item.participants, strict=True):
        if not sessions:  # sessions not fetched: one interval from the participant's own times
            sessions = [
                MeetSession(
                    f"{participant.name}/participantSessions/-",
                    participant.earliest_start_at,
                    participant.latest_end_at,
                )
            ]
        for meet_session in sessions:
            session_rows.append(
                {
                    "participant_pk": pk,
                    "source_key": meet_session.name,
                    "start_at": meet_session.start_at,
                    "end_at": meet_session.end_at,
                }
            )
    if session_rows:
        upsert_many(session, ParticipantSession, session_rows, keys=["source_key"], ids=False)
    counts["sessions"] += len(session_rows)
    return conference_pk


def participants_digest(item: FetchedRecord) -> str:
    """Changes whenever the participants or their sessions change (drives re-resolution)."""
    data = [
        [
            p.name,
            p.kind,
            p.display_name,
            p.user_id,
            _iso(p.earliest_start_at),
            _iso(p.latest_end_at),
            sorted([s.name, _iso(s.start_at), _iso(s.end_at)] for s in sessions),
        ]
        for p, sessions in sorted(item.participants, key=lambda pair: pair[0].name)
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _record_attempt(
    session: Session,
    target: Target,
    status: str,
    now: datetime,
    *,
    error: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    upsert(
        session,
        EventCollection,
        {
            "event_pk": target.event_pk,
            "source": "meet",
            "status": status,
            "attempts": target.attempts + 1,
            "last_attempt_at": now,
            "last_error": error,
            "detail": detail or {},
        },
        keys=["event_pk", "source"],
    )


def _room_key(name: str | None) -> str:
    """Room names without capacity / equipment suffixes: "Boardroom 4 (8) [TV]" → "boardroom 4"."""
    if not name:
        return ""
    return re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", "", name).strip().casefold()


def _room_names(session: Session, event_pk: int) -> set[str]:
    rows = session.execute(
        select(col(Invitee.display_name), col(Invitee.email)).where(
            col(Invitee.event_pk) == event_pk, col(Invitee.resource).is_(True)
        )
    ).all()
    return {_room_key(row.display_name) for row in rows if row.display_name} - {""}


def _first(sessions: list[MeetSession]) -> datetime | None:
    starts = [s.start_at for s in sessions if s.start_at]
    return min(starts) if starts else None


def _last(sessions: list[MeetSession]) -> datetime | None:
    if any(s.end_at is None for s in sessions):
        return None
    ends = [s.end_at for s in sessions if s.end_at]
    return max(ends) if ends else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["collect_meet", "fetch_meeting", "participants_digest", "write_meeting"]
