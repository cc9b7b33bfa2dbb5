"""Human corrections: "this participant is ADDR" or "this participant is not a person".

A correction is stored with who and when, supersedes earlier corrections of the same participant,
is applied at once (its conference is resolved again with the correction as the top decision
level), is never overwritten by automatic resolution, and teaches: its stable id and display name
are recorded so later meetings where they show up among the same invitees use it.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlmodel import Session, col

from mapper.errors import DataError
from mapper.matching import MatchSettings, Method, normalize_name
from mapper.pipeline.knowledge import learn
from mapper.pipeline.resolve import resolve_conference
from mapper.store.tables import Conference, Invitee, Participant
from mapper.store.tables import Correction as CorrectionRow

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def correct(
    session: Session,
    participant_key: str,
    *,
    email: str | None,
    not_a_person: bool = False,
    by: str,
    note: str | None = None,
    now: datetime,
    settings: MatchSettings,
) -> CorrectionRow:
    """Record and apply a correction inside the caller's transaction; returns the stored row."""
    if (email is None) == (not not_a_person):
        raise DataError("give exactly one of an email or not-a-person")
    if email is not None:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise DataError(f"not an email address: {email!r}")
    if not by.strip():
        raise DataError("a correction needs its author (by)")
    participant = session.execute(
        select(Participant).where(col(Participant.source_key) == participant_key)
    ).scalar_one_or_none()
    if participant is None:
        raise DataError(f"no participant with key {participant_key!r}")
    conference = session.get(Conference, participant.conference_pk)
    assert conference is not None and conference.id is not None
    invitees = []
    if conference.event_pk is not None:
        invitees = sorted(
            session.execute(select(col(Invitee.email)).where(col(Invitee.event_pk) == conference.event_pk)).scalars()
        )
    session.execute(
        update(CorrectionRow)
        .where(col(CorrectionRow.participant_key) == participant_key, col(CorrectionRow.superseded_at).is_(None))
        .values(superseded_at=now)
    )
    row = CorrectionRow(
        participant_key=participant_key,
        email=email,
        not_a_person=not_a_person,
        display_name=participant.display_name,
        stable_id=participant.stable_id,
        user_id=participant.user_id,
        invitee_emails=invitees,
        created_by=by.strip(),
        created_at=now,
        note=note,
    )
    session.add(row)
    session.flush()
    if email is not None:
        fix = Method.CORRECTION.value
        taught = [("name", normalize_name(participant.display_name or ""), email, fix)]
        if participant.stable_id:
            taught.append(("stable_id", participant.stable_id, email, fix))
        if participant.user_id:
            taught.append(("user_id", participant.user_id, email, fix))
        learn(session, [item for item in taught if item[1]], now)
    resolve_conference(
        session, conference.id, conference.resolved_digest, settings, now, reason=f"correction by {row.created_by}"
    )
    _mark_related(session, participant, conference.id)
    return row


def _mark_related(session: Session, participant: Participant, own_conference: int) -> int:
    """Other conferences showing the same stable id or the same display name resolve again."""
    conditions = []
    if participant.stable_id:
        conditions.append(col(Participant.stable_id) == participant.stable_id)
    if participant.display_name:
        conditions.append(func.lower(col(Participant.display_name)) == participant.display_name.lower())
    if not conditions:
        return 0
    related = select(col(Participant.conference_pk)).where(or_(*conditions))
    outcome = session.execute(
        update(Conference)
        .where(col(Conference.id).in_(related), col(Conference.id) != own_conference)
        .values(resolved_digest=None)
    )
    return int(getattr(outcome, "rowcount", 0) or 0)


__all__ = ["correct"]
