"""Presence is the union of session intervals: overlaps are never counted twice."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.report.intervals import Span, span, total_seconds, union

T0 = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)


def m(start: int, end: int) -> Span:
    return span(T0 + timedelta(minutes=start), T0 + timedelta(minutes=end))


@pytest.mark.parametrize(
    ("spans", "expected", "seconds"),
    [
        pytest.param([], [], 0, id="nothing"),
        pytest.param([m(0, 20), m(18, 40), m(50, 60)], [m(0, 40), m(50, 60)], 3000, id="rejoin-overlap-and-gap"),
        pytest.param([m(0, 10), m(10, 20)], [m(0, 20)], 1200, id="touching-merge"),
        pytest.param([m(0, 60), m(1, 39)], [m(0, 60)], 3600, id="second-source-inside"),
        pytest.param([m(30, 40), m(0, 5)], [m(0, 5), m(30, 40)], 900, id="unsorted"),
        pytest.param([m(5, 5)], [m(5, 5)], 0, id="empty-span-kept"),
    ],
)
def test_union(spans: list[Span], expected: list[Span], seconds: int) -> None:
    assert list(union(spans)) == expected
    assert total_seconds(spans) == seconds


def test_an_end_before_the_start_becomes_an_empty_span() -> None:
    assert span(T0, T0 - timedelta(minutes=5)) == Span(T0, T0)


minutes = st.lists(st.tuples(st.integers(0, 600), st.integers(0, 120)), max_size=12)


@given(minutes)
def test_union_properties(pairs: list[tuple[int, int]]) -> None:
    spans = [m(start, start + length) for start, length in pairs]
    merged = union(spans)
    assert all(a.end < b.start for a, b in itertools.pairwise(merged))  # sorted, disjoint, not touching
    for part in spans:  # every input is covered by one merged span
        assert any(cover.start <= part.start and part.end <= cover.end for cover in merged)
    covered = total_seconds(spans)
    assert covered <= sum(part.seconds for part in spans)
    assert covered >= max((part.seconds for part in spans), default=0)
    assert union(merged) == merged
