"""``mapper sync recall`` in-process: summary, ``--json``, exit statuses, no secret in output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mapper.cli import app
from mapper.sandbox import SandboxServer
from tests.sources.test_recall_scenario import API_KEY, NOW, scenario

Factory = Callable[..., SandboxServer]


def config(tmp_path: Path, server: SandboxServer, *, key: str = API_KEY, enabled: bool = True) -> Path:
    path = tmp_path / "mapper.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///store/mapper.db"\n'
        f'[google]\ncredentials = "none"\n'
        f'[recall]\nenabled = {str(enabled).lower()}\napi_key = "{key}"\nbase_url = "{server.url}"\n'
        f"[http]\nmax_tries = 2\nbackoff_seconds = 0.01\n"
        f'[clock]\nnow = "{NOW}"\n'
    )
    return path


def run(path: Path, *args: str) -> Any:
    runner = CliRunner()
    upgraded = runner.invoke(app, ["--config", str(path), "db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    return runner.invoke(app, ["--config", str(path), "sync", "recall", *args])


def test_sync_recall_prints_counts_and_api_calls(tmp_path: Path, sandbox_factory: Factory) -> None:
    result = run(config(tmp_path, sandbox_factory(scenario())))
    assert result.exit_code == 0, result.output
    assert "recall: " in result.output and "bots_collected=5" in result.output
    assert "api calls: recall.bot.list=3" in result.output


def test_sync_recall_json(tmp_path: Path, sandbox_factory: Factory) -> None:
    result = run(config(tmp_path, sandbox_factory(scenario())), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["step"] == "recall" and data["problems"] == []
    assert data["counts"]["conferences"] == 6
    assert data["api_calls"]["recall.bot.retrieve"] == 6


def test_a_refused_key_exits_2_without_showing_it(tmp_path: Path, sandbox_factory: Factory) -> None:
    secret = "sk-live-not-the-right-one"
    result = run(config(tmp_path, sandbox_factory(scenario()), key=secret))
    assert result.exit_code == 2
    assert "401" in result.output and "recall.api_key" in result.output
    assert secret not in result.output


def test_disabled_recall_exits_2(tmp_path: Path, sandbox_factory: Factory) -> None:
    result = run(config(tmp_path, sandbox_factory(scenario()), enabled=False))
    assert result.exit_code == 2 and "recall.enabled" in result.output


def test_sync_lists_its_commands() -> None:
    result = CliRunner().invoke(app, ["sync", "--help"])
    assert result.exit_code == 0
    for name in ("calendars", "meet", "recall"):
        assert name in result.output
