"""Figures over the range: per person, per series, resolution coverage."""

from __future__ import annotations

import pytest

from mapper.report import PersonSummary, Report
from mapper.report.model import COVERAGE_STATUSES

# email: (invited, attended_invited, declined, no_shows, not_observed, uninvited, total_seconds)
PEOPLE = {
    "ada@corp.example": (1, 1, 0, 0, 1, 1, 3000 + 1800),
    "bob@corp.example": (3, 3, 0, 0, 1, 0, 3000 + 1800 + 1500),
    "cy@corp.example": (3, 1, 0, 2, 2, 0, 1680),
    "dee@corp.example": (1, 1, 1, 0, 0, 0, 1200),
    "eve@corp.example": (1, 1, 0, 0, 0, 0, 3600),
    "fay@corp.example": (1, 0, 1, 0, 0, 0, 0),
    "gus@partner.example": (0, 0, 0, 0, 0, 1, 1500),
    "sam.lee@corp.example": (1, 0, 0, 1, 0, 0, 0),
    "sam.li@corp.example": (1, 0, 0, 1, 0, 0, 0),
}


def test_per_person(report: Report) -> None:
    found = {
        p.email: (p.invited, p.attended_invited, p.declined, p.no_shows, p.not_observed, p.uninvited, p.total_seconds)
        for p in report.people
    }
    assert found == PEOPLE  # rooms are not people
    rates = {p.email: p.attendance_rate for p in report.people}
    assert rates["cy@corp.example"] == pytest.approx(1 / 3)
    assert rates["fay@corp.example"] == 0.0 and rates["gus@partner.example"] is None
    assert next(p for p in report.people if p.email == "ada@corp.example").attended == 2


def test_attendance_rate_counts_only_observed_invitations() -> None:
    person = PersonSummary("x@corp.example", None, 2, 1, 0, 1, 5, 0, 60)
    assert person.attendance_rate == 0.5


def test_per_series(report: Report) -> None:
    (series,) = report.series
    assert (series.series_id, series.title, series.occurrences, series.observed) == ("weekly11", "Weekly 1:1", 3, 2)
    assert series.average_attendance_rate == pytest.approx(0.75)  # (2/2 + 1/2) / 2


COVERAGE = {
    ("overall", "all"): (14, 1, 2, 1, 1),
    ("source", "meet"): (10, 1, 2, 0, 1),
    ("source", "recall"): (4, 0, 0, 1, 0),
    ("method", "people_api"): (8, 0, 0, 0, 0),
    ("method", "exact_email"): (2, 0, 0, 0, 0),
    ("method", "name_exact"): (2, 0, 0, 0, 0),
    ("method", "name_fuzzy"): (1, 0, 0, 0, 0),
    ("method", "room_resource"): (1, 0, 0, 0, 0),
    ("method", "ambiguous"): (0, 1, 0, 0, 0),
    ("method", "none"): (0, 0, 2, 0, 0),
    ("method", "not_a_person"): (0, 0, 0, 1, 0),
    ("method", "pending"): (0, 0, 0, 0, 1),
}


def test_coverage_by_source_and_method(report: Report) -> None:
    assert COVERAGE_STATUSES == ("resolved", "ambiguous", "unresolved", "not_a_person", "pending")
    assert {(row.scope, row.key): row.counts for row in report.coverage} == COVERAGE
    assert report.overall.total == 19
    assert report.overall.share("resolved") == pytest.approx(14 / 19)
    assert [row.scope for row in report.coverage][:3] == ["overall", "source", "source"]
