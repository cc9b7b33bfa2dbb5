"""Google credentials from the configuration: service account with domain-wide delegation,
authorized user, a static token (sandbox / proxy) or none.  Read-only scopes only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import google.auth.credentials
import google.oauth2.credentials
from google.auth.credentials import AnonymousCredentials
from google.oauth2 import service_account

from mapper.config import Settings
from mapper.errors import ConfigError

DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105  (a URL)

#: The least-privilege, read-only scope each API is called with (see docs/SOURCES.md).
SCOPES: dict[str, tuple[str, ...]] = {
    "calendar": ("https://www.googleapis.com/auth/calendar.events.readonly",),
    "meet": ("https://www.googleapis.com/auth/meetings.space.readonly",),
    "people": ("https://www.googleapis.com/auth/directory.readonly",),
    "directory": ("https://www.googleapis.com/auth/admin.directory.user.readonly",),
}


def _read_json(settings: Settings) -> dict[str, Any]:
    path = settings.google.credentials_file
    if path is None:
        kind = settings.google.credentials
        raise ConfigError(
            f'config error: google.credentials_file: is required when google.credentials is "{kind}"',
            key="google.credentials_file",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config error: google.credentials_file: file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"config error: google.credentials_file: cannot read {path}: {exc.__class__.__name__}"
        ) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"config error: google.credentials_file: {path} is not JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config error: google.credentials_file: {path} is not a JSON object")
    return data


def make_credentials(
    settings: Settings, scopes: Sequence[str], subject: str | None = None
) -> google.auth.credentials.Credentials:
    """Credentials for ``scopes``, impersonating ``subject`` when the method supports it."""
    kind = settings.google.credentials
    token_uri = settings.google.endpoints.token_uri
    if kind == "none":
        return AnonymousCredentials()
    if kind == "static":
        token = settings.google.static_token
        assert token is not None  # checked when the config was loaded
        return google.oauth2.credentials.Credentials(token=token.get_secret_value())
    info = _read_json(settings)
    if kind == "service_account":
        missing = [key for key in ("client_email", "private_key", "token_uri") if not info.get(key)]
        if info.get("type") != "service_account" or missing:
            raise ConfigError(
                "config error: google.credentials_file: not a service-account key"
                + (f" (missing {', '.join(missing)})" if missing else "")
            )
        if token_uri != DEFAULT_TOKEN_URI:
            info = {**info, "token_uri": token_uri}
        try:
            credentials = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
        except ValueError as exc:
            raise ConfigError(f"config error: google.credentials_file: invalid service-account key ({exc})") from None
        delegated: google.auth.credentials.Credentials = credentials.with_subject(subject) if subject else credentials
        return delegated
    missing = [key for key in ("client_id", "client_secret", "refresh_token") if not info.get(key)]
    if missing:
        raise ConfigError(
            f"config error: google.credentials_file: not an authorized-user file (missing {', '.join(missing)})"
        )
    return google.oauth2.credentials.Credentials(
        token=None,
        refresh_token=info["refresh_token"],
        client_id=info["client_id"],
        client_secret=info["client_secret"],
        token_uri=token_uri,
        scopes=list(scopes),
    )


__all__ = ["DEFAULT_TOKEN_URI", "SCOPES", "make_credentials"]
