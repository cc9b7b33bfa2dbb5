"""Configuration: the example loads; every kind of bad value gets one line naming the key;
environment overrides win; secrets never show in repr, errors or `config check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.config import load_config
from mapper.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "mapper.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapper.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = '[google]\ncredentials = "none"\n'


def test_example_config_loads() -> None:
    settings = load_config(EXAMPLE)
    assert settings.schedule.calendar_sync_minutes == 10
    assert settings.calendars.ids == ["ada@corp.example", "omar@corp.example"]
    assert settings.database.url == f"sqlite:///{EXAMPLE.parent}/var/mapper.db"
    assert settings.google.credentials_file == EXAMPLE.parent / "secrets" / "service-account.json"


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        pytest.param(
            '[schedule]\ncalendar_sync_minutes = "ten"',
            'config error: schedule.calendar_sync_minutes: must be a positive integer, got "ten"',
            id="not-an-int",
        ),
        pytest.param(
            "[schedule]\nresolve_minutes = 0",
            "config error: schedule.resolve_minutes: must be a positive integer, got 0",
            id="zero-interval",
        ),
        pytest.param(
            "[matching]\nfuzzy_threshold = 1.5",
            "config error: matching.fuzzy_threshold: must be a number between 0 and 1, got 1.5",
            id="fraction",
        ),
        pytest.param(
            '[recall]\nregion = "mars-1"',
            "config error: recall.region: must be one of 'us-west-2', 'us-east-1', 'eu-central-1' or "
            "'ap-northeast-1', got \"mars-1\"",
            id="bad-enum",
        ),
        pytest.param("[schedul]\nresolve_minutes = 3", "config error: schedul: unknown key", id="unknown-section"),
        pytest.param(
            "[schedule]\nresolve_minute = 3",
            "config error: schedule.resolve_minute: unknown key",
            id="unknown-key",
        ),
        pytest.param(
            '[google.endpoints]\nmeet = "meet.googleapis.com"',
            'config error: google.endpoints.meet: must be an http:// or https:// URL, got "meet.googleapis.com"',
            id="bad-url",
        ),
        pytest.param(
            '[schedule]\nreport_time = "25:00"',
            'config error: schedule.report_time: must be a time of day written HH:MM (UTC), got "25:00"',
            id="bad-time",
        ),
        pytest.param(
            '[meet]\nfetch_sessions = "yes please"',
            'config error: meet.fetch_sessions: must be true or false, got "yes please"',
            id="bad-bool",
        ),
        pytest.param(
            '[calendars]\nids = "ada@corp.example"',
            'config error: calendars.ids: must be a list, got "ada@corp.example"',
            id="not-a-list",
        ),
        pytest.param(
            '[clock]\nnow = "2025-03-03 15:00"',
            "config error: clock.now: must be an RFC 3339 timestamp with an offset, e.g. 2025-03-03T15:00:00Z,"
            ' got "2025-03-03 15:00"',
            id="naive-timestamp",
        ),
    ],
)
def test_bad_values_give_one_line_naming_the_key(tmp_path: Path, snippet: str, expected: str) -> None:
    path = write(tmp_path, MINIMAL + snippet + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '[google]\ncredentials = "service_account"\n',
            'config error: google.credentials_file: is required when google.credentials is "service_account"',
            id="service-account-needs-file",
        ),
        pytest.param(
            '[google]\ncredentials = "static"\n',
            'config error: google.static_token: is required when google.credentials is "static"',
            id="static-needs-token",
        ),
        pytest.param(
            MINIMAL + "[recall]\nenabled = true\n",
            "config error: recall.api_key: is required when recall.enabled is true (or set recall.api_key_env)",
            id="recall-needs-key",
        ),
    ],
)
def test_inconsistent_settings_are_named(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert str(info.value) == expected


def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[database\nurl = 1\n")
    with pytest.raises(ConfigError, match=rf"^config error: {path}: invalid TOML: .*line 1"):
        load_config(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_environment_overrides_win_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, MINIMAL + '[schedule]\ncalendar_sync_minutes = 10\n[calendars]\nids = ["a@x.example"]\n')
    monkeypatch.setenv("MAPPER_SCHEDULE__CALENDAR_SYNC_MINUTES", "3")
    monkeypatch.setenv("MAPPER_CALENDARS__IDS", '["b@x.example", "c@x.example"]')
    settings = load_config(path)
    assert settings.schedule.calendar_sync_minutes == 3
    assert settings.calendars.ids == ["b@x.example", "c@x.example"]


def test_bad_environment_value_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPPER_SCHEDULE__RESOLVE_MINUTES", "soon")
    with pytest.raises(
        ConfigError, match=r'^config error: schedule\.resolve_minutes: must be a positive integer, got "soon"$'
    ):
        load_config(write(tmp_path, MINIMAL))


def test_config_is_selected_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPPER_CONFIG", str(write(tmp_path, MINIMAL + "[retention]\ndays = 30\n")))
    assert load_config().retention.days == 30


SECRET_CONFIG = """
[database]
url = "postgresql+psycopg://mapper:db-pass-123@127.0.0.1:5432/mapper"
[google]
credentials = "static"
static_token = "google-token-456"
[recall]
enabled = true
api_key = "recall-key-789"
"""
SECRETS = ("db-pass-123", "google-token-456", "recall-key-789")


def test_secrets_are_masked_in_config_check(tmp_path: Path) -> None:
    path = write(tmp_path, SECRET_CONFIG)
    for args in (["config", "check"], ["config", "check", "--json"]):
        result = CliRunner().invoke(app, ["--config", str(path), *args])
        assert result.exit_code == 0, result.output
        assert "**********" in result.output
        for secret in SECRETS:
            assert secret not in result.output


def test_secrets_are_not_in_repr(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, SECRET_CONFIG))
    text = repr(settings) + str(settings)
    for secret in SECRETS:
        assert secret not in text
    assert settings.recall_api_key() == "recall-key-789"


def test_secrets_are_not_echoed_in_errors(tmp_path: Path) -> None:
    path = write(tmp_path, '[google]\ncredentials = "static"\nstatic_token = 12345\n[database]\nurl = 7\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "12345" not in str(info.value)
    assert "config error: google.static_token: " in str(info.value)


def test_recall_key_from_named_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, MINIMAL + '[recall]\nenabled = true\napi_key_env = "MY_RECALL_KEY"\n')
    settings = load_config(path)
    with pytest.raises(ConfigError, match=r"recall\.api_key_env: environment variable MY_RECALL_KEY is not set"):
        settings.recall_api_key()
    monkeypatch.setenv("MY_RECALL_KEY", "from-env")
    assert settings.recall_api_key() == "from-env"


def test_cli_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, '[schedule]\ncalendar_sync_minutes = "ten"\n')
    result = CliRunner().invoke(app, ["--config", str(path), "config", "check"])
    assert result.exit_code == 2
    assert (
        result.output.strip() == 'config error: schedule.calendar_sync_minutes: must be a positive integer, got "ten"'
    )
    assert "Traceback" not in result.output
