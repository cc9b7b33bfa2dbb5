"""``mapper demo``: the whole product on a sandbox organisation, with no credentials.

Starts the sandbox on the bundled sample scenario, writes a config pointing at it into a folder
that is kept afterwards, migrates a SQLite store there, runs one cycle, and shows what came out:
the cycle summary, accuracy against the scenario's ground truth, a reconciliation report, a few
lookups, and the HTML report's path.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from mapper.api import Mapper
from mapper.cli.progress import RichProgress
from mapper.clock import Clock
from mapper.pipeline.cycle import CycleReport, build_context, run_cycle
from mapper.pipeline.evaluate import Score, score, stored_decisions
from mapper.report import ReportQuery, build_report, render_html
from mapper.report.model import Category, MeetingReport, Report
from mapper.report.table import renderables
from mapper.report.write import write_atomic
from mapper.sandbox import SandboxServer, read_scenario
from mapper.sandbox.config_writer import write_config
from mapper.store import make_engine, upgrade
from mapper.store.tables import Conference

SAMPLE = "sample.json"


def sample_paths() -> tuple[Path, Path]:
    folder = Path(str(resources.files("mapper.sandbox") / "scenarios"))
    return folder / SAMPLE, folder / SAMPLE.replace(".json", ".truth.json")


@dataclass
class DemoResult:
    folder: Path
    config: Path
    html: Path
    cycle: CycleReport
    accuracy: Score | None
    report: Report


def run_demo(folder: Path | None = None, *, console: Console | None = None, progress: bool = True) -> DemoResult:
    console = console or Console(width=None if sys.stdout.isatty() else 132)
    scenario_path, truth_path = sample_paths()
    scenario = read_scenario(scenario_path)
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="mapper-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    console.print(
        Panel.fit(
            f"[bold]mapper demo[/bold]: a synthetic organisation served by the local sandbox\n"
            f"scenario {scenario_path.name}: {len(scenario.get('calendars', {}))} calendars, "
            f"{len(scenario.get('meet', {}).get('conferenceRecords', []))} Meet conference records, "
            f"{len(scenario.get('recall', {}).get('bots', []))} Recall bots\nworking folder {folder}"
        )
    )
    with SandboxServer(scenario) as server:
        config = folder / "mapper.toml"
        settings = write_config(config, scenario, server.url)
        engine = make_engine(settings.database.url)
        upgrade(engine)
        with RichProgress(enabled=progress) as bars:
            ctx = build_context(settings, progress=bars)
            try:
                cycle = run_cycle(ctx)
            finally:
                ctx.sources.close()
        port = server.url.rsplit(":", 1)[-1]
    from mapper.cli.run import print_summary

    print_summary(cycle, console)
    accuracy = None
    if truth_path.exists():
        accuracy = score(stored_decisions(engine), json.loads(truth_path.read_text(encoding="utf-8")))
        console.print(
            f"against the scenario's ground truth: precision [bold]{accuracy.precision:.3f}[/bold] "
            f"({accuracy.correct}/{accuracy.emails_given} emails right), recall [bold]{accuracy.recall:.3f}[/bold] "
            f"({accuracy.invited_correct}/{accuracy.invited} invited people found), "
            f"{accuracy.uninvited_wrong} uninvited joiner(s) given someone else's email"
        )
    report = _report(engine, ctx.clock)
    _show_report(report, console)
    with Mapper(settings, engine=engine) as mapper:
        _show_lookups(mapper, report, console)
    html = write_atomic(folder / "report.html", render_html(report))
    _next_steps(console, config, scenario_path, port, report, html)
    engine.dispose()
    return DemoResult(folder, config, html, cycle, accuracy, report)


def _report(engine: Engine, clock: Clock) -> Report:
    """The report over every day that has a conference (the last week when none)."""
    with Session(engine) as session:
        starts = [row for row in session.execute(select(col(Conference.start_at))).scalars() if row is not None]
    now = clock.now()
    if not starts:
        return build_report(engine, ReportQuery(now - timedelta(days=7), now), clock=clock)
    return build_report(engine, ReportQuery.for_days(min(starts).date(), max(starts).date()), clock=clock)


def _interesting(report: Report) -> MeetingReport | None:
    """The observed meeting with the most different things going on (for the demo's one table)."""

    def richness(meeting: MeetingReport) -> tuple[int, int]:
        kinds = Counter(row.category for row in meeting.rows)
        return (len(kinds), len(meeting.rows))

    observed = [m for m in report.meetings if m.observed and len(m.rows) <= 14]
    return max(observed, key=richness, default=None)


def _show_report(report: Report, console: Console) -> None:
    chosen = _interesting(report)
    trimmed = dataclasses.replace(report, meetings=(chosen,) if chosen else (), people=(), series=())
    console.rule("reconciliation report (coverage, and one meeting in full)")
    for item in renderables(trimmed):
        console.print(item)
    counts = Counter(row.category for meeting in report.meetings for row in meeting.rows)
    console.print(
        f"{len(report.meetings)} meetings: {counts[Category.ATTENDED] + counts[Category.OPTIONAL_ATTENDED]} "
        f"attendances, {counts[Category.NO_SHOW]} no-shows, {counts[Category.DECLINED_ATTENDED]} declined but came, "
        f"{counts[Category.UNINVITED]} uninvited, {counts[Category.AMBIGUOUS] + counts[Category.UNRESOLVED]} "
        f"unresolved or ambiguous, {counts[Category.NON_PERSON]} rooms / dial-ins / bots"
    )


def _show_lookups(mapper: Mapper, report: Report, console: Console) -> None:
    from mapper.cli.lookup import print_rows

    chosen = _interesting(report)
    if chosen is None or not chosen.meeting_code or chosen.start is None:
        return
    console.rule(f"lookup --meeting-code {chosen.meeting_code} --on {chosen.start.date()}")
    print_rows(mapper.meeting_code(chosen.meeting_code, chosen.start.date()), console)
    person = next((row.email for row in chosen.rows if row.attended and row.email), None)
    if person:
        console.rule(f"lookup --email {person}")
        for item in mapper.attended(person, report.start, report.end)[:5]:
            console.print(
                f"  {item.scheduled_start:%Y-%m-%d %H:%M}  {item.summary or item.conference:<40} "
                f"{item.seconds_present // 60:>3} min  ({item.method} {item.confidence:.2f})"
            )


def _next_steps(console: Console, config: Path, scenario: Path, port: str, report: Report, html: Path) -> None:
    chosen = _interesting(report)
    code = chosen.meeting_code if chosen and chosen.meeting_code else "CODE"
    day = chosen.start.date() if chosen and chosen.start else report.start.date()
    console.rule("try next")
    console.print(
        f"  mapper --config {config} lookup --meeting-code {code} --on {day} --json\n"
        f"  mapper --config {config} report --from {report.start.date()} --to {(report.end - timedelta(days=1)).date()}"
        f" --format csv\n"
        f"  mapper --config {config} correct --participant KEY --email someone@example.com\n"
        f"  mapper sandbox serve --scenario {scenario} --port {port}   # bring the sandbox back, then:\n"
        f"  mapper --config {config} run-once   |   mapper --config {config} daemon",
        highlight=False,
    )
    console.print(f"\nHTML report written to [bold]{html}[/bold]", highlight=False)


__all__ = ["DemoResult", "run_demo", "sample_paths"]
