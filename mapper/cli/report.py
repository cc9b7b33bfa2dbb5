"""``mapper report``: the reconciliation report over a date range, as a table, JSON, CSV or HTML."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mapper.cli.app import app, state
from mapper.clock import clock_for
from mapper.report import Filters, ReportQuery, build_report, parse_bound, render, write_atomic
from mapper.report.table import renderables
from mapper.store import ensure_migrated, make_engine

STDOUT = "-"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


@app.command("report")
def report(
    ctx: typer.Context,
    from_: Annotated[
        str,
        typer.Option("--from", metavar="DATE", help="First day (YYYY-MM-DD, UTC, inclusive) or an RFC 3339 instant."),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="DATE", help="Last day (YYYY-MM-DD, inclusive) or an RFC 3339 instant. Default: --from."
        ),
    ] = None,
    calendar: Annotated[
        str | None, typer.Option(metavar="CALENDAR_ID", help="Only meetings with a copy on this calendar id.")
    ] = None,
    organizer: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="Only meetings organized by this email.")
    ] = None,
    meeting_code: Annotated[str | None, typer.Option(metavar="CODE", help="Only this Meet code / meeting id.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.table,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write ('-' = stdout). Default: stdout, except html: a file in reports.output_dir.",
        ),
    ] = None,
) -> None:
    """Reconcile invitees with participants over a date range (see docs/REPORTS.md)."""
    start = _parse(from_, "--from", end=False)
    end = _parse(to or from_, "--to", end=True)
    if end <= start:
        raise typer.BadParameter("must not be before --from", param_hint="--to")
    settings = state(ctx).settings()
    engine = make_engine(settings.database.url)
    try:
        ensure_migrated(engine)
        filters = Filters(calendar=calendar, organizer=organizer, meeting_code=meeting_code)
        result = build_report(engine, ReportQuery(start, end, filters), clock=clock_for(settings.clock.now))
    finally:
        engine.dispose()
    if output is None and fmt is ReportFormat.html:
        last = (end - timedelta(seconds=1)).astimezone(UTC).date()
        name = f"mapper-report-{start.date()}_{last}.html"
        output = str(settings.reports.output_dir / name)
    if output is None or output == STDOUT:
        if fmt is ReportFormat.table:
            console = Console(soft_wrap=False) if sys.stdout.isatty() else Console(width=160, color_system=None)
            for item in renderables(result):
                console.print(item)
        else:
            typer.echo(render(result, fmt.value), nl=False)
        return
    text = render(result, fmt.value)
    path = write_atomic(Path(output), text, newline="" if fmt is ReportFormat.csv else None)
    typer.echo(str(path))


def _parse(text: str, option: str, *, end: bool) -> datetime:
    try:
        return parse_bound(text, end=end)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


__all__ = ["ReportFormat", "report"]
