"""What a report covers: a UTC time range and optional filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from mapper.clock import utc
from mapper.report.model import Filters

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Meetings starting in ``[start, end)`` (aware UTC), narrowed by ``filters``."""

    start: datetime
    end: datetime
    filters: Filters = field(default_factory=Filters)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("report bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"empty report range: {self.start.isoformat()} .. {self.end.isoformat()}")

    @classmethod
    def for_days(cls, first: date, last: date | None = None, filters: Filters | None = None) -> ReportQuery:
        """Whole UTC days ``first`` .. ``last`` inclusive (``last`` defaults to ``first``)."""
        start = datetime.combine(first, time(), UTC)
        end = datetime.combine(last or first, time(), UTC) + timedelta(days=1)
        return cls(start, end, filters or Filters())


def parse_bound(text: str, *, end: bool) -> datetime:
    """``YYYY-MM-DD`` (a whole UTC day: its start, or for ``end`` the next midnight) or RFC 3339.

    An RFC 3339 timestamp is used as given: meetings start at or after a start bound and before an
    end bound.  Raises :class:`ValueError` with a readable message.
    """
    text = text.strip()
    if _DAY.match(text):
        day = date.fromisoformat(text)
        return datetime.combine(day, time(), UTC) + (timedelta(days=1) if end else timedelta())
    try:
        return utc(text)
    except ValueError:
        raise ValueError(f"{text!r} is neither a date (YYYY-MM-DD) nor an RFC 3339 timestamp") from None


__all__ = ["ReportQuery", "parse_bound"]
