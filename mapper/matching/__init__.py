"""The matcher: which invitee email belongs to each participant of one meeting.

Pure: no I/O, no database, no clock.  Start with :func:`match_meeting`; docs/MATCHING.md
explains the decision levels, labels, thresholds and confidence.
"""

from __future__ import annotations

from mapper.matching.matcher import match_meeting
from mapper.matching.normalize import normalize_name
from mapper.matching.types import (
    Candidate,
    Correction,
    Decision,
    Invitee,
    MatchSettings,
    Meeting,
    Method,
    Participant,
    ParticipantKind,
    Prior,
    Status,
    normalize_email,
)

__all__ = [
    "Candidate",
    "Correction",
    "Decision",
    "Invitee",
    "MatchSettings",
    "Meeting",
    "Method",
    "Participant",
    "ParticipantKind",
    "Prior",
    "Status",
    "match_meeting",
    "normalize_email",
    "normalize_name",
]
