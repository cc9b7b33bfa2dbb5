"""``mapper sandbox serve``: a real subprocess (one line on stdout, health, the written config,
clean exit on SIGTERM), one-line errors with exit status 2, and the config writer."""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.config import load_config
from mapper.sandbox.config_writer import sandbox_config

ADA = "ada@corp.example"
SCENARIO: dict[str, Any] = {
    "sandbox": {"now": "2025-03-10T00:00:00Z"},
    "calendars": {
        ADA: {"events": [{"id": "a1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]},
        "omar@corp.example": {"events": []},
    },
}
LISTENING = re.compile(r"sandbox listening on (http://127\.0\.0\.1:(\d+))\n")


def first_line(stream: IO[str], timeout: float = 20.0) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


def test_serve_writes_config_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    config = tmp_path / "conf" / "mapper.toml"
    command = [sys.executable, "-c", "from mapper.cli import main; main()", "sandbox", "serve",
               "--scenario", str(scenario), "--port", "0", "--write-config", str(config)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        match = LISTENING.fullmatch(first_line(process.stdout))
        assert match, "expected the listening line"
        url, port = match.group(1), match.group(2)
        assert httpx.get(f"{url}/_sandbox/health", timeout=5).json()["ok"] is True
        settings = load_config(config)
        endpoints = settings.google.endpoints
        assert endpoints.calendar == f"{url}/calendar/v3/" and endpoints.token_uri == f"{url}/token"
        assert endpoints.meet == endpoints.people == endpoints.directory == f"{url}/"
        assert settings.google.credentials == "static" and settings.google.static_token is not None
        assert settings.calendars.ids == [ADA, "omar@corp.example"]
        assert settings.database.url == f"sqlite:///{config.parent.resolve()}/mapper.db"
        assert settings.clock.now is not None and settings.clock.now.isoformat() == "2025-03-10T00:00:00+00:00"
        assert settings.recall.enabled is False  # the scenario has no Recall bots
        token = settings.google.static_token.get_secret_value()
        events = httpx.get(f"{endpoints.calendar}calendars/{ADA}/events", headers={"Authorization": f"Bearer {token}"})
        assert [item["id"] for item in events.json()["items"]] == ["a1"]
        assert f":{port}/" in config.read_text()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == ""  # the listening line was the only line
    assert "Traceback" not in err


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_malformed_scenario_is_one_line_and_exit_2(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.json"
    bad = json.loads(json.dumps(SCENARIO))
    bad["calendars"][ADA]["events"][0]["end"] = {"date": "2025-03-01"}
    scenario.write_text(json.dumps(bad))
    result = invoke("sandbox", "serve", "--scenario", str(scenario), "--port", "0")
    assert result.exit_code == 2
    assert result.output == (f'error: {scenario}: calendars["ada@corp.example"].events[0].end: must be after start\n')


def test_unreadable_scenario_and_bad_faults_are_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = invoke("sandbox", "serve", "--scenario", str(broken))
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith(f"error: {broken}: invalid JSON at line 1")
    good = tmp_path / "good.json"
    good.write_text("{}")
    result = invoke("sandbox", "serve", "--scenario", str(good), "--faults", "*:sometimes=1")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith("faults: unknown key 'sometimes'")


def test_sandbox_help_lists_serve() -> None:
    result = invoke("sandbox", "--help")
    assert result.exit_code == 0 and "serve" in result.output


def test_config_writer_adds_recall_and_database_only_when_asked() -> None:
    assert sandbox_config({"calendars": {ADA: {}}}, "http://0.0.0.0:8080") == {
        "database": {"url": "sqlite:///mapper.db"},
        "google": {
            "credentials": "static",
            "static_token": "sandbox-google-token",
            "endpoints": {
                "calendar": "http://127.0.0.1:8080/calendar/v3/",
                "meet": "http://127.0.0.1:8080/",
                "people": "http://127.0.0.1:8080/",
                "directory": "http://127.0.0.1:8080/",
                "token_uri": "http://127.0.0.1:8080/token",
            },
        },
        "calendars": {"ids": [ADA]},
        "reports": {"output_dir": "reports"},
    }
    with_recall = sandbox_config(
        {"recall": {"api_key": "k-123", "bots": [{"id": "x"}]}},
        "http://127.0.0.1:9000",
        database_url="postgresql+psycopg://m@db/m",
    )
    assert with_recall["recall"] == {
        "enabled": True,
        "api_key": "k-123",
        "base_url": "http://127.0.0.1:9000",
        "lookback_days": 7,
    }
    # bots older than a week: the lookback covers the oldest one, counted from the pinned now
    old = sandbox_config(
        {
            "sandbox": {"now": "2025-03-31T12:00:00Z"},
            "recall": {
                "bots": [
                    {"id": "a", "join_at": "2025-03-01T09:00:00Z"},
                    {"id": "b", "status_changes": [{"code": "ready", "created_at": "2025-03-20T00:00:00Z"}]},
                ]
            },
        },
        "http://127.0.0.1:9000",
    )
    assert old["recall"]["lookback_days"] == 32
    assert with_recall["database"] == {"url": "postgresql+psycopg://m@db/m"}
    assert with_recall["calendars"] == {"ids": []}


def test_write_config_output_loads(tmp_path: Path) -> None:
    from mapper.sandbox.config_writer import write_config

    settings = write_config(
        tmp_path / "m.toml",
        {"recall": {"bots": [{"id": "x"}]}},
        "http://127.0.0.1:9",
        database_url="sqlite:///:memory:",
    )
    assert settings.recall.enabled and settings.recall_api_key() == "sandbox-recall-key"
    assert settings.recall.effective_base_url == "http://127.0.0.1:9"
    assert settings.database.url == "sqlite:///:memory:"
    assert settings.reports.output_dir == tmp_path / "reports"


@pytest.mark.parametrize("flag", ["--scenario"])
def test_scenario_is_required(flag: str) -> None:
    result = invoke("sandbox", "serve")
    assert result.exit_code == 2 and flag in result.output
