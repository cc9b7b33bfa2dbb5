"""The CLI skeleton: help, version, `db upgrade` / `db status`, and help text on every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from mapper import __version__
from mapper.cli import app


def config(tmp_path: Path) -> Path:
    path = tmp_path / "mapper.toml"
    path.write_text('[database]\nurl = "sqlite:///store/mapper.db"\n[google]\ncredentials = "none"\n')
    return path


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"mapper {__version__}"


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("db", "config"):
        assert name in result.output


def test_db_upgrade_then_status(tmp_path: Path) -> None:
    path = config(tmp_path)
    runner = CliRunner()
    status = runner.invoke(app, ["--config", str(path), "db", "status"])
    assert status.exit_code == 0
    assert "revision none" in status.output and "needs `mapper db upgrade`" in status.output
    first = runner.invoke(app, ["--config", str(path), "db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "upgraded from empty to revision" in first.output
    assert (tmp_path / "store" / "mapper.db").exists()  # relative to the config file's folder
    second = runner.invoke(app, ["--config", str(path), "db", "upgrade"])
    assert "already at revision" in second.output
    assert "up to date" in runner.invoke(app, ["--config", str(path), "db", "status"]).output


def _commands(group: typer.Typer) -> list[tuple[str, object]]:
    root = get_command(group)
    found: list[tuple[str, object]] = []

    def walk(command: object, prefix: str) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, f"{prefix} {name}".strip())
        else:
            found.append((prefix, command))

    walk(root, "")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(app), ids=[name for name, _ in _commands(app)])
def test_every_command_has_help(name: str, command: object) -> None:
    text = getattr(command, "help", None) or ""
    assert text.strip(), f"`mapper {name}` has no help text"
