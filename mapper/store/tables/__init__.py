"""Every table of the store.  ``Table.metadata`` holds them all (used by Alembic)."""

from mapper.store.tables.base import Table
from mapper.store.tables.calendar import Calendar, CalendarEvent, EventCollection, Invitee
from mapper.store.tables.conference import Conference, Participant, ParticipantSession
from mapper.store.tables.identity import LearnedIdentity, PersonCache
from mapper.store.tables.mapping import Correction, Mapping, MappingHistory
from mapper.store.tables.ops import JobRun, Lease

__all__ = [
    "Calendar",
    "CalendarEvent",
    "Conference",
    "Correction",
    "EventCollection",
    "Invitee",
    "JobRun",
    "LearnedIdentity",
    "Lease",
    "Mapping",
    "MappingHistory",
    "Participant",
    "ParticipantSession",
    "PersonCache",
    "Table",
]
