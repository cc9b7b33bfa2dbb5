"""Reconciliation reports: which invitees attended, who was not invited, what is unresolved.

``build_report(engine, ReportQuery.for_days(first, last), clock=clock)`` reads the store into a
:class:`Report`; ``render_table`` / ``render_csv`` / ``render_json`` / ``render_html`` format it;
``write_daily_report`` is the daemon's job.  See docs/REPORTS.md.
"""

from mapper.report.build import build_report
from mapper.report.csv_out import render_csv
from mapper.report.html import render_html
from mapper.report.json_out import render_json
from mapper.report.model import (
    Category,
    Conflict,
    CoverageRow,
    Filters,
    MeetingReport,
    PersonRow,
    PersonSummary,
    Report,
    Section,
    SeriesSummary,
)
from mapper.report.query import ReportQuery, parse_bound
from mapper.report.records import REPORT_VERSION, ROW_COLUMNS
from mapper.report.table import render_table
from mapper.report.write import write_atomic, write_daily_report

FORMATS = ("table", "json", "csv", "html")


def render(report: Report, fmt: str) -> str:
    """``report`` in one of :data:`FORMATS`."""
    renderers = {"table": render_table, "json": render_json, "csv": render_csv, "html": render_html}
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
    return renderers[fmt](report)


__all__ = [
    "FORMATS",
    "REPORT_VERSION",
    "ROW_COLUMNS",
    "Category",
    "Conflict",
    "CoverageRow",
    "Filters",
    "MeetingReport",
    "PersonRow",
    "PersonSummary",
    "Report",
    "ReportQuery",
    "Section",
    "SeriesSummary",
    "build_report",
    "parse_bound",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_table",
    "write_atomic",
    "write_daily_report",
]
