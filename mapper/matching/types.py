"""The matcher's input, prior knowledge, settings and output types.

Everything here is a frozen dataclass or a ``StrEnum`` so that a decision can be stored,
compared and explained without surprises.  Emails are compared case-insensitively and every
email the matcher returns is lower case (see :func:`normalize_email`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class ParticipantKind(StrEnum):
    """How the participant joined, as far as the platform tells."""

    SIGNED_IN = "signed_in"
    ANONYMOUS = "anonymous"
    PHONE = "phone"
    ROOM = "room"
    BOT = "bot"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """The outcome of one decision."""

    RESOLVED = "resolved"
    """``email`` is set and is this participant's address."""
    AMBIGUOUS = "ambiguous"
    """Several invitees fit about equally well; ``candidates`` lists them."""
    UNRESOLVED = "unresolved"
    """No invitee fits well enough; ``candidates`` lists the best ones below the threshold."""
    NOT_A_PERSON = "not_a_person"
    """A bot, a dial-in line or a room device without a matching room resource."""


class Method(StrEnum):
    """The decision level that produced a decision (stored, so reports can explain it)."""

    CORRECTION = "correction"
    """A human correction from earlier (by participant id, stable id or name + invitee set)."""
    LEARNED = "learned"
    """An identity confirmed in an earlier meeting (by People user id or by display name)."""
    PEOPLE_API = "people_api"
    """The participant's email came from the People API for its signed-in user."""
    DIRECTORY = "directory"
    """The participant's email came from the Admin Directory."""
    EXACT_EMAIL = "exact_email"
    """The participant carried its email directly (e.g. Recall.ai's calendar integration)."""
    STABLE_ID = "stable_id"
    """The platform's stable participant id was linked to an email in an earlier meeting."""
    NAME_EXACT = "name_exact"
    """The display name equals an invitee's calendar display name after normalisation."""
    NAME_PARTIAL = "name_partial"
    """Same person with less or more of the name: middle names, initials, first name only, joined words."""
    NICKNAME = "nickname"
    """Same family name and a given name that is a known nickname of the invitee's (Bob/Robert)."""
    NAME_FUZZY = "name_fuzzy"
    """Close spelling of the invitee's display name (typos, transliteration variants)."""
    EMAIL_PATTERN = "email_pattern"
    """The display name fits the invitee's email local part or personal domain (first.last, flast…)."""
    ROOM_RESOURCE = "room_resource"
    """A room device matched to a room resource invitee by name."""
    NOT_A_PERSON = "not_a_person"
    """A bot, a dial-in line or an unmatched room device."""
    AMBIGUOUS = "ambiguous"
    """Several candidates fit about equally well: no email is given."""
    NONE = "none"
    """Nothing fitted well enough: no email is given."""


def normalize_email(email: str) -> str:
    """Return ``email`` stripped and lower-cased: the form the matcher compares and returns."""
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class Participant:
    """One participant of a meeting as a participant source reports it.

    ``email`` is an address known for this participant by an exact source, named by
    ``email_source`` (``"people_api"``, ``"directory"``, ``"known"``, ``"recall"`` …).
    ``stable_id`` is a platform id that stays the same across meetings for the same person.
    """

    id: str
    display_name: str
    kind: ParticipantKind = ParticipantKind.UNKNOWN
    user_id: str | None = None
    email: str | None = None
    email_source: str | None = None
    stable_id: str | None = None


@dataclass(frozen=True, slots=True)
class Invitee:
    """One attendee of the calendar event (people and room resources)."""

    email: str
    display_name: str | None = None
    response_status: str | None = None
    organizer: bool = False
    resource: bool = False
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting: who joined and who was invited."""

    id: str
    participants: Sequence[Participant]
    invitees: Sequence[Invitee]


@dataclass(frozen=True, slots=True)
class Correction:
    """A human correction: this participant is ``email`` (``None`` = not a person).

    It applies to the participant with the same ``participant_id``; to any participant with the
    same ``stable_id``; or to a participant with the same display name (compared with
    :func:`~mapper.matching.normalize_name`) when the meeting's invitee set is the same as
    ``invitee_emails``, or overlaps it by at least half (Jaccard ≥ 0.5) and contains ``email``.
    A name-only correction (``invitee_emails`` is ``None``) applies wherever ``email`` is invited,
    and a name-only "not a person" correction applies everywhere.
    """

    email: str | None
    participant_id: str | None = None
    stable_id: str | None = None
    display_name: str | None = None
    invitee_emails: frozenset[str] | None = None


_EMPTY: Mapping[str, str] = MappingProxyType({})
_EMPTY_SETS: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Prior:
    """What earlier meetings taught: corrections and confirmed identities.

    - ``user_emails``: People-API-confirmed ``user_id`` → email (method ``learned``).
    - ``stable_emails``: platform stable id → email (method ``stable_id``).
    - ``name_emails``: :func:`~mapper.matching.normalize_name` of a display name → emails
      confirmed for it by an exact source (method ``learned``; used only when exactly one of
      those emails is a still-unclaimed invitee of this meeting).
    """

    corrections: Sequence[Correction] = ()
    user_emails: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    stable_emails: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    name_emails: Mapping[str, frozenset[str]] = field(default_factory=lambda: _EMPTY_SETS)


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """The few knobs of the matcher (filled from the config file's ``[matching]`` section).

    - ``fuzzy_threshold``: the lowest name score that may resolve a participant.  Scores are on
      the confidence scale of docs/MATCHING.md (exact name 0.97, first.last email 0.95,
      nickname 0.90, initial 0.86, first name only 0.80, fuzzy ``0.90 - (100 - ratio) / 100``).
      Raise it above 0.80 to stop resolving first-name-only participants.
    - ``ambiguity_margin``: the best invitee must beat every competitor by at least this much,
      else the decision is ``ambiguous``.
    - ``max_candidates``: how many candidates an unresolved or ambiguous decision lists.
    """

    fuzzy_threshold: float = 0.80
    ambiguity_margin: float = 0.06
    max_candidates: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """An invitee email considered for a participant, with its score in [0, 1]."""

    email: str
    score: float


@dataclass(frozen=True, slots=True)
class Decision:
    """The matcher's answer for one participant.

    ``confidence`` estimates the probability that ``email`` is right (for ``resolved``), that the
    participant is not a person (for ``not_a_person``), and is the best candidate's score damped
    by the competition for ``ambiguous`` / ``unresolved``.  ``evidence`` is JSON-serialisable.
    ``person`` is the id of the collapsed person group (the first participant id of the group),
    shared by rejoin duplicates.
    """

    participant_id: str
    email: str | None
    status: Status
    method: Method
    confidence: float
    candidates: tuple[Candidate, ...] = ()
    evidence: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    person: str = ""
