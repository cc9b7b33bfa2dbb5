"""Atomic writes and the daemon's daily report."""

from __future__ import annotations

import csv
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mapper.clock import FixedClock
from mapper.report import write_atomic, write_daily_report
from tests.report.htmltree import parse
from tests.report.scenario import M1, M2, S1, S2, TRUTH, U1


def test_write_atomic_replaces_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    assert write_atomic(target, "first") == target
    write_atomic(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old complete report")

    def refuse(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new report")
    assert target.read_text() == "old complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def daily(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(row["meeting_id"], {})[row["email"] or row["display_name"].lstrip("'")] = row["category"]
    return found


def test_the_daily_report_covers_the_previous_utc_day(world: Engine, tmp_path: Path) -> None:
    clock = FixedClock(datetime(2025, 3, 4, 0, 30, tzinfo=UTC))
    paths = write_daily_report(world, None, tmp_path / "reports", clock)
    assert [p.name for p in paths] == ["mapper-report-2025-03-03.html", "mapper-report-2025-03-03.csv"]
    assert daily(paths[1]) == {key: TRUTH[key] for key in (S1, M1, M2)}
    page = parse(paths[0].read_text(encoding="utf-8"))
    assert [a.attrs["data-meeting-id"] for a in page.find_all("article", "meeting")] == [S1, M1, M2]
    before = [p.read_bytes() for p in paths]
    assert write_daily_report(world, None, tmp_path / "reports", clock) == paths  # idempotent
    assert [p.read_bytes() for p in paths] == before
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(p.name for p in paths)


def test_the_daily_report_of_a_given_day(world: Engine, tmp_path: Path) -> None:
    clock = FixedClock(datetime(2025, 3, 9, tzinfo=UTC))
    paths = write_daily_report(world, date(2025, 3, 4), tmp_path, clock)
    assert paths[1].name == "mapper-report-2025-03-04.csv"
    assert daily(paths[1]) == {key: TRUTH[key] for key in (S2, U1)}
    data = paths[1].read_bytes()  # RFC 4180 line ends, never doubled into \r\r\n
    assert data.count(b"\r\n") == 1 + 4 and b"\r\r" not in data
