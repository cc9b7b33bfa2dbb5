"""The reconciliation report as plain frozen data: what :func:`~mapper.report.build.build_report`
returns and every output format (table, CSV, JSON, HTML) renders.

See docs/REPORTS.md for the meaning of every category and figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from mapper.report.intervals import Span


class Category(StrEnum):
    """What happened to one person in one meeting (exactly one per row)."""

    ATTENDED = "attended"
    OPTIONAL_ATTENDED = "optional_attended"
    DECLINED_ATTENDED = "declined_attended"
    NO_SHOW = "no_show"
    DECLINED = "declined"
    NOT_OBSERVED = "not_observed"
    UNINVITED = "uninvited"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"
    PENDING = "pending"
    NON_PERSON = "non_person"

    @property
    def section(self) -> Section:
        return _SECTIONS[self]


class Section(StrEnum):
    """Where a row is listed: invitees, uninvited people, unidentified participants, non-persons."""

    INVITEE = "invitee"
    UNINVITED = "uninvited"
    UNIDENTIFIED = "unidentified"
    NON_PERSON = "non_person"


_SECTIONS = {
    **dict.fromkeys(
        [
            Category.ATTENDED,
            Category.OPTIONAL_ATTENDED,
            Category.DECLINED_ATTENDED,
            Category.NO_SHOW,
            Category.DECLINED,
            Category.NOT_OBSERVED,
        ],
        Section.INVITEE,
    ),
    Category.UNINVITED: Section.UNINVITED,
    **dict.fromkeys([Category.AMBIGUOUS, Category.UNRESOLVED, Category.PENDING], Section.UNIDENTIFIED),
    Category.NON_PERSON: Section.NON_PERSON,
}

ATTENDED_CATEGORIES = frozenset({Category.ATTENDED, Category.OPTIONAL_ATTENDED, Category.DECLINED_ATTENDED})


@dataclass(frozen=True, slots=True)
class Candidate:
    email: str
    score: float


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person (or non-person) in one meeting.

    A person is one email across every conference of the meeting (resolved mappings), or one
    ``mapping.person`` group of one conference when not resolved.  Invitees who never joined have
    a row too (no-show, declined, not observed).
    """

    person_key: str
    category: Category
    email: str | None = None
    display_name: str | None = None
    participant_names: tuple[str, ...] = ()
    invited: bool = False
    response_status: str | None = None
    optional: bool = False
    organizer: bool = False
    attended: bool = False
    first_join: datetime | None = None
    last_leave: datetime | None = None
    seconds_present: int = 0
    spans: tuple[Span, ...] = ()
    mapping_status: str | None = None  # resolved | ambiguous | unresolved | not_a_person | pending
    method: str | None = None
    confidence: float | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str | None = None
    kinds: tuple[str, ...] = ()  # participant kinds seen (signed_in, phone, room, bot, ...)
    seen_by: tuple[str, ...] = ()  # sources that saw this person (meet, recall)
    source_conflict: bool = False  # seen by only one of a meeting's two sources

    @property
    def section(self) -> Section:
        return self.category.section

    @property
    def sessions(self) -> int:
        """Separate presence spans after the union of every session (see :mod:`.intervals`)."""
        return len(self.spans)

    @property
    def label(self) -> str:
        """A name for people: display name, else email, else the participant's name."""
        return self.display_name or self.email or next(iter(self.participant_names), None) or "(no name)"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Meet and Recall.ai both observed a meeting and did not see the same people."""

    meet_persons: int
    recall_persons: int
    meet_only: tuple[str, ...]
    recall_only: tuple[str, ...]

    @property
    def has_conflict(self) -> bool:
        return bool(self.meet_only or self.recall_only) or self.meet_persons != self.recall_persons


@dataclass(frozen=True, slots=True)
class MeetingReport:
    """One meeting instance (a calendar meeting counted once, or an unscheduled conference)."""

    meeting_id: str
    title: str | None
    start: datetime | None
    end: datetime | None
    scheduled: bool
    calendar: str | None = None
    organizer: str | None = None
    platform: str | None = None
    meeting_code: str | None = None
    series_id: str | None = None
    sources: tuple[str, ...] = ()
    conferences: tuple[str, ...] = ()  # "{source}:{source_key}" of each conference
    rows: tuple[PersonRow, ...] = ()
    conflict: Conflict | None = None

    @property
    def observed(self) -> bool:
        """At least one conference holds participant data for this meeting."""
        return bool(self.conferences)

    def in_section(self, section: Section) -> tuple[PersonRow, ...]:
        return tuple(row for row in self.rows if row.section is section)

    def count(self, *categories: Category) -> int:
        return sum(1 for row in self.rows if row.category in categories)


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """One email over the whole range (observed meetings only count towards the rate)."""

    email: str
    display_name: str | None
    invited: int  # observed meetings where invited (any response)
    attended_invited: int
    declined: int
    no_shows: int
    not_observed: int  # invited to meetings without participant data
    uninvited: int  # observed meetings attended without an invitation
    total_seconds: int

    @property
    def attended(self) -> int:
        return self.attended_invited + self.uninvited

    @property
    def attendance_rate(self) -> float | None:
        return self.attended_invited / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class SeriesSummary:
    """A recurring series (``recurring_event_id``) over the range."""

    series_id: str
    title: str | None
    occurrences: int
    observed: int
    average_attendance_rate: float | None  # mean over observed occurrences with invitees


COVERAGE_STATUSES = ("resolved", "ambiguous", "unresolved", "not_a_person", "pending")


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Mapping statuses of participants (one per participant row) overall, per source or method."""

    scope: str  # overall | source | method
    key: str
    counts: tuple[int, int, int, int, int]  # in COVERAGE_STATUSES order

    @property
    def total(self) -> int:
        return sum(self.counts)

    def count(self, status: str) -> int:
        return self.counts[COVERAGE_STATUSES.index(status)]

    def share(self, status: str) -> float | None:
        return self.count(status) / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Filters:
    calendar: str | None = None
    organizer: str | None = None
    meeting_code: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    generated_at: datetime
    start: datetime  # inclusive
    end: datetime  # exclusive
    filters: Filters = field(default_factory=Filters)
    meetings: tuple[MeetingReport, ...] = ()
    people: tuple[PersonSummary, ...] = ()
    series: tuple[SeriesSummary, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()

    @property
    def overall(self) -> CoverageRow:
        return next(row for row in self.coverage if row.scope == "overall")

    def rows(self) -> list[tuple[MeetingReport, PersonRow]]:
        """Every (meeting, person) pair, in meeting order then row order."""
        return [(meeting, row) for meeting in self.meetings for row in meeting.rows]


__all__ = [
    "ATTENDED_CATEGORIES",
    "COVERAGE_STATUSES",
    "Candidate",
    "Category",
    "Conflict",
    "CoverageRow",
    "Filters",
    "MeetingReport",
    "PersonRow",
    "PersonSummary",
    "Report",
    "Section",
    "SeriesSummary",
]
