"""Time present in a meeting: the union of a person's session intervals.

A person may be seen several times at once: rejoins that overlap, two devices, or Meet and a
Recall.ai bot observing the same call.  Summing the sessions would count that time twice, so
presence is the length of the **union** of the intervals.  Intervals are never clipped to the
scheduled slot (somebody who stays after the end was still there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A closed interval of presence, ``start <= end``."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def span(start: datetime, end: datetime) -> Span:
    """A :class:`Span`; an end before the start (bad source data) becomes an empty span at ``start``."""
    return Span(start, max(start, end))


def union(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted, disjoint spans covering exactly the given ones; touching spans are merged."""
    merged: list[Span] = []
    for current in sorted(spans):
        if merged and current.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, current.end))
        else:
            merged.append(current)
    return tuple(merged)


def total_seconds(spans: Iterable[Span]) -> int:
    """Whole seconds covered by the union of ``spans`` (rounded to the nearest second)."""
    return round(sum(part.seconds for part in union(spans)))


__all__ = ["Span", "span", "total_seconds", "union"]
