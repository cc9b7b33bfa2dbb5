"""CSV: one row per (meeting, person), columns :data:`~mapper.report.records.ROW_COLUMNS`.

Values for spreadsheets: booleans ``true``/``false``, empty cell for none, lists joined with
``;``, candidates as ``email=score``; timestamps ISO 8601 UTC.  Text that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return: display names
are chosen by participants) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from mapper.report.model import Report
from mapper.report.records import ROW_COLUMNS, row_record

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One CSV cell from a JSON-typed record value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(
            f"{item['email']}={item['score']:.2f}" if isinstance(item, dict) else cell(item) for item in value
        )
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: Report) -> str:
    """The whole CSV document (header row first; ``\\r\\n`` line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROW_COLUMNS)
    for meeting, row in report.rows():
        record = row_record(meeting, row)
        writer.writerow([cell(record[column]) for column in ROW_COLUMNS])
    return buffer.getvalue()


__all__ = ["cell", "render_csv"]
