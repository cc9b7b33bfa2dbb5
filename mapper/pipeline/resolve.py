"""``mapper resolve``: run the matcher over every conference whose inputs changed and store one
mapping per participant, with history and what it teaches.

A conference is resolved again when its *input digest* — participants, the linked event and its
invitee list, the matching thresholds — differs from the one it was last resolved with, or when a
correction or a new People answer marked it dirty (``resolved_digest = NULL``).  Conferences are
resolved oldest first, so earlier meetings teach later ones.  Each conference is one transaction:
an interrupted run leaves whole conferences, and the next run picks up the rest (idempotent).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from mapper.errors import MapperError
from mapper.matching import Decision, Invitee, MatchSettings, Meeting, ParticipantKind, match_meeting, normalize_name
from mapper.matching import Participant as MatchParticipant
from mapper.pipeline.knowledge import learn, lessons, load_prior
from mapper.sources.google.people import user_number
from mapper.store import session_scope, upsert_many
from mapper.store.tables import CalendarEvent, Conference, MappingHistory, Participant, PersonCache
from mapper.store.tables import Invitee as InviteeRow
from mapper.store.tables import Mapping as MappingRow
from mapper.sync.context import JobContext, StepResult

_KINDS = {kind.value for kind in ParticipantKind}


def match_settings(ctx: JobContext) -> MatchSettings:
    return MatchSettings(
        fuzzy_threshold=ctx.settings.matching.fuzzy_threshold,
        ambiguity_margin=ctx.settings.matching.ambiguity_margin,
    )


def dirty_conferences(session: Session, settings: MatchSettings) -> list[tuple[int, str]]:
    """(conference id, input digest) of every conference to resolve, oldest first."""
    rows = session.execute(
        select(
            col(Conference.id),
            col(Conference.participants_digest),
            col(Conference.resolved_digest),
            col(Conference.event_pk),
            col(CalendarEvent.invitees_digest),
        )
        .outerjoin(CalendarEvent, col(CalendarEvent.id) == col(Conference.event_pk))
        .order_by(col(Conference.start_at), col(Conference.id))
    ).all()
    dirty = []
    for row in rows:
        digest = input_digest(row.participants_digest, row.event_pk, row.invitees_digest, settings)
        if digest != row.resolved_digest:
            dirty.append((int(row.id), digest))
    return dirty


def input_digest(participants: str | None, event_pk: int | None, invitees: str | None, settings: MatchSettings) -> str:
    text = f"{participants}|{event_pk}|{invitees}|{settings.fuzzy_threshold}|{settings.ambiguity_margin}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


#: Passes over dirty conferences in one run: a pass's new identities may make earlier
#: conferences dirty again (see :func:`mark_explained`); this bounds the ripple.
MAX_PASSES = 4


#: Conferences resolved per transaction: a commit per conference cost a third of a large run.
BATCH_SIZE = 25

CHANGED_REASON = "re-resolved: participants, invitees or knowledge changed"
REVISIT_REASON = "re-resolved: an identity confirmed in another meeting"


def resolve_conferences(ctx: JobContext) -> StepResult:
    """Resolve every dirty conference, oldest first, in passes: identities confirmed by a later
    meeting mark earlier conferences they now explain dirty, and the next pass resolves them.
    Stops between conferences once ``ctx.stopping()``; what is left stays dirty for the next run."""
    result = StepResult("resolve")
    settings = match_settings(ctx)
    failed: set[int] = set()  # tried once in this run: later passes leave them for the next run
    for number in range(MAX_PASSES):
        with session_scope(ctx.engine) as session:
            dirty = [(pk, digest) for pk, digest in dirty_conferences(session, settings) if pk not in failed]
        if not dirty:
            break
        if number:
            result.counts["conferences_revisited"] += len(dirty)
        ctx.progress.start("resolve", result.counts["conferences"] + len(dirty))
        reason = REVISIT_REASON if number else CHANGED_REASON
        for start in range(0, len(dirty), BATCH_SIZE):
            failed |= _resolve_batch(ctx, dirty[start : start + BATCH_SIZE], settings, reason, result)
        if ctx.stopping():
            break
    return result


def _resolve_batch(
    ctx: JobContext, batch: Sequence[tuple[int, str]], settings: MatchSettings, reason: str, result: StepResult
) -> set[int]:
    """Resolve ``batch`` in one transaction (conferences after a stop are left for the next run).
    When a conference fails, the batch is rolled back and each conference is resolved in its own
    transaction, so only the failing one is reported (and stays dirty).  Returns the failed ids."""
    failed: set[int] = set()
    done = 0
    counts: Counter[str] = Counter()

    def resolve(session: Session, conference_pk: int, digest: str) -> None:
        counts.update(resolve_conference(session, conference_pk, digest, settings, ctx.clock.now(), reason=reason))

    try:
        with session_scope(ctx.engine) as session:
            for conference_pk, digest in batch:
                if ctx.stopping():
                    break
                resolve(session, conference_pk, digest)
                done += 1
    except MapperError:
        done = 0
        counts.clear()
        for conference_pk, digest in batch:
            if ctx.stopping():
                break
            try:
                with session_scope(ctx.engine) as session:
                    resolve(session, conference_pk, digest)
            except MapperError as exc:
                result.problems.append(f"resolve conference {conference_pk}: {exc}")
                failed.add(conference_pk)
            done += 1
    result.counts.update(counts)
    result.counts["conferences"] += done
    result.counts["conferences_left_for_next_run"] += len(batch) - done
    ctx.progress.advance("resolve", done)
    return failed


def resolve_conference(
    session: Session,
    conference_pk: int,
    digest: str | None,
    settings: MatchSettings,
    now: datetime,
    *,
    reason: str = CHANGED_REASON,
) -> Counter[str]:
    """Match one conference and write its mappings (inside the caller's transaction)."""
    conference = session.get(Conference, conference_pk)
    if conference is None:
        return Counter()
    participants = list(
        session.execute(
            select(Participant).where(col(Participant.conference_pk) == conference_pk).order_by(col(Participant.id))
        ).scalars()
    )
    invitees: Sequence[InviteeRow] = []
    if conference.event_pk is not None:
        invitees = list(
            session.execute(
                select(InviteeRow).where(col(InviteeRow.event_pk) == conference.event_pk).order_by(col(InviteeRow.id))
            ).scalars()
        )
    for participant in participants:
        key = normalize_name(participant.display_name or "") or None
        if participant.name_key != key:
            participant.name_key = key
            session.add(participant)
    profiles = _profiles(session, participants)
    meeting = Meeting(
        id=conference.source_key,
        participants=[to_matcher(p, profiles) for p in participants],
        invitees=[
            Invitee(
                i.email,
                i.display_name,
                i.response_status,
                organizer=i.organizer,
                resource=i.resource,
                optional=i.optional,
            )
            for i in invitees
        ],
    )
    decisions = match_meeting(meeting, load_prior(session, participants), settings)
    existing = {
        row.participant_pk: row
        for row in session.execute(
            select(MappingRow).where(col(MappingRow.participant_pk).in_([p.id for p in participants]))
        ).scalars()
    }
    counts: Counter[str] = Counter(mappings_written=0, mappings_changed=0, identities_learned=0)
    taught: list[tuple[str, str, str, str]] = []
    new_rows: list[dict[str, Any]] = []
    for participant, decision in zip(participants, decisions, strict=True):
        assert participant.id is not None
        current = existing.get(participant.id)
        written = write_mapping(session, participant.id, decision, current, now, reason, new_rows)
        if written:
            counts["mappings_written"] += 1
            counts["mappings_changed"] += int(current is not None)
            taught.extend(lessons(participant, decision))
        counts[f"status_{decision.status.value}"] += 1
    # An upsert, so a concurrent resolve of the same conference cannot trip the unique key.
    upsert_many(session, MappingRow, new_rows, keys=["participant_pk"], ids=False)
    new = learn(session, taught, now)
    counts["identities_learned"] += len(new)
    if new:
        counts["conferences_marked_again"] += mark_explained(session, new, conference_pk)
    conference.resolved_digest = digest
    conference.resolved_at = now
    session.add(conference)
    return counts


def to_matcher(participant: Participant, profiles: Mapping[str, tuple[str, str | None]]) -> MatchParticipant:
    """A stored participant as the matcher sees it (People/Directory email included when visible);
    ``profiles`` maps a user number to the (email, source) the People cache holds for it."""
    email = source = None
    if participant.user_id:
        email, source = profiles.get(user_number(participant.user_id), (None, None))
    kind = ParticipantKind(participant.kind) if participant.kind in _KINDS else ParticipantKind.UNKNOWN
    return MatchParticipant(
        id=participant.source_key,
        display_name=participant.display_name or "",
        kind=kind,
        user_id=participant.user_id,
        email=email,
        email_source=source,
        stable_id=participant.stable_id,
    )


def _profiles(session: Session, participants: Sequence[Participant]) -> dict[str, tuple[str, str | None]]:
    numbers = sorted({user_number(p.user_id) for p in participants if p.user_id})
    if not numbers:
        return {}
    rows = session.execute(
        select(col(PersonCache.user_id), col(PersonCache.email), col(PersonCache.source)).where(
            col(PersonCache.user_id).in_(numbers)
        )
    )
    return {user: (email, source) for user, email, source in rows if email}


def _json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def write_mapping(
    session: Session,
    participant_pk: int,
    decision: Decision,
    current: MappingRow | None,
    now: datetime,
    reason: str,
    new_rows: list[dict[str, Any]],
) -> bool:
    """Store a decision; keep history of changes; True when anything was written.

    A first mapping is appended to ``new_rows``, for the caller to upsert in one statement with the
    rest of its conference."""
    candidates = [{"email": c.email, "score": round(c.score, 4)} for c in decision.candidates]
    evidence = _json(decision.evidence)
    confidence = round(decision.confidence, 4)
    fields = {
        "email": decision.email,
        "status": decision.status.value,
        "method": decision.method.value,
        "confidence": confidence,
        "candidates": candidates,
        "evidence": evidence,
        "person": decision.person or None,
    }
    if current is not None and all(getattr(current, key) == value for key, value in fields.items()):
        return False
    if current is None:
        new_rows.append({"participant_pk": participant_pk, "resolved_at": now, **fields})
        return True
    same_outcome = (current.email, current.status, current.method) == (
        decision.email,
        decision.status.value,
        decision.method.value,
    )
    if not same_outcome:
        session.add(
            MappingHistory(
                participant_pk=participant_pk,
                old_email=current.email,
                old_status=current.status,
                old_method=current.method,
                old_confidence=current.confidence,
                new_email=decision.email,
                new_status=decision.status.value,
                new_method=decision.method.value,
                new_confidence=confidence,
                reason=reason,
                changed_at=now,
            )
        )
    for key, value in fields.items():
        setattr(current, key, value)
    current.resolved_at = now
    session.add(current)
    return True


def mark_explained(session: Session, identities: set[tuple[str, str]], except_conference: int) -> int:
    """Mark dirty the other resolved conferences with an unidentified participant (unresolved or
    ambiguous) whose normalised name or stable id one of these new identities covers.  Runs in the
    teaching conference's transaction, so an interrupted run leaves the marks for the next one."""
    names = sorted(key for kind, key in identities if kind == "name")
    stable = sorted(key for kind, key in identities if kind == "stable_id")
    conditions = []
    if names:
        conditions.append(col(Participant.name_key).in_(names))
    if stable:
        conditions.append(col(Participant.stable_id).in_(stable))
    if not conditions:
        return 0
    explained = (
        select(col(Participant.conference_pk))
        .join(MappingRow, col(MappingRow.participant_pk) == col(Participant.id))
        .where(col(MappingRow.status).in_(["unresolved", "ambiguous"]), or_(*conditions))
    )
    outcome = session.execute(
        update(Conference)
        .where(
            col(Conference.id).in_(explained),
            col(Conference.id) != except_conference,
            col(Conference.resolved_digest).is_not(None),
        )
        .values(resolved_digest=None)
    )
    return int(getattr(outcome, "rowcount", 0) or 0)


def mark_dirty(session: Session, conference_pks: Sequence[int]) -> int:
    """Force these conferences to be resolved again on the next run."""
    count = 0
    for pk in conference_pks:
        conference = session.get(Conference, pk)
        if conference is not None and conference.resolved_digest is not None:
            conference.resolved_digest = None
            session.add(conference)
            count += 1
    return count


__all__ = [
    "dirty_conferences",
    "input_digest",
    "mark_dirty",
    "mark_explained",
    "match_settings",
    "resolve_conference",
    "resolve_conferences",
    "to_matcher",
    "write_mapping",
]
