"""The configuration model: one section per concern, every key documented in
``config/mapper.example.toml``.  Values come from the TOML file, then ``MAPPER_*`` environment
variables override them (``MAPPER_SCHEDULE__CALENDAR_SYNC_MINUTES=5``)."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from mapper.config.types import (
    ClockTime,
    Email,
    Fraction,
    Instant,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Url,
)

RECALL_REGIONS: dict[str, str] = {
    "us-west-2": "https://us-west-2.recall.ai",
    "us-east-1": "https://us-east-1.recall.ai",
    "eu-central-1": "https://eu-central-1.recall.ai",
    "ap-northeast-1": "https://ap-northeast-1.recall.ai",
}


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)


class DatabaseSettings(Section):
    url: str = "sqlite:///mapper.db"
    echo: bool = False


class GoogleEndpoints(Section):
    calendar: Url = "https://www.googleapis.com/calendar/v3/"
    meet: Url = "https://meet.googleapis.com/"
    people: Url = "https://people.googleapis.com/"
    directory: Url = "https://admin.googleapis.com/"
    token_uri: Url = "https://oauth2.googleapis.com/token"  # noqa: S105  (a URL)


class GoogleSettings(Section):
    credentials: Literal["service_account", "authorized_user", "static", "none"] = "service_account"
    credentials_file: Path | None = None
    static_token: SecretStr | None = None
    impersonate: Email | None = None
    directory_admin: Email | None = None
    endpoints: GoogleEndpoints = GoogleEndpoints()


class CalendarsSettings(Section):
    ids: list[str] = Field(default_factory=list)
    subjects: dict[str, Email] = Field(default_factory=dict)
    lookback_days: PositiveInt = 35
    lookahead_days: PositiveInt = 14


class MeetSettings(Section):
    enabled: bool = True
    grace_minutes: NonNegativeInt = 10
    give_up_after_hours: PositiveInt = 48
    lookback_days: PositiveInt = 30
    fetch_sessions: bool = True


class PeopleSettings(Section):
    cache_ttl_hours: PositiveInt = 168
    directory_fallback: bool = True


class RecallSettings(Section):
    enabled: bool = False
    region: Literal["us-west-2", "us-east-1", "eu-central-1", "ap-northeast-1"] = "us-west-2"
    api_key: SecretStr | None = None
    api_key_env: str | None = None
    base_url: Url | None = None
    lookback_days: PositiveInt = 7

    @property
    def effective_base_url(self) -> str:
        return (self.base_url or RECALL_REGIONS[self.region]).rstrip("/")


class HttpSettings(Section):
    timeout_seconds: PositiveFloat = 30.0
    max_tries: PositiveInt = 6
    backoff_seconds: PositiveFloat = 0.5
    backoff_max_seconds: PositiveFloat = 30.0
    concurrency: PositiveInt = 4


class ScheduleSettings(Section):
    calendar_sync_minutes: PositiveInt = 10
    meet_collect_minutes: PositiveInt = 15
    recall_collect_minutes: PositiveInt = 15
    resolve_minutes: PositiveInt = 5
    report_time: ClockTime = time(6, 0)
    retention_purge_hours: PositiveInt = 24


class MatchingSettings(Section):
    fuzzy_threshold: Fraction = 0.80
    ambiguity_margin: Fraction = 0.06


class ReportSettings(Section):
    output_dir: Path = Path("reports")


class RetentionSettings(Section):
    days: PositiveInt = 400


class ClockSettings(Section):
    now: Instant = None  # pin "now" (sandbox demo, replays of recorded data); unset = the real clock


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


SECRET_KEYS: frozenset[str] = frozenset({"google.static_token", "recall.api_key"})

__all__ = [
    "RECALL_REGIONS",
    "SECRET_KEYS",
    "CalendarsSettings",
    "ClockSettings",
    "DatabaseSettings",
    "GoogleEndpoints",
    "GoogleSettings",
    "HttpSettings",
    "LoggingSettings",
    "MatchingSettings",
    "MeetSettings",
    "PeopleSettings",
    "RecallSettings",
    "ReportSettings",
    "RetentionSettings",
    "ScheduleSettings",
    "Section",
]
