"""The scenario's truth read back from the CSV, the JSON and the terminal table."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from typing import Any

import pytest

from mapper.report import REPORT_VERSION, ROW_COLUMNS, Report, render, render_csv, render_json, render_table
from mapper.report.format import slot
from tests.report.scenario import M1, M1_PRESENCE, M2, ROOM, TRUTH, U1
from tests.report.test_summary import COVERAGE, PEOPLE

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def categories(rows: list[dict[str, Any]], unquote: bool = False) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        who = row["email"] or row["display_name"]
        if unquote and who.startswith("'"):
            who = who[1:]
        found.setdefault(row["meeting_id"], {})[who] = row["category"]
    return found


def csv_rows(report: Report) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(render_csv(report), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_csv_categories_and_columns(report: Report) -> None:
    header, rows = csv_rows(report)
    assert tuple(header) == ROW_COLUMNS
    assert categories(rows, unquote=True) == TRUTH
    assert len(rows) == sum(len(people) for people in TRUTH.values())  # one row per (meeting, person)


def test_csv_values(report: Report) -> None:
    _, rows = csv_rows(report)
    m1 = {row["email"] or row["display_name"]: row for row in rows if row["meeting_id"] == M1}
    for who, (seconds, spans, first, last) in M1_PRESENCE.items():
        assert (m1[who]["seconds_present"], m1[who]["sessions"]) == (str(seconds), str(spans))
        assert datetime.fromisoformat(m1[who]["first_join"]) == first
        assert datetime.fromisoformat(m1[who]["last_leave"]) == last
    for row in rows:
        for column in ("meeting_start", "meeting_end", "first_join", "last_leave"):
            assert row[column] == "" or ISO_UTC.match(row[column]), (column, row[column])
        for column in ("scheduled", "observed", "invited", "optional", "is_organizer", "attended", "source_conflict"):
            assert row[column] in ("true", "false")
    assert m1["Sam L"]["candidates"] == "sam.lee@corp.example=0.81;sam.li@corp.example=0.80"
    assert m1["ada@corp.example"]["seen_by"] == "meet;recall"
    assert m1["ada@corp.example"]["meeting_sources"] == "meet;recall"
    assert (m1["bob@corp.example"]["source_conflict"], m1["cy@corp.example"]["source_conflict"]) == ("true", "false")
    assert m1["cy@corp.example"]["confidence"] == "" and m1["dee@corp.example"]["confidence"] == "1"
    assert m1[ROOM]["section"] == "non_person" and m1["Sam L"]["section"] == "unidentified"
    # A display name a spreadsheet would run as a formula is defused.
    assert m1["'+1 555-0100"]["category"] == "non_person"


def test_json_shape_and_categories(report: Report) -> None:
    data = json.loads(render_json(report))
    assert list(data) == [
        "report_version",
        "generated_at",
        "from",
        "to",
        "filters",
        "summary",
        "coverage",
        "people",
        "series",
        "meetings",
        "rows",
    ]
    assert data["report_version"] == REPORT_VERSION
    assert (data["from"], data["to"], data["generated_at"]) == (
        "2025-03-03T00:00:00Z",
        "2025-03-06T00:00:00Z",
        "2025-03-06T08:00:00Z",
    )
    assert categories(data["rows"]) == TRUTH
    assert all(list(row)[: len(ROW_COLUMNS)] == list(ROW_COLUMNS) for row in data["rows"])
    m1 = {row["email"] or row["display_name"]: row for row in data["rows"] if row["meeting_id"] == M1}
    assert m1["ada@corp.example"]["spans"] == [
        {"start": "2025-03-03T15:00:00Z", "end": "2025-03-03T15:40:00Z"},
        {"start": "2025-03-03T15:50:00Z", "end": "2025-03-03T16:00:00Z"},
    ]
    assert m1["Sam L"]["candidates"] == [
        {"email": "sam.lee@corp.example", "score": 0.81},
        {"email": "sam.li@corp.example", "score": 0.8},
    ]
    assert (m1["ada@corp.example"]["is_organizer"], m1["cy@corp.example"]["confidence"]) == (True, None)


def test_json_meetings_and_range_figures(report: Report) -> None:
    data = json.loads(render_json(report))
    meetings = {m["meeting_id"]: m for m in data["meetings"]}
    assert meetings[M1]["conflict"] == {
        "has_conflict": True,
        "meet_persons": 6,
        "recall_persons": 4,
        "meet_only": ["gus@partner.example"],
        "recall_only": ["bob@corp.example"],
    }
    assert meetings[M1]["counts"]["no_show"] == 3 and meetings[M1]["attendance_rate"] == 0.5
    assert (meetings[M2]["observed"], meetings[M2]["attendance_rate"]) == (False, None)
    assert (meetings[U1]["scheduled"], meetings[U1]["conferences"]) == (False, ["meet:conferenceRecords/u1"])
    people = {
        p["email"]: (
            p["invited"],
            p["attended_invited"],
            p["declined"],
            p["no_shows"],
            p["not_observed"],
            p["uninvited"],
            p["total_seconds"],
        )
        for p in data["people"]
    }
    assert people == PEOPLE
    assert data["series"] == [
        {
            "series_id": "weekly11",
            "title": "Weekly 1:1",
            "occurrences": 3,
            "observed": 2,
            "average_attendance_rate": 0.75,
        }
    ]
    coverage = {(c["scope"], c["key"]): c for c in data["coverage"]}
    assert {
        key: tuple(c[s] for s in ("resolved", "ambiguous", "unresolved", "not_a_person", "pending"))
        for key, c in coverage.items()
    } == COVERAGE
    assert coverage[("overall", "all")]["resolved_share"] == pytest.approx(14 / 19)
    summary = data["summary"]
    assert (summary["meetings"], summary["observed"], summary["not_observed"], summary["conflicts"]) == (6, 4, 2, 1)
    assert summary["rows"]["no_show"] == 4 and summary["rows"]["pending"] == 1


def test_table_shows_every_category(report: Report) -> None:
    text = render_table(report, width=260)
    assert "Resolution coverage" in text and "People" in text and "Weekly 1:1" in text
    for meeting in report.meetings:
        title = f"{meeting.title or 'Unscheduled meeting'} | {slot(meeting.start, meeting.end)}"
        section = text.split(title, 1)[1].split("└", 1)[0]
        cells = [[c.strip() for c in line.split("│")[1:-1]] for line in section.splitlines() if line.startswith("│")]
        found = {(row[1] or row[0]): row[2] for row in cells if row[2]}  # (skips wrapped continuation lines)
        assert found == TRUTH[meeting.meeting_id], meeting.meeting_id
    assert (
        "Conflict: meet saw 6 persons, recall saw 4; meet only: gus@partner.example; recall only: bob@corp.example"
        in text
    )
    assert "candidates: sam.lee@corp.example (0.81), sam.li@corp.example (0.80)" in text


def test_render_rejects_an_unknown_format(report: Report) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(report, "pdf")
