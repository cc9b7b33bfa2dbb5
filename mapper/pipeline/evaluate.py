"""Scoring stored mappings against a ground truth (the sandbox generator's ``*.truth.json``).

The figures the issues define:

- **precision** = correct emails / emails given;
- **recall** = correct emails / participants who had an invitation (a person whose true email
  is among the meeting's invitees);
- **uninvited given an email**: how many uninvited people got an email, and how many of those
  were somebody else's.

By default only people who joined signed-in or anonymously count (phone lines, rooms and bots
are scored apart, as ``not_a_person`` decisions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from mapper.store.tables import Mapping as MappingRow
from mapper.store.tables import Participant

PEOPLE = frozenset({"signedin", "anonymous"})


@dataclass
class Score:
    participants: int = 0
    emails_given: int = 0
    correct: int = 0
    invited: int = 0
    invited_correct: int = 0
    uninvited: int = 0
    uninvited_given: int = 0
    uninvited_wrong: int = 0
    non_persons: int = 0
    non_persons_flagged: int = 0  # flagged not_a_person, or a room matched to its room resource
    wrong: list[tuple[str, str | None, str]] = field(default_factory=list)  # key, true email, given email

    @property
    def precision(self) -> float:
        return self.correct / self.emails_given if self.emails_given else 1.0

    @property
    def recall(self) -> float:
        return self.invited_correct / self.invited if self.invited else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "participants": self.participants,
            "emails_given": self.emails_given,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "invited": self.invited,
            "uninvited": self.uninvited,
            "uninvited_given_an_email": self.uninvited_given,
            "uninvited_given_someone_elses": self.uninvited_wrong,
            "non_persons": self.non_persons,
            "non_persons_flagged": self.non_persons_flagged,
            "wrong": [list(item) for item in self.wrong[:50]],
        }


def score(
    decisions: Mapping[str, tuple[str | None, str]], truth: Mapping[str, Any], joined_as: Iterable[str] = PEOPLE
) -> Score:
    """``decisions``: participant key → (email or None, status); ``truth``: the truth file's JSON."""
    counted = frozenset(joined_as)
    result = Score()
    for key, fact in truth.get("participants", {}).items():
        if key not in decisions:
            continue
        given, status = decisions[key]
        if fact.get("kind") != "person":
            # Phone lines and bots should be flagged; a room device may also be matched to its
            # room resource (the truth then names the room's address).
            result.non_persons += 1
            room_matched = fact.get("kind") == "room" and given is not None and given == fact.get("email")
            result.non_persons_flagged += int(status == "not_a_person" or room_matched)
            continue
        if fact.get("joined_as") not in counted:
            continue
        true = fact.get("email")
        result.participants += 1
        if given is not None:
            result.emails_given += 1
            if given == true:
                result.correct += 1
            else:
                result.wrong.append((key, true, given))
        if fact.get("invited") and true:
            result.invited += 1
            result.invited_correct += int(given == true)
        else:
            result.uninvited += 1
            result.uninvited_given += int(given is not None)
            result.uninvited_wrong += int(given is not None and given != true)
    return result


def stored_decisions(engine: Engine) -> dict[str, tuple[str | None, str]]:
    """Every participant's stored (email, status); participants without a mapping are left out."""
    with Session(engine) as session:
        rows = session.execute(
            select(col(Participant.source_key), col(MappingRow.email), col(MappingRow.status)).join(
                MappingRow, col(MappingRow.participant_pk) == col(Participant.id)
            )
        ).all()
    return {row.source_key: (row.email, row.status) for row in rows}


__all__ = ["PEOPLE", "Score", "score", "stored_decisions"]
