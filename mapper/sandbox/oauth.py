"""The emulated Google OAuth 2.0 token endpoint (``POST /token``, like
``https://oauth2.googleapis.com/token``), so service-account and authorized-user credentials of
google-auth work against the sandbox unchanged.

- ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` with a service-account ``assertion``:
  the JWT's signature is **not** verified; its claims are checked as Google checks them: ``iss``,
  ``aud`` = the token URL the client posted to (any host), ``iat``/``exp`` a short-lived window
  (at most one hour, not expired), ``scope``; ``sub`` is the user impersonated through domain-wide
  delegation (without it the service account itself is the principal).
- ``grant_type=refresh_token`` (authorized-user files): ``client_id``, ``client_secret`` and
  ``refresh_token`` are required; the scopes are the ``scope`` parameter, else every read-only scope
  mapper uses.  A scenario may map refresh tokens to users with
  ``"sandbox": {"refresh_tokens": {"TOKEN": "user@example.com"}}``; when it does, other refresh
  tokens are refused (``invalid_grant``).

Issued tokens are registered in ``world.tokens`` with their subject and scopes.  Errors use the
endpoint's own ``{"error", "error_description"}`` body with status 400.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from mapper.sandbox.envelopes import oauth_error
from mapper.sandbox.http import Request, Response, Router
from mapper.sandbox.scenario import expect_dict, expect_str, fail
from mapper.sandbox.world import EmulatedApi

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
LIFETIME = 3600
_SKEW = 300  # seconds of clock skew tolerated on iat
_AUTH = "https://www.googleapis.com/auth/"
#: Granted to a refresh-token exchange that names no scope.
READ_ONLY_SCOPES = tuple(
    _AUTH + name
    for name in (
        "calendar.readonly",
        "calendar.events.readonly",
        "calendar.calendarlist.readonly",
        "meetings.space.readonly",
        "directory.readonly",
        "contacts.readonly",
        "contacts.other.readonly",
        "userinfo.email",
        "userinfo.profile",
        "admin.directory.user.readonly",
        "admin.reports.audit.readonly",
    )
)
_SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values in the JWT claim."
)


class OAuthApi(EmulatedApi):
    name: ClassVar[str] = "oauth"
    sections: ClassVar[tuple[str, ...]] = ()

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.refresh_tokens: dict[str, str] | None = None

    def load(self, scenario: Mapping[str, Any]) -> None:
        raw = self.world.settings.get("refresh_tokens")
        if raw is None:
            return
        mapping = expect_dict(raw, "sandbox.refresh_tokens")
        self.refresh_tokens = {}
        for token, subject in mapping.items():
            where = f'sandbox.refresh_tokens["{token}"]'
            if "@" not in expect_str(subject, where):
                raise fail(where, f"must be a user's email address, got {subject!r}")
            self.refresh_tokens[token] = subject

    def register(self, router: Router) -> None:
        router.add("POST", "/token", name="oauth.token", api="oauth", handler=self.token)

    def token(self, request: Request, _params: Mapping[str, str]) -> Response:
        form = _form(request)
        grant = form.get("grant_type")
        if not grant:
            raise oauth_error(400, "unsupported_grant_type", "Invalid grant_type: ")
        if grant == JWT_BEARER:
            subject, scopes = self._jwt_grant(form, request.path)
            issued = self.world.tokens.issue(subject, scopes, LIFETIME)
            return _answer({"access_token": issued.value, "expires_in": LIFETIME - 1, "token_type": "Bearer"})
        if grant == "refresh_token":
            user, scopes = self._refresh_grant(form)
            issued = self.world.tokens.issue(user, scopes, LIFETIME)
            return _answer(
                {
                    "access_token": issued.value,
                    "expires_in": LIFETIME - 1,
                    "scope": " ".join(scopes),
                    "token_type": "Bearer",
                }
            )
        raise oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")

    def _jwt_grant(self, form: Mapping[str, str], path: str) -> tuple[str, list[str]]:
        assertion = form.get("assertion")
        if not assertion:
            raise oauth_error(400, "invalid_request", "Missing required parameter: assertion")
        claims = _jwt_claims(assertion)
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise oauth_error(400, "invalid_grant", "Invalid JWT: iss claim is missing.")
        audience = claims.get("aud")
        if not isinstance(audience, str) or urlsplit(audience).path != path:
            raise oauth_error(400, "invalid_grant", f"Invalid JWT: Failed audience check. The right audience is {path}")
        now = time.time()
        issued_at, expires = claims.get("iat"), claims.get("exp")
        if not isinstance(expires, int | float) or isinstance(expires, bool) or expires <= now:
            raise oauth_error(400, "invalid_grant", _SHORT_LIVED)
        if isinstance(issued_at, int | float) and (issued_at > now + _SKEW or expires - issued_at > LIFETIME):
            raise oauth_error(400, "invalid_grant", _SHORT_LIVED)
        scope = claims.get("scope")
        if not isinstance(scope, str) or not scope.split():
            raise oauth_error(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        subject = claims.get("sub")
        if subject is None:
            return issuer, scope.split()
        if not isinstance(subject, str) or "@" not in subject:
            raise oauth_error(400, "invalid_grant", "Invalid email or User ID")
        return subject, scope.split()

    def _refresh_grant(self, form: Mapping[str, str]) -> tuple[str | None, list[str]]:
        for name in ("client_id", "client_secret", "refresh_token"):
            if not form.get(name):
                raise oauth_error(400, "invalid_request", f"Missing required parameter: {name}")
        refresh = form["refresh_token"]
        subject = None
        if self.refresh_tokens is not None:
            if refresh not in self.refresh_tokens:
                raise oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            subject = self.refresh_tokens[refresh]
        scopes = (form.get("scope") or "").split() or list(READ_ONLY_SCOPES)
        return subject, scopes


def _form(request: Request) -> dict[str, str]:
    """The request's parameters: form-encoded body (what google-auth sends), JSON, or the query."""
    content_type = (request.header("content-type") or "").lower()
    if content_type.startswith("application/json"):
        try:
            data = request.json()
        except ValueError:
            raise oauth_error(400, "invalid_request", "Invalid JSON payload received.") from None
        if not isinstance(data, dict):
            raise oauth_error(400, "invalid_request", "Invalid JSON payload received.")
        return {str(key): str(value) for key, value in data.items()}
    try:
        parsed = parse_qs(request.body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        raise oauth_error(400, "invalid_request", "Invalid request body.") from None
    merged = {key: values[-1] for key, values in request.query.items() if values}
    merged.update({key: values[-1] for key, values in parsed.items() if values})
    return merged


def _jwt_claims(assertion: str) -> dict[str, Any]:
    parts = assertion.split(".")
    if len(parts) != 3:
        raise oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise oauth_error(400, "invalid_grant", "Invalid JWT Signature.") from None
    if not isinstance(claims, dict):
        raise oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
    return claims


def _answer(body: dict[str, Any]) -> Response:
    return Response.json(body, headers={"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"})


__all__ = ["JWT_BEARER", "READ_ONLY_SCOPES", "OAuthApi"]
