"""The calendar plan: every event (single or recurring) with its occurrences inside the period.

A :class:`Series` is one Calendar event as its organizer created it; a single meeting is a series
of one occurrence without a recurrence rule.  Occurrences outside the generated period exist in
Calendar (a recurrence may run on) but nothing happens in them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mapper.sandbox.generate.org import Member, Room


@dataclass(slots=True)
class Invite:
    member: Member
    response: str
    """``accepted`` | ``tentative`` | ``needsAction`` | ``declined``."""
    optional: bool = False
    additional_guests: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """The online meeting an event points at."""

    platform: str
    """``google_meet`` | ``zoom`` | ``microsoft_teams``."""
    meeting_id: str
    """Meet code, Zoom number or Teams thread id."""
    url: str
    password: str | None = None
    passcode: str | None = None
    tenant_id: str | None = None
    organizer_oid: str | None = None


@dataclass(slots=True)
class Occurrence:
    instance_id: str
    original_start: datetime
    start: datetime
    end: datetime
    cancelled: bool = False
    moved: bool = False


@dataclass(slots=True)
class Series:
    number: int
    event_id: str
    kind: str
    """``standup``, ``team``, ``one_on_one``, ``all_hands``, ``sync``, ``partner``, ``adhoc`` or a
    forced hard case (``namesakes``, ``external_namesakes``, ``given_twins``, ``showcase``,
    ``platform_showcase``; see :mod:`.hard_cases`)."""
    summary: str
    organizer: Member
    invites: list[Invite]
    room: Room | None
    start: datetime
    duration: timedelta
    created: datetime
    rrule: str | None = None
    link: Link | None = None
    recorded: bool = False
    cancelled: bool = False
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def ical_uid(self) -> str:
        return f"{self.event_id}@google.com"

    @property
    def external_organizer(self) -> bool:
        return not self.organizer.internal

    def internal_invites(self) -> list[Invite]:
        return [invite for invite in self.invites if invite.member.internal]


@dataclass(frozen=True, slots=True)
class Period:
    """The generated days: ``[start, end)`` at UTC midnights."""

    start: datetime
    end: datetime

    @property
    def days(self) -> list[date]:
        count = (self.end - self.start).days
        return [(self.start + timedelta(days=n)).date() for n in range(count)]

    @property
    def workdays(self) -> list[date]:
        return [day for day in self.days if day.weekday() < 5]


def instance_id(event_id: str, original_start: datetime) -> str:
    """Google's id of one instance of a recurring event: ``{event}_{YYYYMMDDTHHMMSSZ}``."""
    return f"{event_id}_{original_start:%Y%m%dT%H%M%SZ}"


def meeting_key(series: Series, occurrence: Occurrence) -> str:
    """The store's key of a meeting instance: ``{iCalUID}|{original start, ISO 8601}``."""
    return f"{series.ical_uid}|{occurrence.original_start.isoformat()}"


__all__ = ["Invite", "Link", "Occurrence", "Period", "Series", "instance_id", "meeting_key"]
