"""Reports over a sandbox organisation with known truth: every category checked against the
generator's ground truth, in every format, after the real pipeline filled the store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from mapper.clock import utc
from mapper.pipeline.cycle import build_context, run_cycle
from mapper.report import ReportQuery, build_report, render_csv, render_html, render_json, render_table
from mapper.report.model import Category, Report
from mapper.report.write import write_daily_report
from mapper.sandbox import SandboxServer
from mapper.sandbox.config_writer import write_config
from mapper.sandbox.generate import generate
from mapper.store import make_engine, upgrade
from tests.conftest import postgres_schema_url
from tests.report.htmltree import parse as parse_html

ATTENDED = {Category.ATTENDED, Category.OPTIONAL_ATTENDED, Category.DECLINED_ATTENDED}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Any, dict[str, Any], Report]]:
    scenario, truth = generate(users=50, days=5, seed=23, recall_share=0.35)
    folder = tmp_path_factory.mktemp("report-e2e")
    urls: Iterator[str] = (
        iter([f"sqlite:///{folder}/mapper.db"]) if request.param == "sqlite" else postgres_schema_url()
    )
    store_url = next(urls)
    with SandboxServer(scenario) as server:
        settings = write_config(folder / "mapper.toml", scenario, server.url, database_url=store_url)
        engine = make_engine(store_url)
        upgrade(engine)
        ctx = build_context(settings)
        cycle = run_cycle(ctx)
        ctx.sources.close()
        ctx.engine.dispose()
    assert cycle.problems == []
    period = truth["organisation"]["period"]
    first, last = utc(period["start"]).date(), utc(period["end"]).date()
    report = build_report(engine, ReportQuery.for_days(first, last), clock=ctx.clock)
    yield engine, ctx, truth, report
    engine.dispose()
    for _ in urls:  # let the PostgreSQL schema be dropped
        pass


def _observed(report: Report, truth: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    meetings = truth["meetings"]
    return [(m, meetings[m.meeting_id]) for m in report.meetings if m.meeting_id in meetings and m.observed]


def test_invitees_attended_or_not_as_the_truth_says(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, truth, report = run
    pairs = _observed(report, truth)
    assert len(pairs) > 50
    agree = disagree = false_attended = 0
    for meeting, fact in pairs:
        present = set(fact["invitees"]) - set(fact["no_shows"]) - set(fact["in_room"])
        for row in meeting.rows:
            if not row.invited or not row.email or row.email == fact.get("room"):
                continue
            said = row.category in ATTENDED
            truly = row.email in present
            agree += said == truly
            disagree += said != truly
            false_attended += said and not truly
    assert false_attended == 0  # a wrong "attended" would be a wrong email
    assert agree / (agree + disagree) >= 0.97


def test_no_shows_declines_and_optional(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, truth, report = run
    counts = dict.fromkeys(Category, 0)
    unexplained = false_no_shows = 0
    for meeting, fact in _observed(report, truth):
        unidentified = any(
            row.category in {Category.UNRESOLVED, Category.AMBIGUOUS, Category.PENDING} for row in meeting.rows
        )
        for row in meeting.rows:
            counts[row.category] += 1
            if row.category == Category.NO_SHOW and row.email not in set(fact["no_shows"]) | set(fact["in_room"]):
                # They did join, as somebody mapper could not name: such a meeting must show an
                # unidentified participant, so the report never hides that doubt.
                false_no_shows += 1
                unexplained += not unidentified
            if row.category == Category.OPTIONAL_ATTENDED:
                assert row.optional
            if row.category == Category.DECLINED_ATTENDED:
                assert row.response_status == "declined"
    assert unexplained == 0
    assert false_no_shows <= 0.05 * counts[Category.NO_SHOW] + 2
    assert counts[Category.ATTENDED] > 100
    assert counts[Category.NO_SHOW] > 5
    assert counts[Category.DECLINED] + counts[Category.DECLINED_ATTENDED] > 0


def test_uninvited_unresolved_and_non_persons(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, truth, report = run
    participants = truth["participants"]
    uninvited_emails = {
        (p["meeting"], p["email"])
        for p in participants.values()
        if p["kind"] == "person" and not p["invited"] and p["email"]
    }
    seen = {"uninvited": 0, "unresolved": 0, "non_person": 0}
    for meeting in report.meetings:
        for row in meeting.rows:
            if row.category == Category.UNINVITED and row.email:
                seen["uninvited"] += 1
                assert (meeting.meeting_id, row.email) in uninvited_emails, row
            if row.category in {Category.UNRESOLVED, Category.AMBIGUOUS}:
                seen["unresolved"] += 1
                assert row.reason or row.candidates, row
            if row.category == Category.NON_PERSON:
                seen["non_person"] += 1
                assert not row.invited or row.email == truth["meetings"].get(meeting.meeting_id, {}).get("room")
    truth_bots = sum(1 for p in participants.values() if p["kind"] in {"bot", "phone"})
    assert seen["uninvited"] > 0
    assert seen["non_person"] >= truth_bots * 0.5  # rejoin duplicates of a bot collapse into one row
    assert all(value >= 0 for value in seen.values())


def test_meet_and_recall_conflicts_are_reported(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, _truth, report = run
    both = [m for m in report.meetings if set(m.sources) >= {"meet", "recall"}]
    assert both, "the generated world records some Meet calls with a Recall bot too"
    for meeting in both:
        assert meeting.conflict is not None
        assert meeting.conflict.meet_persons > 0


def test_range_figures(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, _truth, report = run
    assert report.people and report.series
    overall = report.overall
    assert overall.total > 0 and overall.share("resolved") > 0.8
    scopes = {(row.scope, row.key) for row in report.coverage}
    assert ("source", "meet") in scopes and ("source", "recall") in scopes
    assert any(scope == "method" for scope, _ in scopes)


def test_every_format_carries_the_same_rows(run: tuple[Engine, Any, dict[str, Any], Report]) -> None:
    _engine, _ctx, _truth, report = run
    rows = report.rows()
    data = json.loads(render_json(report))
    assert len(data["rows"]) == len(rows)
    assert [row["category"] for row in data["rows"]] == [row.category.value for _meeting, row in rows]
    table = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(table) == len(rows)
    assert [r["meeting_id"] for r in table] == [meeting.meeting_id for meeting, _row in rows]
    text = render_table(report)
    assert all((meeting.title or "") in text for meeting in report.meetings[:10])
    tree = parse_html(render_html(report))
    assert tree is not None


def test_the_daily_job_writes_html_and_csv(run: tuple[Engine, Any, dict[str, Any], Report], tmp_path: Path) -> None:
    engine, ctx, truth, _report = run
    day = date.fromisoformat(next(iter(truth["meetings"].values()))["start"][:10])
    paths = write_daily_report(engine, day, tmp_path, ctx.clock)
    assert sorted(p.suffix for p in paths) == [".csv", ".html"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list(tmp_path.glob("*.tmp*"))
