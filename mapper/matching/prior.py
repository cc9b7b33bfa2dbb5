"""Prior knowledge: human corrections and identities learned in earlier meetings.

Correction look-up order for a participant: same participant id, then same stable id, then
same normalised display name when the invitee sets agree (equal, or Jaccard ≥ 0.5 with the
corrected email invited; a correction without an invitee set applies wherever its email is
invited, and everywhere when it says "not a person").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from mapper.matching.normalize import normalize_name
from mapper.matching.types import Correction, Participant, Prior, normalize_email

MIN_JACCARD = 0.5
"""How much a name correction's invitee set must overlap this meeting's, if not equal."""


@dataclass(frozen=True, slots=True)
class CorrectionHit:
    """A correction that applies to a participant, and how it was found."""

    correction: Correction
    email: str | None
    via: str
    """``"participant_id"``, ``"stable_id"`` or ``"display_name"``."""
    participant: int


def _jaccard(a: Collection[str], b: Collection[str]) -> float:
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 1.0


class CorrectionIndex:
    """Corrections indexed for one meeting's invitee set."""

    def __init__(self, corrections: Sequence[Correction], invitees: frozenset[str]) -> None:
        self._by_id: dict[str, Correction] = {}
        self._by_stable: dict[str, Correction] = {}
        self._by_name: dict[str, Correction] = {}
        for correction in corrections:
            if correction.participant_id is not None:
                self._by_id[correction.participant_id] = correction
            if correction.stable_id is not None:
                self._by_stable[correction.stable_id] = correction
            if correction.display_name is not None and self._name_applies(correction, invitees):
                key = normalize_name(correction.display_name)
                if key:
                    self._by_name[key] = correction

    @staticmethod
    def _name_applies(correction: Correction, invitees: frozenset[str]) -> bool:
        email = normalize_email(correction.email) if correction.email else None
        if correction.invitee_emails is None:
            return email is None or email in invitees
        theirs = frozenset(normalize_email(e) for e in correction.invitee_emails)
        if theirs == invitees:
            return True
        return (email is None or email in invitees) and _jaccard(theirs, invitees) >= MIN_JACCARD

    def __bool__(self) -> bool:
        return bool(self._by_id or self._by_stable or self._by_name)

    def find(self, participants: Sequence[Participant], members: Sequence[int]) -> CorrectionHit | None:
        """Return the correction for a group of participants, the most specific first."""
        for via, lookup, key_of in (
            ("participant_id", self._by_id, lambda p: p.id),
            ("stable_id", self._by_stable, lambda p: p.stable_id),
            ("display_name", self._by_name, lambda p: normalize_name(p.display_name)),
        ):
            if not lookup:
                continue
            for index in members:
                key = key_of(participants[index])
                if key and key in lookup:
                    correction = lookup[key]
                    email = normalize_email(correction.email) if correction.email else None
                    return CorrectionHit(correction, email, via, index)
        return None


def learned_by_name(prior: Prior, names: Sequence[str], available: Collection[str]) -> tuple[str, str] | None:
    """Return (email, name) when a learned name points at exactly one available invitee."""
    if not prior.name_emails:
        return None
    found: dict[str, str] = {}
    for name in names:
        key = normalize_name(name)
        for email in prior.name_emails.get(key, ()):
            email = normalize_email(email)
            if email in available:
                found.setdefault(email, key)
    if len(found) == 1:
        email, key = next(iter(found.items()))
        return email, key
    return None


__all__ = ["MIN_JACCARD", "CorrectionHit", "CorrectionIndex", "learned_by_name"]
