"""Figures over the whole range: per person, per series, and resolution coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from mapper.report.load import LoadedMeeting
from mapper.report.model import (
    ATTENDED_CATEGORIES,
    COVERAGE_STATUSES,
    Category,
    CoverageRow,
    MeetingReport,
    PersonSummary,
    Section,
    SeriesSummary,
)


def people_summary(meetings: Iterable[MeetingReport]) -> tuple[PersonSummary, ...]:
    """One line per email (invitees and resolved participants), sorted by email.

    ``invited`` counts observed meetings only: a meeting without participant data says nothing
    about attendance (those invitations are counted in ``not_observed``).
    """
    counts: dict[str, Counter[str]] = {}
    names: dict[str, str | None] = {}
    for meeting in meetings:
        for row in meeting.rows:
            if row.email is None or row.section not in (Section.INVITEE, Section.UNINVITED):
                continue
            count = counts.setdefault(row.email, Counter())
            if names.get(row.email) is None:
                names[row.email] = row.display_name
            count["seconds"] += row.seconds_present
            if row.category is Category.NOT_OBSERVED:
                count["not_observed"] += 1
            elif row.category is Category.UNINVITED:
                count["uninvited"] += 1
            else:
                count["invited"] += 1
                count["attended"] += row.category in ATTENDED_CATEGORIES
                count["declined"] += row.response_status == "declined"
                count["no_shows"] += row.category is Category.NO_SHOW
    return tuple(
        PersonSummary(
            email=email,
            display_name=names.get(email),
            invited=count["invited"],
            attended_invited=count["attended"],
            declined=count["declined"],
            no_shows=count["no_shows"],
            not_observed=count["not_observed"],
            uninvited=count["uninvited"],
            total_seconds=count["seconds"],
        )
        for email, count in sorted(counts.items())
    )


def attendance_rate(meeting: MeetingReport) -> float | None:
    """Invitees (people, any response) who attended / invitees; ``None`` when not observed or none."""
    invitees = [r for r in meeting.in_section(Section.INVITEE) if r.category is not Category.NOT_OBSERVED]
    if not meeting.observed or not invitees:
        return None
    return sum(1 for r in invitees if r.category in ATTENDED_CATEGORIES) / len(invitees)


def series_summary(meetings: Iterable[MeetingReport]) -> tuple[SeriesSummary, ...]:
    """One line per recurring series with an occurrence in the range, sorted by title then id."""
    series: dict[str, list[MeetingReport]] = {}
    for meeting in meetings:
        if meeting.series_id:
            series.setdefault(meeting.series_id, []).append(meeting)
    found = []
    for series_id, occurrences in series.items():
        rates = [rate for rate in map(attendance_rate, occurrences) if rate is not None]
        title = next((m.title for m in occurrences if m.title), None)
        found.append(
            SeriesSummary(
                series_id=series_id,
                title=title,
                occurrences=len(occurrences),
                observed=sum(1 for m in occurrences if m.observed),
                average_attendance_rate=sum(rates) / len(rates) if rates else None,
            )
        )
    return tuple(sorted(found, key=lambda s: (s.title or "", s.series_id)))


def coverage(meetings: Sequence[LoadedMeeting]) -> tuple[CoverageRow, ...]:
    """Mapping statuses of every participant of every conference: overall, per source, per method.

    The unit is one participant row (what the resolver decides); a participant without a mapping
    is ``pending`` (its method is ``pending`` too).
    """
    overall: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}
    by_method: dict[str, Counter[str]] = {}
    for meeting in meetings:
        for conference in meeting.conferences:
            for seen in conference.participants:
                status = seen.mapping.status if seen.mapping else "pending"
                method = seen.mapping.method if seen.mapping else "pending"
                overall[status] += 1
                by_source.setdefault(seen.source, Counter())[status] += 1
                by_method.setdefault(method, Counter())[status] += 1
    rows = [_row("overall", "all", overall)]
    rows += [_row("source", key, counter) for key, counter in sorted(by_source.items())]
    rows += [_row("method", key, counter) for key, counter in sorted(by_method.items())]
    return tuple(rows)


def _row(scope: str, key: str, counter: Counter[str]) -> CoverageRow:
    a, b, c, d, e = (counter[status] for status in COVERAGE_STATUSES)
    return CoverageRow(scope, key, (a, b, c, d, e))


__all__ = ["attendance_rate", "coverage", "people_summary", "series_summary"]
