"""Terminal tables (rich): coverage, people, series, then one table per meeting."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from mapper.report.format import duration, hhmm, notes, percent, range_text, slot, when
from mapper.report.model import COVERAGE_STATUSES, MeetingReport, Report
from mapper.report.summary import attendance_rate


def renderables(report: Report) -> Iterator[RenderableType]:
    """Everything the table format shows, in order (strings from the store are never markup)."""
    span = range_text(report.start, report.end)
    yield Text(f"mapper report: {span} (generated {when(report.generated_at)})", style="bold")
    yield _coverage(report)
    if report.people:
        yield _people(report)
    if report.series:
        yield _series(report)
    for meeting in report.meetings:
        yield _meeting(meeting)
        if meeting.conflict and meeting.conflict.has_conflict:
            c = meeting.conflict
            yield Text(
                f"Conflict: meet saw {c.meet_persons} persons, recall saw {c.recall_persons}; "
                f"meet only: {', '.join(c.meet_only) or '-'}; recall only: {', '.join(c.recall_only) or '-'}",
                style="yellow",
            )


def render_table(report: Report, *, width: int = 160) -> str:
    """The table format as plain text (no colour codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False)
    for item in renderables(report):
        console.print(item)
    return buffer.getvalue()


def _coverage(report: Report) -> Table:
    table = Table(title="Resolution coverage (participants)", title_justify="left")
    table.add_column("Scope")
    for status in COVERAGE_STATUSES:
        table.add_column(status.replace("_", " ").capitalize(), justify="right")
    table.add_column("Total", justify="right")
    table.add_column("Resolved", justify="right")
    for row in report.coverage:
        counts = [str(row.count(status)) for status in COVERAGE_STATUSES]
        table.add_row(_t(f"{row.scope}: {row.key}"), *counts, str(row.total), percent(row.share("resolved")))
    return table


def _people(report: Report) -> Table:
    table = Table(title="People", title_justify="left")
    for name in ("Email", "Name", "Invited", "Attended", "Rate", "No-shows", "Declined", "Uninvited", "Time"):
        table.add_column(name, justify="left" if name in ("Email", "Name") else "right", overflow="fold")
    for p in report.people:
        table.add_row(
            _t(p.email),
            _t(p.display_name or ""),
            str(p.invited),
            str(p.attended_invited),
            percent(p.attendance_rate),
            str(p.no_shows),
            str(p.declined),
            str(p.uninvited),
            duration(p.total_seconds),
        )
    return table


def _series(report: Report) -> Table:
    table = Table(title="Series", title_justify="left")
    for name in ("Series", "Occurrences", "Observed", "Avg attendance"):
        table.add_column(name, justify="left" if name == "Series" else "right", overflow="fold")
    for s in report.series:
        table.add_row(
            _t(s.title or s.series_id), str(s.occurrences), str(s.observed), percent(s.average_attendance_rate)
        )
    return table


def _meeting(meeting: MeetingReport) -> Table:
    rate = attendance_rate(meeting)
    title = f"{meeting.title or 'Unscheduled meeting'} | {slot(meeting.start, meeting.end)}"
    caption = " | ".join(
        part
        for part in (
            meeting.meeting_code,
            "sources: " + (", ".join(meeting.sources) or "none (not observed)"),
            f"attendance {percent(rate)}" if rate is not None else None,
        )
        if part
    )
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for name in ("Person", "Email", "Category", "Response", "Join", "Leave", "Present", "Sessions", "Method", "Conf."):
        table.add_column(name, overflow="fold")
    table.add_column("Notes", overflow="fold")
    for row in meeting.rows:
        table.add_row(
            _t(row.label),
            _t(row.email or ""),
            row.category.value,
            _t(row.response_status or ""),
            _time(row.first_join),
            _time(row.last_leave),
            duration(row.seconds_present) if row.attended else "",
            str(row.sessions) if row.attended else "",
            _t(row.method or ""),
            f"{row.confidence:.2f}" if row.confidence is not None else "",
            _t(notes(row)),
        )
    return table


def _time(value: datetime | None) -> str:
    return hhmm(value) if value else ""


def _t(text: str) -> Text:
    """Plain text: square brackets in names are not rich markup."""
    return Text(text)


__all__ = ["render_table", "renderables"]
