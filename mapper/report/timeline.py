"""The attendance timeline of one meeting as inline SVG (no script, no external resource).

The time axis covers the scheduled slot (shaded) and is widened to include every session, so
time spent before or after the slot is drawn rather than clipped.  One row per person; one bar
per presence span (the union of their sessions).  Invitees, uninvited people, unidentified
participants and non-persons each have their own class (colour); uninvited bars are also
striped, unidentified ones dashed with a "?" badge so the difference survives greyscale printing.
Every bar carries a ``<title>`` and an ``aria-label``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from html import escape

from mapper.report.format import CATEGORY_LABELS, duration, hhmm
from mapper.report.model import MeetingReport, PersonRow, Section

WIDTH = 960
LABEL_WIDTH = 230
RIGHT_PAD = 16
AXIS_HEIGHT = 30
ROW_HEIGHT = 26
BAR_HEIGHT = 14
_STEPS_MINUTES = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440)
_MAX_TICKS = 8
_BAR_CLASS = {
    Section.INVITEE: "bar-invitee",
    Section.UNINVITED: "bar-uninvited",
    Section.UNIDENTIFIED: "bar-unidentified",
    Section.NON_PERSON: "bar-nonperson",
}


def axis_bounds(meeting: MeetingReport) -> tuple[datetime, datetime] | None:
    """The drawn time range: the slot widened to every session; ``None`` when nothing is timed."""
    moments = [m for m in (meeting.start, meeting.end) if m is not None]
    moments += [moment for row in meeting.rows for span in row.spans for moment in (span.start, span.end)]
    if not moments:
        return None
    low, high = min(moments), max(moments)
    return (low, high) if high > low else (low, low + timedelta(minutes=1))


def ticks(low: datetime, high: datetime) -> list[datetime]:
    """Round times (every 1, 2, 5 … 60 … minutes) inside ``[low, high]``, at most eight."""
    minutes = (high - low).total_seconds() / 60
    step = next((s for s in _STEPS_MINUTES if math.floor(minutes / s) + 1 <= _MAX_TICKS), _STEPS_MINUTES[-1])
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    found = []
    moment = epoch + timedelta(minutes=math.ceil((low - epoch).total_seconds() / 60 / step) * step)
    while moment <= high:
        if moment >= low:
            found.append(moment)
        moment += timedelta(minutes=step)
    return found


def render_timeline(meeting: MeetingReport, ident: str) -> str:
    """The ``<svg>`` of one meeting (``ident`` makes its pattern ids unique in the page)."""
    bounds = axis_bounds(meeting)
    if bounds is None or not meeting.rows:
        return ""
    low, high = bounds
    x0, x1 = LABEL_WIDTH, WIDTH - RIGHT_PAD
    total = (high - low).total_seconds()

    def x(moment: datetime) -> float:
        return round(x0 + (x1 - x0) * (moment - low).total_seconds() / total, 2)

    height = AXIS_HEIGHT + ROW_HEIGHT * len(meeting.rows) + 8
    rows_bottom = height - 4
    parts = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" '
        f'aria-labelledby="{ident}-title" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{ident}-title">Attendance timeline, {escape(meeting.title or "unscheduled meeting")}</title>',
        f'<defs><pattern id="{ident}-stripes" class="stripes" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="stripe-bg"/>'
        '<rect width="3" height="6" class="stripe-fg"/></pattern></defs>',
    ]
    if meeting.start and meeting.end:
        parts.append(
            f'<rect class="slot" x="{x(meeting.start)}" y="{AXIS_HEIGHT - 6}" '
            f'width="{max(0.0, x(meeting.end) - x(meeting.start))}" height="{rows_bottom - AXIS_HEIGHT + 6}">'
            f"<title>{'Scheduled' if meeting.scheduled else 'Conference'} "
            f"{hhmm(meeting.start)}–{hhmm(meeting.end)} UTC</title></rect>"
        )
    for tick in ticks(low, high):
        parts.append(
            f'<g class="tick"><line x1="{x(tick)}" x2="{x(tick)}" y1="{AXIS_HEIGHT - 8}" y2="{rows_bottom}"/>'
            f'<text x="{x(tick)}" y="{AXIS_HEIGHT - 14}" text-anchor="middle">{hhmm(tick)}</text></g>'
        )
    labels = display_labels(meeting.rows)
    for index, row in enumerate(meeting.rows):
        parts.append(_row(row, labels[index], AXIS_HEIGHT + index * ROW_HEIGHT, x, ident))
    parts.append("</svg>")
    return "".join(parts)


def display_labels(rows: Sequence[PersonRow]) -> list[str]:
    """Row labels, with the email's local part (else the source) added where two rows share a name."""
    counts = Counter(row.label for row in rows)
    labels = []
    for row in rows:
        if counts[row.label] > 1:
            extra = row.email.split("@")[0] if row.email and row.email != row.label else "/".join(row.seen_by)
            labels.append(f"{row.label} · {extra}" if extra else row.label)
        else:
            labels.append(row.label)
    return labels


def _row(row: PersonRow, shown: str, top: int, x: Callable[[datetime], float], ident: str) -> str:
    section = row.section
    classes = f"tl-row tl-{section.value} row-{row.category.value}"
    label = escape(_short(shown))
    middle = top + ROW_HEIGHT / 2
    parts = [
        f'<g class="{classes}" data-person="{escape(row.person_key)}" data-label="{escape(row.label)}" '
        f'data-email="{escape(row.email or "")}" data-category="{row.category.value}">'
    ]
    parts.append(f"<title>{escape(row.label)}: {CATEGORY_LABELS[row.category]}</title>")
    if section is Section.UNIDENTIFIED:
        parts.append(
            f'<g class="badge-unresolved" aria-hidden="true"><circle cx="10" cy="{middle}" r="8"/>'
            f'<text x="10" y="{middle + 4}" text-anchor="middle">?</text></g>'
        )
    parts.append(f'<text class="tl-label" x="24" y="{middle + 4}">{label}</text>')
    if not row.spans:
        note = CATEGORY_LABELS[row.category] if not row.attended else "present (no times)"
        parts.append(f'<text class="tl-absent" x="{LABEL_WIDTH + 6}" y="{middle + 4}">{escape(note)}</text>')
    fill = f' fill="url(#{ident}-stripes)"' if section is Section.UNINVITED else ""
    for span in row.spans:
        left, right = x(span.start), x(span.end)
        width = max(2.0, round(right - left, 2))
        text = escape(
            f"{row.label} ({CATEGORY_LABELS[row.category]}): {hhmm(span.start)}–{hhmm(span.end)} UTC, "
            f"{duration(round(span.seconds))}"
        )
        parts.append(
            f'<rect class="bar {_BAR_CLASS[section]}"{fill} x="{left}" y="{middle - BAR_HEIGHT / 2}" width="{width}" '
            f'height="{BAR_HEIGHT}" rx="3" role="img" aria-label="{text}"><title>{text}</title></rect>'
        )
    parts.append("</g>")
    return "".join(parts)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["axis_bounds", "display_labels", "render_timeline", "ticks"]
