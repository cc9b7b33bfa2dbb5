"""One Google API as mapper calls it: discovery-built services (bundled documents, configured
endpoint, per thread and per impersonated user), retries, error translation and call counting."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from typing import Any

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.config import Settings
from mapper.errors import (
    AuthError,
    NotFoundError,
    RateLimitedError,
    SyncTokenExpiredError,
    UpstreamError,
)
from mapper.sources.google.credentials import SCOPES, make_credentials
from mapper.sources.metrics import CallCounter
from mapper.sources.retry import Retryable, RetryPolicy, parse_retry_after, with_retries

_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"})

#: (service, discovery name, version, how the endpoint setting is read)
_SERVICES: dict[str, tuple[str, str]] = {
    "calendar": ("calendar", "v3"),
    "meet": ("meet", "v2"),
    "people": ("people", "v1"),
    "directory": ("admin", "directory_v1"),
}

Resource = Any  # googleapiclient.discovery.Resource: dynamically typed


class CachedResource:
    """A discovery ``Resource`` whose sub-collections (``conferenceRecords()``, ``participants()``...)
    are built once.  The client library builds a collection, with every method on it, at each call:
    that cost more CPU than the HTTP request itself.  Methods pass straight through.  Like the
    resource it wraps, one instance belongs to one thread."""

    def __init__(self, resource: Resource) -> None:
        self._resource = resource
        description = getattr(resource, "_resourceDesc", None)
        self._collections = (
            frozenset(description.get("resources", {})) if isinstance(description, dict) else frozenset()
        )
        self._children: dict[str, CachedResource] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in self._collections:
            return getattr(self._resource, name)

        def collection() -> CachedResource:
            child = self._children.get(name)
            if child is None:
                child = self._children[name] = CachedResource(getattr(self._resource, name)())
            return child

        return collection


class GoogleApi:
    """Calls one Google API; thread-safe (each thread gets its own httplib2 connection)."""

    def __init__(
        self,
        service: str,
        settings: Settings,
        *,
        counter: CallCounter | None = None,
        policy: RetryPolicy | None = None,
        http_factory: Callable[[Any], Any] | None = None,
    ) -> None:
        """``http_factory(credentials)`` returns the httplib2-compatible object requests go through
        (default: an authorized ``httplib2.Http`` with the configured timeout); tests may pass the
        client library's ``HttpMockSequence``."""
        if service not in _SERVICES:
            raise ValueError(f"unknown Google service {service!r}")
        self.service = service
        self._settings = settings
        self._endpoint: str = getattr(settings.google.endpoints, service)
        self._counter = counter or CallCounter()
        self._policy = policy or RetryPolicy(
            max_tries=settings.http.max_tries,
            backoff=settings.http.backoff_seconds,
            backoff_max=settings.http.backoff_max_seconds,
        )
        self._local = threading.local()
        self._http_factory = http_factory or self._default_http
        self._opened: list[Any] = []  # every transport made, across threads, so close() can reach them
        self._opened_lock = threading.Lock()

    def _default_http(self, credentials: Any) -> Any:
        return google_auth_httplib2.AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=self._settings.http.timeout_seconds)
        )

    def _resource(self, subject: str | None) -> Resource:
        cache: dict[str | None, Resource] | None = getattr(self._local, "resources", None)
        if cache is None:
            cache = self._local.resources = {}
        key = subject if self._settings.google.credentials == "service_account" else None
        if key not in cache:
            name, version = _SERVICES[self.service]
            credentials = make_credentials(self._settings, SCOPES[self.service], key)
            http = self._http_factory(credentials)
            with self._opened_lock:
                self._opened.append(http)
            cache[key] = CachedResource(
                build(
                    name,
                    version,
                    http=http,
                    client_options={"api_endpoint": self._endpoint},
                    static_discovery=True,
                    cache_discovery=False,
                )
            )
        return cache[key]

    def close(self) -> None:
        """Close every connection this API opened (in any thread); later calls reconnect."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for transport in opened:
            close = getattr(transport, "close", None)
            if callable(close):
                close()
        self._local = threading.local()

    def execute(self, make: Callable[[Resource], Any], *, subject: str | None = None, what: str) -> dict[str, Any]:
        """Build a request with ``make(resource)`` and execute it with retries; return the JSON object."""
        return with_retries(lambda: self._once(make, subject, what), self._policy, what=what)

    def _once(self, make: Callable[[Resource], Any], subject: str | None, what: str) -> dict[str, Any]:
        request = make(self._resource(subject))
        method = str(getattr(request, "methodId", what))
        self._counter.call(method)
        try:
            body = request.execute()
        except HttpError as exc:
            self._counter.failure(method)
            raise translate(exc, self.service, what) from None
        except google.auth.exceptions.RefreshError as exc:
            self._counter.failure(method)
            raise AuthError(
                f"{what}: could not obtain an access token ({_first_line(exc)})", service=self.service
            ) from None
        except (
            google.auth.exceptions.TransportError,
            httplib2.HttpLib2Error,
            http.client.HTTPException,
            OSError,
        ) as exc:
            # OSError covers sockets: timeouts, refused and reset connections.
            self._counter.failure(method)
            raise Retryable(
                UpstreamError(f"{what}: connection failed ({type(exc).__name__})", service=self.service)
            ) from None
        if not isinstance(body, dict):
            # The client library hands back the raw text when a body is not JSON (a truncated or
            # mangled response): transient, like a 5xx.
            self._counter.failure(method)
            raise Retryable(UpstreamError(f"{what}: response body is not a JSON object", service=self.service))
        return body


def translate(exc: HttpError, service: str, what: str) -> Exception:
    """Map an HttpError to mapper's exception tree; transient ones come back as :class:`Retryable`."""
    status = exc.status_code
    reason, message = _reason(exc)
    text = f"{what}: HTTP {status} {reason or ''} {message}".replace("  ", " ").strip()
    retry_after = parse_retry_after(exc.resp.get("retry-after") if exc.resp is not None else None)
    if status == 429 or (status == 403 and reason in _RATE_REASONS):
        return Retryable(RateLimitedError(text, service=service, status=status, reason=reason), retry_after)
    if status >= 500:
        return Retryable(UpstreamError(text, service=service, status=status, reason=reason), retry_after)
    if status == 410:
        return SyncTokenExpiredError(text, service=service, status=status, reason=reason)
    if status == 404:
        return NotFoundError(text, service=service, status=status, reason=reason)
    if status in (401, 403):
        return AuthError(text, service=service, status=status, reason=reason)
    return UpstreamError(text, service=service, status=status, reason=reason)


def _reason(exc: HttpError) -> tuple[str | None, str]:
    """(machine reason, human message) from either Google error envelope."""
    try:
        data = json.loads(exc.content)
        error = data["error"]
    except (ValueError, KeyError, TypeError):
        return None, ""
    if not isinstance(error, dict):
        return None, str(error)[:200]
    message = str(error.get("message", ""))[:300]
    errors = error.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict) and errors[0].get("reason"):
        return str(errors[0]["reason"]), message
    return (str(error["status"]) if error.get("status") else None), message


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


__all__ = ["GoogleApi", "Resource", "translate"]
