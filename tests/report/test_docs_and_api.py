"""docs/REPORTS.md documents every CSV column and JSON key; the package's ``__all__`` is honest."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import mapper.report
from mapper.report import ROW_COLUMNS, Category, Report, Section, render_json
from mapper.report.model import COVERAGE_STATUSES

DOC = (Path(__file__).parents[2] / "docs" / "REPORTS.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([a-z_]+)`", DOC))


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_every_csv_column_is_documented() -> None:
    assert set(ROW_COLUMNS) - DOCUMENTED == set()
    table = [
        line.split("|")[1].strip(" `")
        for line in DOC.split("## CSV", 1)[1].split("## JSON")[0].splitlines()
        if line.startswith("| `")
    ]
    assert table == list(ROW_COLUMNS)  # the column table lists them in file order


def test_every_json_key_and_value_is_documented(report: Report) -> None:
    assert keys(json.loads(render_json(report))) - DOCUMENTED == set()
    values = {c.value for c in Category} | {s.value for s in Section} | set(COVERAGE_STATUSES)
    assert values - DOCUMENTED == set()


def test_dunder_all_is_sorted_and_complete() -> None:
    names = mapper.report.__all__
    assert names == sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n))
    assert all(hasattr(mapper.report, name) for name in names)
    modules = {"build", "csv_out", "format", "html", "html_style", "intervals", "json_out", "load", "model"}
    modules |= {"people", "query", "records", "summary", "table", "timeline", "write"}
    public = {n for n in vars(mapper.report) if not n.startswith("_")} - modules - {"annotations"}
    assert public == set(names)
