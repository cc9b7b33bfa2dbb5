"""The root :class:`Settings` object and how it is loaded from a TOML file plus the environment."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from mapper.config.model import (
    SECRET_KEYS,
    CalendarsSettings,
    ClockSettings,
    DatabaseSettings,
    GoogleSettings,
    HttpSettings,
    LoggingSettings,
    MatchingSettings,
    MeetSettings,
    PeopleSettings,
    RecallSettings,
    ReportSettings,
    RetentionSettings,
    ScheduleSettings,
)
from mapper.errors import ConfigError

CONFIG_ENV = "MAPPER_CONFIG"
_MASK = "**********"


class Settings(BaseSettings):
    """The effective configuration.  Build it with :func:`load_config`."""

    model_config = SettingsConfigDict(
        env_prefix="MAPPER_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    database: DatabaseSettings = DatabaseSettings()
    google: GoogleSettings = GoogleSettings()
    calendars: CalendarsSettings = CalendarsSettings()
    meet: MeetSettings = MeetSettings()
    people: PeopleSettings = PeopleSettings()
    recall: RecallSettings = RecallSettings()
    http: HttpSettings = HttpSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    matching: MatchingSettings = MatchingSettings()
    reports: ReportSettings = ReportSettings()
    retention: RetentionSettings = RetentionSettings()
    logging: LoggingSettings = LoggingSettings()
    clock: ClockSettings = ClockSettings()
    source: str | None = Field(default=None, exclude=True, repr=False)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment overrides win over the file, which is passed as init kwargs.
        return (env_settings, init_settings)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name == "database":
                yield name, f"DatabaseSettings(url={mask_url(self.database.url)!r})"
            else:
                yield name, value

    def recall_api_key(self) -> str:
        """The Recall.ai API key, from ``recall.api_key`` or the variable named by ``recall.api_key_env``."""
        if self.recall.api_key is not None and self.recall.api_key.get_secret_value():
            return self.recall.api_key.get_secret_value()
        if self.recall.api_key_env:
            value = os.environ.get(self.recall.api_key_env)
            if value:
                return value
            raise ConfigError(
                f"config error: recall.api_key_env: environment variable {self.recall.api_key_env} is not set",
                key="recall.api_key_env",
            )
        raise ConfigError("config error: recall.api_key: not set", key="recall.api_key")

    def masked(self) -> dict[str, Any]:
        """The effective configuration as plain data, secrets replaced by asterisks."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude={"source"})
        data["database"]["url"] = mask_url(self.database.url)
        for key in SECRET_KEYS:
            section, name = key.split(".")
            if data[section].get(name) is not None:
                data[section][name] = _MASK
        return _drop_none(data)


def mask_url(url: str) -> str:
    """Hide the password of a database URL."""
    return re.sub(r"(://[^:/@]+:)[^@/]+@", r"\1" + _MASK + "@", url)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = _drop_none(value)
        elif value is not None:
            out[key] = value
    return out


def load_config(path: str | Path | None = None) -> Settings:
    """Load the configuration from ``path`` (else ``$MAPPER_CONFIG``, else defaults) plus ``MAPPER_*``.

    Relative paths in the file (SQLite database, credentials file, report directory) are taken
    relative to the file's folder.  Raises :class:`ConfigError` with one line per problem.
    """
    chosen = path if path is not None else os.environ.get(CONFIG_ENV) or None
    data: dict[str, Any] = {}
    base = Path.cwd()
    if chosen is not None:
        file = Path(chosen).expanduser()
        data = _read_toml(file)
        base = file.resolve().parent
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError("\n".join(_format_errors(exc)), key=_first_key(exc)) from None
    except SettingsError as exc:
        raise ConfigError(f"config error: environment: {exc}") from None
    settings = _resolve_paths(settings, base)
    _check_consistency(settings)
    return settings.model_copy(update={"source": str(Path(chosen).resolve()) if chosen else None})


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config error: {file}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"config error: {file}: is a directory, not a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config error: {file}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config error: {file}: not UTF-8 text") from None


_PLAIN_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "is required",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "path_type": "must be a file path",
}


def _format_errors(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        kind = error["type"]
        if kind == "literal_error":
            message = f"must be one of {error.get('ctx', {}).get('expected', '')}"
        else:
            message = _PLAIN_MESSAGES.get(kind) or _lower_first(error["msg"])
        line = f"config error: {key}: {message}"
        if kind not in {"missing", "extra_forbidden"} and key not in SECRET_KEYS:
            value = error.get("input")
            if key == "database.url" and isinstance(value, str):
                value = mask_url(value)
            line += f", got {_show(value)}"
        lines.append(line)
    return lines


def _first_key(exc: ValidationError) -> str | None:
    errors = exc.errors()
    return ".".join(str(part) for part in errors[0]["loc"]) if errors else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _show(value: object) -> str:
    if isinstance(value, str | int | float | bool) or value is None:
        return json.dumps(value)
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    def rel(path: Path) -> Path:
        path = path.expanduser()
        return path if path.is_absolute() else base / path

    database = settings.database
    match = re.fullmatch(r"(sqlite(?:\+\w+)?:///)(.+)", database.url)
    if match and match.group(2) != ":memory:" and not match.group(2).startswith("/"):
        database = database.model_copy(update={"url": match.group(1) + str(base / match.group(2))})
    google = settings.google
    if google.credentials_file is not None:
        google = google.model_copy(update={"credentials_file": rel(google.credentials_file)})
    reports = settings.reports.model_copy(update={"output_dir": rel(settings.reports.output_dir)})
    return settings.model_copy(update={"database": database, "google": google, "reports": reports})


def _check_consistency(settings: Settings) -> None:
    google = settings.google
    problems: list[tuple[str, str]] = []
    if google.credentials in {"service_account", "authorized_user"} and google.credentials_file is None:
        problems.append(("google.credentials_file", f'is required when google.credentials is "{google.credentials}"'))
    if google.credentials == "static" and google.static_token is None:
        problems.append(("google.static_token", 'is required when google.credentials is "static"'))
    recall = settings.recall
    if recall.enabled and recall.api_key is None and not recall.api_key_env:
        problems.append(("recall.api_key", "is required when recall.enabled is true (or set recall.api_key_env)"))
    if problems:
        raise ConfigError("\n".join(f"config error: {key}: {message}" for key, message in problems), key=problems[0][0])


__all__ = ["CONFIG_ENV", "Settings", "load_config", "mask_url"]
