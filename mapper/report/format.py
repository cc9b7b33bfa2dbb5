"""Human-readable bits shared by the table and HTML formats (times are always shown in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from mapper.report.model import Category, PersonRow

CATEGORY_LABELS: dict[Category, str] = {
    Category.ATTENDED: "attended",
    Category.OPTIONAL_ATTENDED: "attended (optional)",
    Category.DECLINED_ATTENDED: "declined but attended",
    Category.NO_SHOW: "no-show",
    Category.DECLINED: "declined",
    Category.NOT_OBSERVED: "not observed",
    Category.UNINVITED: "uninvited",
    Category.AMBIGUOUS: "ambiguous",
    Category.UNRESOLVED: "unresolved",
    Category.PENDING: "pending",
    Category.NON_PERSON: "not a person",
}


def when(value: datetime | None) -> str:
    """``2025-03-03 15:00 UTC``."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def range_text(start: datetime, end: datetime) -> str:
    """``2025-03-03 – 2025-03-09`` for whole UTC days (end exclusive), else both instants."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if start.time() == time() and end.time() == time():
        last = (end - timedelta(days=1)).date()
        return start.date().isoformat() if last == start.date() else f"{start.date()} – {last}"
    return f"{when(start)} – {when(end)}"


def hhmm(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%H:%M")


def slot(start: datetime | None, end: datetime | None) -> str:
    """``2025-03-03 15:00–16:00 UTC`` (the end's date is shown when it differs)."""
    if start is None:
        return "time unknown"
    if end is None:
        return when(start)
    same_day = start.astimezone(UTC).date() == end.astimezone(UTC).date()
    tail = hhmm(end) if same_day else end.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    return f"{start.astimezone(UTC).strftime('%Y-%m-%d %H:%M')}–{tail} UTC"


def duration(seconds: int) -> str:
    """``1h 05m``, ``12m 30s``, ``45s``."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def candidates_text(row: PersonRow) -> str:
    return ", ".join(f"{c.email} ({c.score:.2f})" for c in row.candidates)


def notes(row: PersonRow) -> str:
    """Flags, candidates and the reason of one row, as one line."""
    parts = []
    if row.organizer:
        parts.append("organizer")
    if row.optional and row.category is not Category.OPTIONAL_ATTENDED:
        parts.append("optional")
    if row.category is Category.NON_PERSON and row.kinds:
        parts.append("/".join(row.kinds))
    others = [name for name in row.participant_names if name != row.label]
    if others:
        parts.append("joined as " + ", ".join(f"“{name}”" for name in others))
    if row.candidates:
        parts.append("candidates: " + candidates_text(row))
    if row.reason:
        parts.append(row.reason)
    if row.source_conflict:
        parts.append("seen only by " + ", ".join(row.seen_by))
    return "; ".join(parts)


__all__ = ["CATEGORY_LABELS", "candidates_text", "duration", "hhmm", "notes", "percent", "range_text", "slot", "when"]
