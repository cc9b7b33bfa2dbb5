"""A mapper configuration pointing every source at a running sandbox (``sandbox serve --write-config``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from mapper.config import Settings, load_config
from mapper.errors import ConfigError
from mapper.sandbox.auth import STATIC_GOOGLE_TOKEN

DEFAULT_DATABASE_URL = "sqlite:///mapper.db"
DEFAULT_RECALL_KEY = "sandbox-recall-key"
_HEADER = "# Written by `mapper sandbox serve --write-config`: every source points at the sandbox below.\n"


def client_base_url(url: str) -> str:
    """The URL a local client uses for a server bound to ``url`` (a wildcard host becomes loopback)."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host in {"0.0.0.0", ""}:
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme or 'http'}://{host}:{parts.port}"


def sandbox_config(scenario: Mapping[str, Any], base_url: str, *, database_url: str | None = None) -> dict[str, Any]:
    """The configuration as plain data: Google endpoints, token URI and Recall base URL at
    ``base_url``, the static sandbox token, every scenario calendar, the pinned clock if any."""
    root = client_base_url(base_url)
    config: dict[str, Any] = {
        "database": {"url": database_url or DEFAULT_DATABASE_URL},
        "google": {
            "credentials": "static",
            "static_token": STATIC_GOOGLE_TOKEN,
            "endpoints": {
                "calendar": f"{root}/calendar/v3/",
                "meet": f"{root}/",
                "people": f"{root}/",
                "directory": f"{root}/",
                "token_uri": f"{root}/token",
            },
        },
        "calendars": {"ids": list(_dict(scenario.get("calendars")))},
    }
    recall = _dict(scenario.get("recall"))
    if recall.get("bots"):
        config["recall"] = {
            "enabled": True,
            "api_key": str(recall.get("api_key") or DEFAULT_RECALL_KEY),
            "base_url": root,
            "lookback_days": _recall_lookback(recall, _dict(scenario.get("sandbox")).get("now")),
        }
    config["reports"] = {"output_dir": "reports"}
    now = _dict(scenario.get("sandbox")).get("now")
    if isinstance(now, str) and now:
        config["clock"] = {"now": now}
    return config


def write_config(
    path: str | Path, scenario: Mapping[str, Any], base_url: str, *, database_url: str | None = None
) -> Settings:
    """Write the sandbox configuration to ``path`` (TOML) and return it as mapper loads it."""
    file = Path(path)
    text = _HEADER + tomli_w.dumps(sandbox_config(scenario, base_url, database_url=database_url))
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config error: cannot write {file}: {exc.strerror or exc}") from None
    return load_config(file)


def _recall_lookback(recall: Mapping[str, Any], now: Any) -> int:
    """Days back to list bots so every scenario bot is read (at least Recall's usual 7)."""
    reference = _instant(now) or datetime.now(UTC)
    earliest: datetime | None = None
    for bot in recall.get("bots") or []:
        if not isinstance(bot, dict):
            continue
        stamps = [bot.get("join_at")] + [
            c.get("created_at") for c in bot.get("status_changes") or [] if isinstance(c, dict)
        ]
        for stamp in stamps:
            moment = _instant(stamp)
            if moment is not None and (earliest is None or moment < earliest):
                earliest = moment
    if earliest is None:
        return 7
    return max(7, math.ceil((reference - earliest).total_seconds() / 86400) + 1)


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


__all__ = ["DEFAULT_DATABASE_URL", "client_base_url", "sandbox_config", "write_config"]
