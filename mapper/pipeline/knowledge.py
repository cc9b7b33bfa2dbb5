"""Prior knowledge for the matcher: corrections, and identities learned in earlier meetings.

Learning (see :func:`learn`): an identity is taught only by a decision from an exact source —
the People API / Directory (user id → email), a human correction, or an email carried by the
participant — and, for platform stable ids, also by a high-confidence name match.  Names are
keyed by :func:`mapper.matching.normalize_name`.  Conflicting identities (one key, several emails)
teach nothing unless a correction settles them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from mapper.matching import Correction, Decision, Method, Prior, Status, normalize_name
from mapper.store.tables import Correction as CorrectionRow
from mapper.store.tables import LearnedIdentity, Participant

#: Methods whose resolved emails are facts rather than guesses.
EXACT_METHODS = frozenset({Method.PEOPLE_API, Method.DIRECTORY, Method.EXACT_EMAIL, Method.CORRECTION})
#: A stable platform id is also taught by a name match at least this confident.
STABLE_ID_MIN_CONFIDENCE = 0.95


def load_prior(session: Session, participants: Sequence[Participant]) -> Prior:
    """Corrections and learned identities relevant to these participants."""
    keys = [p.source_key for p in participants]
    stable = sorted({p.stable_id for p in participants if p.stable_id})
    users = sorted({p.user_id for p in participants if p.user_id})
    names = sorted({normalize_name(p.display_name) for p in participants if p.display_name} - {""})
    conditions = [col(CorrectionRow.participant_key).in_(keys)]
    if stable:
        conditions.append(col(CorrectionRow.stable_id).in_(stable))
    rows = (
        session.execute(select(CorrectionRow).where(col(CorrectionRow.superseded_at).is_(None), or_(*conditions)))
        .scalars()
        .all()
    )
    # Name corrections are matched by normalised name; load those whose name normalises the same.
    if names:
        named = session.execute(
            select(CorrectionRow).where(
                col(CorrectionRow.superseded_at).is_(None), col(CorrectionRow.display_name).is_not(None)
            )
        ).scalars()
        wanted = set(names)
        rows = list(
            {
                row.id: row for row in [*rows, *(r for r in named if normalize_name(r.display_name or "") in wanted)]
            }.values()
        )
    corrections = [_correction(row) for row in sorted(rows, key=lambda row: row.created_at)]
    learned = _learned(session, users, stable, names)
    return Prior(
        corrections=tuple(corrections),
        user_emails=_single(learned["user_id"]),
        stable_emails=_single(learned["stable_id"]),
        name_emails={key: frozenset(emails) for key, emails in learned["name"].items()},
    )


def _correction(row: CorrectionRow) -> Correction:
    return Correction(
        email=None if row.not_a_person else row.email,
        participant_id=row.participant_key,
        stable_id=row.stable_id,
        display_name=row.display_name,
        invitee_emails=frozenset(str(email) for email in row.invitee_emails) if row.invitee_emails else None,
    )


def _learned(
    session: Session, users: Sequence[str], stable: Sequence[str], names: Sequence[str]
) -> dict[str, dict[str, set[str]]]:
    found: dict[str, dict[str, set[str]]] = {
        "user_id": defaultdict(set),
        "stable_id": defaultdict(set),
        "name": defaultdict(set),
    }
    settled: dict[tuple[str, str], str] = {}
    wanted = [
        and_(col(LearnedIdentity.kind) == kind, col(LearnedIdentity.key).in_(keys))
        for kind, keys in (("user_id", users), ("stable_id", stable), ("name", names))
        if keys
    ]
    if not wanted:
        return found
    identities = select(
        col(LearnedIdentity.kind), col(LearnedIdentity.key), col(LearnedIdentity.email), col(LearnedIdentity.method)
    ).where(or_(*wanted))
    for kind, key, email, method in session.execute(identities):
        found[kind][key].add(email)
        if method == Method.CORRECTION:
            settled[(kind, key)] = email
    for (kind, key), email in settled.items():
        found[kind][key] = {email}
    return found


def _single(identities: dict[str, set[str]]) -> dict[str, str]:
    """Keys with exactly one known email (a conflict teaches nothing)."""
    return {key: next(iter(emails)) for key, emails in identities.items() if len(emails) == 1}


def lessons(participant: Participant, decision: Decision) -> list[tuple[str, str, str, str]]:
    """The (kind, key, email, method) identities a decision teaches."""
    if decision.status != Status.RESOLVED or not decision.email:
        return []
    exact = decision.method in EXACT_METHODS
    method = decision.method.value
    taught = []
    if exact and participant.user_id and decision.method in {Method.PEOPLE_API, Method.DIRECTORY, Method.CORRECTION}:
        taught.append(("user_id", participant.user_id, decision.email, method))
    if participant.stable_id and (exact or decision.confidence >= STABLE_ID_MIN_CONFIDENCE):
        taught.append(("stable_id", participant.stable_id, decision.email, method))
    name = normalize_name(participant.display_name or "")
    if exact and name:
        taught.append(("name", name, decision.email, method))
    return taught


def learn(session: Session, taught: Iterable[tuple[str, str, str, str]], now: datetime) -> set[tuple[str, str]]:
    """Record (kind, key, email, method) identities; idempotent per (kind, key, email), where
    ``times_seen`` counts teachings and a correction's method wins.  One query finds the
    identities already known; new ones are added, known ones counted again.  Returns the
    (kind, key) of the identities that are new."""
    chosen: dict[tuple[str, str, str], str] = {}
    for kind, key, email, method in taught:
        if chosen.get((kind, key, email)) != Method.CORRECTION:
            chosen[(kind, key, email)] = method
    if not chosen:
        return set()
    wanted = list(chosen)
    keys = sorted({key for _kind, key, _email in wanted})
    existing = {
        (row.kind, row.key, row.email): row
        for row in session.execute(select(LearnedIdentity).where(col(LearnedIdentity.key).in_(keys))).scalars()
    }
    new: set[tuple[str, str]] = set()
    for kind, key, email in wanted:
        method = chosen[(kind, key, email)]
        row = existing.get((kind, key, email))
        if row is None:
            new.add((kind, key))
            session.add(
                LearnedIdentity(
                    kind=kind, key=key, email=email, method=method, times_seen=1, first_seen_at=now, last_seen_at=now
                )
            )
        else:
            row.times_seen += 1
            row.last_seen_at = now
            if method == Method.CORRECTION:
                row.method = method
            session.add(row)
    return new


__all__ = ["EXACT_METHODS", "learn", "lessons", "load_prior"]
