"""Google bearer tokens in the sandbox: a static token for configs, and tokens issued by the
emulated OAuth endpoint (service-account JWT grants and refresh-token grants) with their scopes."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from mapper.sandbox.envelopes import LEGACY_APIS, generic_error, legacy_error, rpc_error
from mapper.sandbox.http import ApiError, Request, Response

#: Accepted by every Google endpoint with every scope (written by ``sandbox serve --write-config``).
STATIC_GOOGLE_TOKEN = "sandbox-google-token"  # noqa: S105  (a public test value, not a secret)

_INVALID_CREDENTIALS = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_INSUFFICIENT = "Request had insufficient authentication scopes."


@dataclass(frozen=True)
class Token:
    value: str
    subject: str | None  # the impersonated user (domain-wide delegation), if any
    scopes: frozenset[str] | None  # None = every scope (the static token)
    expires_at: float | None  # time.time() seconds; None = never


class TokenRegistry:
    """Which bearer tokens are valid, for whom and with which scopes.  Thread-safe."""

    def __init__(self, static_tokens: Iterable[str] = (STATIC_GOOGLE_TOKEN,)) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {value: Token(value, None, None, None) for value in static_tokens}

    def issue(self, subject: str | None, scopes: Iterable[str], lifetime: float = 3600.0) -> Token:
        token = Token("ya29.sandbox-" + secrets.token_urlsafe(24), subject, frozenset(scopes), time.time() + lifetime)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def expire(self, value: str) -> None:
        """Make an issued token invalid now (the client must refresh); static tokens stay valid."""
        with self._lock:
            token = self._tokens.get(value)
            if token is not None and token.expires_at is not None:
                self._tokens[value] = Token(token.value, token.subject, token.scopes, 0.0)

    def lookup(self, value: str) -> Token | None:
        with self._lock:
            token = self._tokens.get(value)
        if token is None or (token.expires_at is not None and token.expires_at <= time.time()):
            return None
        return token

    def check(self, request: Request, api: str, accepted_scopes: Iterable[str]) -> Token:
        """Authenticate a Google API request; raise the API's own 401 / 403 otherwise."""
        header = request.header("authorization") or ""
        value = header[7:].strip() if header.lower().startswith("bearer ") else request.arg("access_token")
        token = self.lookup(value) if value else None
        if token is None:
            raise unauthenticated(api)
        accepted = frozenset(accepted_scopes)
        if token.scopes is not None and accepted and not (token.scopes & accepted):
            raise insufficient_scopes()
        return token

    def bearer(self, request: Request) -> Token | None:
        header = request.header("authorization") or ""
        return self.lookup(header[7:].strip()) if header.lower().startswith("bearer ") else None


def unauthenticated(api: str) -> ApiError:
    if api in LEGACY_APIS:
        error = legacy_error(401, "authError", "Invalid Credentials", location="Authorization", location_type="header")
        body = error.response
        return ApiError(
            Response.json(
                {
                    "error": {
                        **_json(body)["error"],
                        "message": _INVALID_CREDENTIALS,
                        "status": "UNAUTHENTICATED",
                    }
                },
                401,
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )
        )
    if api == "recall":
        return generic_error(api, 401, "Invalid token.")
    return rpc_error(401, _INVALID_CREDENTIALS, status="UNAUTHENTICATED", reason="ACCESS_TOKEN_TYPE_UNSUPPORTED")


def insufficient_scopes() -> ApiError:
    """The hybrid body Google APIs send for a token lacking every accepted scope."""
    body = {
        "error": {
            "code": 403,
            "message": _INSUFFICIENT,
            "errors": [
                {
                    "message": "Insufficient Permission",
                    "domain": "global",
                    "reason": "insufficientPermissions",
                }
            ],
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "domain": "googleapis.com",
                    "metadata": {},
                }
            ],
        }
    }
    return ApiError(Response.json(body, 403))


def _json(response: Response) -> dict[str, dict[str, object]]:
    import json

    data: dict[str, dict[str, object]] = json.loads(response.body)
    return data


__all__ = ["STATIC_GOOGLE_TOKEN", "Token", "TokenRegistry", "insufficient_scopes", "unauthenticated"]
