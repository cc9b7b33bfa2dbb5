"""JSON: the whole report as one object (shape documented in docs/REPORTS.md)."""

from __future__ import annotations

import json

from mapper.report.model import Report
from mapper.report.records import report_record


def render_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(report_record(report), indent=indent, ensure_ascii=False) + "\n"


__all__ = ["render_json"]
