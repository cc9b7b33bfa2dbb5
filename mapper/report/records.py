"""The stable, documented record shapes shared by the CSV and JSON outputs (docs/REPORTS.md).

Adding a key at the end is a compatible change; renaming, removing or re-typing one bumps
:data:`REPORT_VERSION`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mapper.report.model import (
    COVERAGE_STATUSES,
    Category,
    CoverageRow,
    MeetingReport,
    PersonRow,
    PersonSummary,
    Report,
    SeriesSummary,
)
from mapper.report.summary import attendance_rate

REPORT_VERSION = 1

ROW_COLUMNS: tuple[str, ...] = (
    "meeting_id",
    "meeting_title",
    "meeting_start",
    "meeting_end",
    "scheduled",
    "observed",
    "calendar",
    "organizer",
    "platform",
    "meeting_code",
    "series_id",
    "meeting_sources",
    "person_key",
    "section",
    "category",
    "email",
    "display_name",
    "participant_names",
    "invited",
    "response_status",
    "optional",
    "is_organizer",
    "attended",
    "first_join",
    "last_leave",
    "seconds_present",
    "sessions",
    "mapping_status",
    "method",
    "confidence",
    "candidates",
    "reason",
    "kinds",
    "seen_by",
    "source_conflict",
)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``: ``2025-03-03T15:00:00Z`` (fractions only when present)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def row_record(meeting: MeetingReport, row: PersonRow) -> dict[str, Any]:
    """One (meeting, person) row, keys in :data:`ROW_COLUMNS` order, JSON-typed values."""
    record = {
        "meeting_id": meeting.meeting_id,
        "meeting_title": meeting.title,
        "meeting_start": iso(meeting.start),
        "meeting_end": iso(meeting.end),
        "scheduled": meeting.scheduled,
        "observed": meeting.observed,
        "calendar": meeting.calendar,
        "organizer": meeting.organizer,
        "platform": meeting.platform,
        "meeting_code": meeting.meeting_code,
        "series_id": meeting.series_id,
        "meeting_sources": list(meeting.sources),
        "person_key": row.person_key,
        "section": row.section.value,
        "category": row.category.value,
        "email": row.email,
        "display_name": row.display_name,
        "participant_names": list(row.participant_names),
        "invited": row.invited,
        "response_status": row.response_status,
        "optional": row.optional,
        "is_organizer": row.organizer,
        "attended": row.attended,
        "first_join": iso(row.first_join),
        "last_leave": iso(row.last_leave),
        "seconds_present": row.seconds_present,
        "sessions": row.sessions,
        "mapping_status": row.mapping_status,
        "method": row.method,
        "confidence": row.confidence,
        "candidates": [{"email": c.email, "score": c.score} for c in row.candidates],
        "reason": row.reason,
        "kinds": list(row.kinds),
        "seen_by": list(row.seen_by),
        "source_conflict": row.source_conflict,
    }
    assert tuple(record) == ROW_COLUMNS
    return record


def meeting_record(meeting: MeetingReport) -> dict[str, Any]:
    conflict = meeting.conflict
    return {
        "meeting_id": meeting.meeting_id,
        "title": meeting.title,
        "start": iso(meeting.start),
        "end": iso(meeting.end),
        "scheduled": meeting.scheduled,
        "observed": meeting.observed,
        "calendar": meeting.calendar,
        "organizer": meeting.organizer,
        "platform": meeting.platform,
        "meeting_code": meeting.meeting_code,
        "series_id": meeting.series_id,
        "sources": list(meeting.sources),
        "conferences": list(meeting.conferences),
        "counts": {category.value: meeting.count(category) for category in Category},
        "attendance_rate": attendance_rate(meeting),
        "conflict": None
        if conflict is None
        else {
            "has_conflict": conflict.has_conflict,
            "meet_persons": conflict.meet_persons,
            "recall_persons": conflict.recall_persons,
            "meet_only": list(conflict.meet_only),
            "recall_only": list(conflict.recall_only),
        },
    }


def person_record(person: PersonSummary) -> dict[str, Any]:
    return {
        "email": person.email,
        "display_name": person.display_name,
        "invited": person.invited,
        "attended": person.attended,
        "attended_invited": person.attended_invited,
        "declined": person.declined,
        "no_shows": person.no_shows,
        "not_observed": person.not_observed,
        "uninvited": person.uninvited,
        "attendance_rate": person.attendance_rate,
        "total_seconds": person.total_seconds,
    }


def series_record(series: SeriesSummary) -> dict[str, Any]:
    return {
        "series_id": series.series_id,
        "title": series.title,
        "occurrences": series.occurrences,
        "observed": series.observed,
        "average_attendance_rate": series.average_attendance_rate,
    }


def coverage_record(row: CoverageRow) -> dict[str, Any]:
    return {
        "scope": row.scope,
        "key": row.key,
        "total": row.total,
        **{status: row.count(status) for status in COVERAGE_STATUSES},
        **{f"{status}_share": row.share(status) for status in COVERAGE_STATUSES},
    }


def summary_record(report: Report) -> dict[str, Any]:
    """Headline figures of the whole report."""
    meetings = report.meetings
    rows = [row for meeting in meetings for row in meeting.rows]
    return {
        "meetings": len(meetings),
        "scheduled": sum(1 for m in meetings if m.scheduled),
        "unscheduled": sum(1 for m in meetings if not m.scheduled),
        "observed": sum(1 for m in meetings if m.observed),
        "not_observed": sum(1 for m in meetings if not m.observed),
        "conflicts": sum(1 for m in meetings if m.conflict and m.conflict.has_conflict),
        "rows": {category.value: sum(1 for r in rows if r.category is category) for category in Category},
    }


def report_record(report: Report) -> dict[str, Any]:
    """The whole report as one JSON-ready object (see docs/REPORTS.md)."""
    return {
        "report_version": REPORT_VERSION,
        "generated_at": iso(report.generated_at),
        "from": iso(report.start),
        "to": iso(report.end),
        "filters": {
            "calendar": report.filters.calendar,
            "organizer": report.filters.organizer,
            "meeting_code": report.filters.meeting_code,
        },
        "summary": summary_record(report),
        "coverage": [coverage_record(row) for row in report.coverage],
        "people": [person_record(person) for person in report.people],
        "series": [series_record(series) for series in report.series],
        "meetings": [meeting_record(meeting) for meeting in report.meetings],
        "rows": [
            {**row_record(meeting, row), "spans": [{"start": iso(s.start), "end": iso(s.end)} for s in row.spans]}
            for meeting, row in report.rows()
        ],
    }


__all__ = [
    "REPORT_VERSION",
    "ROW_COLUMNS",
    "coverage_record",
    "iso",
    "meeting_record",
    "person_record",
    "report_record",
    "row_record",
    "series_record",
    "summary_record",
]
