"""The one exception tree of mapper.

Everything mapper raises on purpose derives from :class:`MapperError`, so the CLI and the
daemon catch one family.  Clients translate HTTP failures into :class:`UpstreamError` at the
boundary; configuration problems are :class:`ConfigError`; bad data from an API or a file is
:class:`DataError`; store problems are :class:`StoreError`.

    MapperError
    ├── ConfigError
    ├── DataError
    ├── StoreError
    │   └── NotMigratedError
    └── UpstreamError
        ├── AuthError
        ├── NotFoundError
        ├── RateLimitedError
        └── SyncTokenExpiredError
"""

from __future__ import annotations


class MapperError(Exception):
    """Base class of every error mapper raises on purpose."""


class ConfigError(MapperError):
    """The configuration file or environment is invalid.

    ``str(err)`` is one line naming the key and the problem, never the secret value.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class DataError(MapperError):
    """An API payload, scenario or input file does not have the expected shape."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class StoreError(MapperError):
    """The database cannot be used as asked."""


class NotMigratedError(StoreError):
    """The database schema is missing or older than this version of mapper."""


class UpstreamError(MapperError):
    """An external API (Google, Recall.ai) failed after the allowed retries."""

    def __init__(
        self,
        message: str,
        *,
        service: str,
        status: int | None = None,
        reason: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


class AuthError(UpstreamError):
    """Credentials were refused (401), expired, or lack a scope (403)."""


class NotFoundError(UpstreamError):
    """The requested resource does not exist or is not visible (404)."""


class RateLimitedError(UpstreamError):
    """Still rate limited (429 / rateLimitExceeded) after the allowed retries."""


class SyncTokenExpiredError(UpstreamError):
    """Calendar answered 410: the stored sync token is no longer valid; a full sync is required."""


__all__ = [
    "AuthError",
    "ConfigError",
    "DataError",
    "MapperError",
    "NotFoundError",
    "NotMigratedError",
    "RateLimitedError",
    "StoreError",
    "SyncTokenExpiredError",
    "UpstreamError",
]
