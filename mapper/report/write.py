"""Writing reports to disk atomically, and the daemon's daily report.

A report file is written to a hidden temporary file in the same folder, flushed to disk, then
renamed over the target with :func:`os.replace`: a reader sees the old file or the new one,
never half of one, and a crash leaves at most a ``.*.tmp`` file behind (removed on error).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from mapper.clock import Clock
from mapper.report.build import build_report
from mapper.report.csv_out import render_csv
from mapper.report.html import render_html
from mapper.report.query import ReportQuery

FILE_MODE = 0o644


def write_atomic(path: Path, text: str, *, newline: str | None = None) -> Path:
    """Replace ``path`` with ``text`` (UTF-8) in one step; creates the folder; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return path


def daily_paths(day: date, out_dir: Path) -> tuple[Path, Path]:
    """``mapper-report-YYYY-MM-DD.html`` and ``.csv`` in ``out_dir``."""
    stem = f"mapper-report-{day.isoformat()}"
    return out_dir / f"{stem}.html", out_dir / f"{stem}.csv"


def write_daily_report(engine: Engine, day: date | None, out_dir: Path, clock: Clock) -> list[Path]:
    """Write the HTML and CSV report of one UTC ``day`` (``None``: the day before ``clock.now()``).

    Idempotent: running it again rewrites the same two files with current data.
    """
    if day is None:
        day = clock.now().date() - timedelta(days=1)
    report = build_report(engine, ReportQuery.for_days(day), clock=clock)
    html_path, csv_path = daily_paths(day, Path(out_dir))
    return [write_atomic(html_path, render_html(report)), write_atomic(csv_path, render_csv(report), newline="")]


__all__ = ["daily_paths", "write_atomic", "write_daily_report"]
