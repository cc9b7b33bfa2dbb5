"""The identity levels that come before names: corrections, non-persons, exact emails, ids.

Each function looks at one person group and returns an :class:`Outcome` or ``None`` (the group
goes on to the next level).  Confidence values are documented in docs/MATCHING.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mapper.matching.classify import Category, Classification
from mapper.matching.prior import CorrectionIndex
from mapper.matching.rooms import match_room
from mapper.matching.types import (
    Candidate,
    Invitee,
    Method,
    Participant,
    ParticipantKind,
    Prior,
    Status,
    normalize_email,
)

CONFIDENCE: Mapping[str, float] = {
    "correction": 1.0,
    "people_api": 0.99,
    "directory": 0.99,
    "exact_email": 0.98,
    "learned_user": 0.97,
    "stable_id": 0.96,
    "typed_email_invited": 0.95,
    "typed_email_uninvited": 0.85,
    "learned_name": 0.93,
    "bot": 0.95,
    "kind_phone": 0.99,
    "phone_number": 0.95,
    "dial_in_label": 0.90,
    "room_unmatched": 0.90,
}
"""Confidence of each non-name level (the share of such decisions expected to be right)."""

_SOURCE_METHOD = {"people_api": Method.PEOPLE_API, "directory": Method.DIRECTORY}


@dataclass(slots=True)
class Outcome:
    """A decision for a whole group, before it is copied to each member."""

    email: str | None
    status: Status
    method: Method
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    evidence: dict[str, object] = field(default_factory=dict)


def group_category(classes: Sequence[Classification], members: Sequence[int]) -> Category:
    """The category of a group: a person if any member shows a person's name or an email."""
    cats = {classes[m].category for m in members}
    for category in (Category.PERSON, Category.EMAIL, Category.ROOM, Category.BOT, Category.PHONE):
        if category in cats:
            return category
    return Category.DEVICE if Category.DEVICE in cats else Category.GENERIC


def from_correction(
    corrections: CorrectionIndex | None, participants: Sequence[Participant], members: Sequence[int]
) -> Outcome | None:
    """Level 1: a human correction."""
    if not corrections:
        return None
    hit = corrections.find(participants, members)
    if hit is None:
        return None
    evidence: dict[str, object] = {
        "level": "correction",
        "via": hit.via,
        "participant": participants[hit.participant].id,
    }
    if hit.email is None:
        return Outcome(None, Status.NOT_A_PERSON, Method.CORRECTION, CONFIDENCE["correction"], evidence=evidence)
    return Outcome(hit.email, Status.RESOLVED, Method.CORRECTION, CONFIDENCE["correction"], evidence=evidence)


def non_person(
    category: Category,
    classes: Sequence[Classification],
    participants: Sequence[Participant],
    members: Sequence[int],
    invitees: Sequence[Invitee],
    margin: float,
) -> Outcome | None:
    """Level 2: bots and dial-in lines are not persons; room devices go to room resources."""
    if category is Category.BOT:
        reason = next(classes[m].reason for m in members if classes[m].category is Category.BOT)
        return Outcome(
            None,
            Status.NOT_A_PERSON,
            Method.NOT_A_PERSON,
            CONFIDENCE["bot"],
            evidence={"level": "not_a_person", "reason": reason},
        )
    if category is Category.PHONE:
        reason = next(classes[m].reason for m in members if classes[m].category is Category.PHONE)
        confidence = CONFIDENCE.get(reason, CONFIDENCE["phone_number"])
        phone: dict[str, object] = {"level": "not_a_person", "reason": reason}
        return Outcome(None, Status.NOT_A_PERSON, Method.NOT_A_PERSON, confidence, evidence=phone)
    if category is not Category.ROOM:
        return None
    names = [participants[m].display_name for m in members]
    match = match_room(names, invitees, margin)
    if not match.ranked:
        return Outcome(
            None,
            Status.NOT_A_PERSON,
            Method.NOT_A_PERSON,
            CONFIDENCE["room_unmatched"],
            evidence={"level": "not_a_person", "reason": "room_device"},
        )
    candidates = tuple(Candidate(normalize_email(invitees[i].email), round(s, 4)) for i, s in match.ranked)
    if len(match.ranked) > 1:
        return Outcome(
            None,
            Status.AMBIGUOUS,
            Method.AMBIGUOUS,
            round(match.ranked[0][1] / len(match.ranked), 4),
            candidates,
            {"level": "room_resource", "reason": "several_rooms_fit"},
        )
    index, score = match.ranked[0]
    evidence: dict[str, object] = {"level": "room_resource", "resource_name": invitees[index].display_name}
    return Outcome(candidates[0].email, Status.RESOLVED, Method.ROOM_RESOURCE, round(score, 4), evidence=evidence)


def from_identifiers(prior: Prior, participants: Sequence[Participant], members: Sequence[int]) -> Outcome | None:
    """Levels 3–5: an exact email, a People user id learned before, a stable id seen before."""
    for index in members:
        p = participants[index]
        if p.email and p.email.strip() and p.kind is not ParticipantKind.PHONE:
            source = (p.email_source or "known").strip().lower()
            method = _SOURCE_METHOD.get(source, Method.EXACT_EMAIL)
            confidence = CONFIDENCE.get(method.value, CONFIDENCE["exact_email"])
            evidence: dict[str, object] = {"level": method.value, "email_source": source, "participant": p.id}
            return Outcome(normalize_email(p.email), Status.RESOLVED, method, confidence, evidence=evidence)
    for index in members:
        p = participants[index]
        if p.user_id and p.user_id in prior.user_emails:
            evidence = {"level": "learned", "via": "user_id", "participant": p.id}
            email = normalize_email(prior.user_emails[p.user_id])
            return Outcome(email, Status.RESOLVED, Method.LEARNED, CONFIDENCE["learned_user"], evidence=evidence)
    for index in members:
        p = participants[index]
        if p.stable_id and p.stable_id in prior.stable_emails:
            evidence = {"level": "stable_id", "via": "prior.stable_emails", "participant": p.id}
            email = normalize_email(prior.stable_emails[p.stable_id])
            return Outcome(email, Status.RESOLVED, Method.STABLE_ID, CONFIDENCE["stable_id"], evidence=evidence)
    return None


def typed_email(
    classes: Sequence[Classification], members: Sequence[int], invited: frozenset[str], *, uninvited: bool
) -> Outcome | None:
    """An email address typed as the display name: taken when invited (or, last, when not)."""
    for index in members:
        if classes[index].category is Category.EMAIL:
            email = normalize_email(classes[index].names[0])
            if email in invited:
                confidence = CONFIDENCE["typed_email_invited"]
            elif uninvited:
                confidence = CONFIDENCE["typed_email_uninvited"]
            else:
                continue
            evidence: dict[str, object] = {"level": "exact_email", "email_source": "display_name"}
            return Outcome(email, Status.RESOLVED, Method.EXACT_EMAIL, confidence, evidence=evidence)
    return None


__all__ = [
    "CONFIDENCE",
    "Outcome",
    "from_correction",
    "from_identifiers",
    "group_category",
    "non_person",
    "typed_email",
]
