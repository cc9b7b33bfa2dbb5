"""The HTML page: structure, timeline, accessibility, self-containment and escaping."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import Engine

from mapper.clock import FixedClock
from mapper.report import ReportQuery, build_report, render_csv, render_html, render_json
from mapper.report.model import Category, PersonRow, Report
from mapper.report.timeline import display_labels, ticks
from mapper.store import session_scope
from tests.report.htmltree import Node, parse
from tests.report.scenario import M1, M1_BARS, M2, NOW, TRUTH, U1, Writer, at, resolved


@pytest.fixture(scope="module")
def page(report: Report) -> Node:
    return parse(render_html(report))


def meeting(page: Node, meeting_id: str) -> Node:
    (found,) = page.find_all("article", "meeting", data_meeting_id=meeting_id)
    return found


def who(node: Node) -> str:
    return node.attrs["data-email"] or node.attrs["data-label"]


def test_one_card_per_meeting_with_every_category(report: Report, page: Node) -> None:
    cards = page.find_all("article", "meeting")
    assert [card.attrs["data-meeting-id"] for card in cards] == [m.meeting_id for m in report.meetings]
    for card in cards:
        rows = card.find_all("tr", "row")
        assert {who(row): row.attrs["data-category"] for row in rows} == TRUTH[card.attrs["data-meeting-id"]]


def test_tables_have_headers(page: Node) -> None:
    tables = page.find_all("table")
    assert len(tables) >= 3 + 6  # coverage, people, series + one per meeting
    for table in tables:
        assert table.find_all("caption")
        heads = table.find_all("th")
        assert all(th.attrs.get("scope") in ("col", "row", "colgroup") for th in heads)
        for row in table.find_all("tr", "row"):
            assert row.children[0].tag == "th" and row.children[0].attrs["scope"] == "row"


def test_summary_figures(page: Node) -> None:
    stats = {node.attrs["data-stat"]: node for node in page.find_all("div", "stat")}
    assert "74%" in stats["resolved"].text() and "14 of 19" in stats["resolved"].text()
    assert "4" in stats["no-shows"].text() and "1" in stats["conflicts"].text()
    assert "58%" in stats["attendance"].text()  # 7 of 12 observed invitations
    assert len(page.find_all("svg", "coverage-bar")[0].find_all("rect")) == 5  # every status present once


def test_timeline_rows_bars_and_classes(page: Node) -> None:
    card = meeting(page, M1)
    (svg,) = card.find_all("svg", "timeline")
    rows = svg.find_all("g", "tl-row")
    assert {who(g): g.attrs["data-category"] for g in rows} == TRUTH[M1]
    bars = {who(g): g.find_all("rect", "bar") for g in rows}
    assert {name: len(found) for name, found in bars.items() if found} == M1_BARS
    assert all("bar-invitee" in bar.classes for bar in bars["ada@corp.example"] + bars["eve@corp.example"])
    (gus,) = bars["gus@partner.example"]
    (pattern,) = svg.find_all("pattern")
    assert "bar-uninvited" in gus.classes and gus.attrs["fill"] == f"url(#{pattern.attrs['id']})"
    assert {name for name, found in bars.items() if found and "bar-unidentified" in found[0].classes} == {
        "Sam L",
        "Guest 4711",
    }
    badged = {who(g) for g in rows if g.find_all("g", "badge-unresolved")}
    assert badged == {"Sam L", "Guest 4711"}
    assert {who(g) for g in rows if g.find_all("text", "tl-absent")} == {
        "cy@corp.example",
        "fay@corp.example",
        "sam.lee@corp.example",
        "sam.li@corp.example",
    }
    ticks = [t.text() for t in svg.find_all("text") if t.attrs.get("text-anchor") == "middle" and ":" in t.text()]
    assert ticks[:2] == ["15:00", "15:10"] and "16:00" in ticks
    assert svg.find_all("rect", "slot")


def test_every_bar_has_a_text_alternative(page: Node) -> None:
    bars = [bar for card in page.find_all("article", "meeting") for bar in card.find_all("rect", "bar")]
    assert len(bars) == sum(M1_BARS.values()) + 2 + 1 + 2  # M1, S1 (two), S2 (one), U1 (two)
    for bar in bars:
        (title,) = bar.find_all("title")
        assert title.text().strip() and bar.attrs["aria-label"] == title.text()
    (ada,) = meeting(page, U1).find_all("g", "tl-row", data_email="ada@corp.example")
    assert ada.find_all("title")[1].text() == "Ada Lovelace (uninvited): 12:00–12:30 UTC, 30m"


def test_not_observed_meeting_has_no_timeline(page: Node) -> None:
    card = meeting(page, M2)
    assert not card.find_all("svg", "timeline")
    assert card.find_all("p", "not-observed")
    assert meeting(page, M1).find_all("p", "conflict")


def test_self_contained(report: Report, page: Node) -> None:
    document = render_html(report)
    assert not page.find_all("script") and not page.find_all("link") and not page.find_all("img")
    assert all("src" not in n.attrs and "href" not in n.attrs for n in page.walk())
    assert "url(http" not in document and "@import" not in document
    assert page.find_all("style") and page.find_all("meta", name="viewport")


def test_store_strings_are_escaped(sqlite_engine: Engine) -> None:
    hostile = '<script>alert("x")</script>'
    title = 'Q1 <b>plan</b> & "review"'
    with session_scope(sqlite_engine) as session:
        w = Writer(session)
        cal = w.calendar("ada@corp.example")
        key = "x@google.com|2025-03-03T15:00:00Z"
        event = w.event(cal, "x", key, summary=title, start_at=at("15:00"), end_at=at("16:00"))
        w.invitees(event, {"email": "ada@corp.example", "display_name": '"><img src=x onerror=alert(1)>'})
        conf = w.conference("meet", "conferenceRecords/x", event, at("15:00"), at("16:00"))
        w.participant(
            conf, hostile, "anonymous", [("15:00", "15:30")], mapping={"status": "unresolved", "method": "none"}
        )
        w.participant(conf, "Ada", "signed_in", [("15:00", "15:30")], mapping=resolved("ada@corp.example"))
    report = build_report(sqlite_engine, ReportQuery.for_days(at("00:00").date()), clock=FixedClock(NOW))
    document = render_html(report)
    page = parse(document)
    assert not page.find_all("script") and not page.find_all("img")
    assert hostile not in document and "&lt;script&gt;" in document
    (row,) = page.find_all("tr", "row", data_category="unresolved")
    assert row.attrs["data-label"] == hostile  # the parser gets the original text back
    assert any(node.text() == title for node in page.find_all("h3"))
    assert json.loads(render_json(report))["rows"][1]["display_name"] == hostile
    csv_row = list(csv.DictReader(io.StringIO(render_csv(report))))[1]
    assert csv_row["display_name"] == hostile


def test_timeline_labels_tell_namesakes_apart() -> None:
    rows = [
        PersonRow("email:a@x.example", Category.ATTENDED, email="a@x.example", display_name="Andreas Steckel"),
        PersonRow("email:a2@x.example", Category.ATTENDED, email="a2@x.example", display_name="Andreas Steckel"),
        PersonRow("recall:b#g", Category.AMBIGUOUS, participant_names=("Andreas Steckel",), seen_by=("recall",)),
        PersonRow("email:c@x.example", Category.NO_SHOW, email="c@x.example"),
    ]
    assert display_labels(rows) == [
        "Andreas Steckel · a",
        "Andreas Steckel · a2",
        "Andreas Steckel · recall",
        "c@x.example",
    ]


def test_ticks_are_round_times_inside_the_axis() -> None:
    assert [t.strftime("%H:%M") for t in ticks(at("14:55"), at("16:05"))] == [
        "15:00",
        "15:10",
        "15:20",
        "15:30",
        "15:40",
        "15:50",
        "16:00",
    ]
    eight_hours = [t.strftime("%H:%M") for t in ticks(at("09:00"), at("17:00"))]
    assert eight_hours == ["10:00", "12:00", "14:00", "16:00"]  # at most eight ticks, on round multiples
