"""``mapper report`` in-process: options, formats, outputs and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.store import make_engine, upgrade
from tests.report.htmltree import parse
from tests.report.scenario import M1, M2, S1, S2, S3, TRUTH, U1, write_scenario


@pytest.fixture
def config(tmp_path: Path) -> Path:
    engine = make_engine(f"sqlite:///{tmp_path}/mapper.db")
    upgrade(engine)
    write_scenario(engine)
    engine.dispose()
    path = tmp_path / "mapper.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/mapper.db"\n[google]\ncredentials = "none"\n'
        '[reports]\noutput_dir = "out"\n[clock]\nnow = "2025-03-06T08:00:00Z"\n'
    )
    return path


def run(config: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--config", str(config), "report", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_to_stdout_over_a_range(config: Path) -> None:
    data = json.loads(run(config, "--from", "2025-03-03", "--to", "2025-03-05", "--format", "json"))
    assert [m["meeting_id"] for m in data["meetings"]] == [S1, M1, M2, S2, S3, U1]
    assert data["generated_at"] == "2025-03-06T08:00:00Z"  # the configured clock


def test_csv_with_filters(config: Path) -> None:
    text = run(
        config, "--from", "2025-03-03", "--to", "2025-03-05", "--format", "csv", "--organizer", "bob@corp.example"
    )
    assert {row["meeting_id"] for row in csv.DictReader(io.StringIO(text))} == {S1, S2, S3}
    text = run(config, "--from", "2025-03-03T15:00:00Z", "--to", "2025-03-03T15:00:01Z", "--format", "csv")
    assert {row["meeting_id"] for row in csv.DictReader(io.StringIO(text))} == {M1}  # RFC 3339 bounds as given
    text = run(config, "--from", "2025-03-04", "--format", "csv", "--meeting-code", "xyz-abcd-efg")
    assert {row["meeting_id"] for row in csv.DictReader(io.StringIO(text))} == {U1}  # --to defaults to --from


def test_table_is_the_default(config: Path) -> None:
    text = run(config, "--from", "2025-03-03", "--calendar", "ada@corp.example")
    assert "Design review" in text and "Vendor sync" in text and "Weekly 1:1" not in text
    assert "no_show" in text and "declined_attended" in text


def test_html_defaults_to_a_file_in_the_report_folder(config: Path) -> None:
    output = run(config, "--from", "2025-03-03", "--to", "2025-03-04", "--format", "html")
    path = config.parent / "out" / "mapper-report-2025-03-03_2025-03-04.html"
    assert output.strip() == str(path)
    cards = parse(path.read_text(encoding="utf-8")).find_all("article", "meeting")
    assert [card.attrs["data-meeting-id"] for card in cards] == [S1, M1, M2, S2, U1]


def test_output_file_and_stdout_dash(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "week.csv"
    assert run(config, "--from", "2025-03-03", "--format", "csv", "--output", str(target)).strip() == str(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert {row["meeting_id"] for row in rows} == {S1, M1, M2}
    assert len(rows) == sum(len(TRUTH[key]) for key in (S1, M1, M2))
    assert run(config, "--from", "2025-03-03", "--format", "html", "-o", "-").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--from", "March 3"], "neither a date", id="bad-date"),
        pytest.param(["--from", "2025-03-05", "--to", "2025-03-03"], "must not be before --from", id="reversed"),
        pytest.param(["--from", "2025-03-03", "--format", "pdf"], "pdf", id="bad-format"),
    ],
)
def test_bad_options(config: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["--config", str(config), "report", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_an_unmigrated_store_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "mapper.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/empty.db"\n[google]\ncredentials = "none"\n')
    result = CliRunner().invoke(app, ["--config", str(path), "report", "--from", "2025-03-03"])
    assert result.exit_code == 2
    assert "mapper db upgrade" in result.output
