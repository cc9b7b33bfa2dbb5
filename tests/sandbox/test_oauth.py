"""The emulated OAuth token endpoint, driven by google-auth itself: service-account keys with
domain-wide delegation, authorized-user refresh tokens, scopes enforced by Calendar, refresh after
expiry, and the token endpoint's own errors."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import google.oauth2.credentials
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import SandboxServer

ADA = "ada@corp.example"
SA_EMAIL = "mapper@sandbox-project.iam.gserviceaccount.com"
EVENTS_READONLY = "https://www.googleapis.com/auth/calendar.events.readonly"
MEET_READONLY = "https://www.googleapis.com/auth/meetings.space.readonly"
SCENARIO = {
    "sandbox": {"refresh_tokens": {"1//sandbox-refresh-ada": ADA}},
    "calendars": {ADA: {"events": [{"id": "a1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]}},
}


@pytest.fixture(scope="module")
def private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


@pytest.fixture
def server(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(SCENARIO)


@pytest.fixture
def key_file(tmp_path: Path, server: SandboxServer, private_key: str) -> Path:
    path = tmp_path / "service-account.json"
    info = {
        "type": "service_account",
        "project_id": "sandbox-project",
        "private_key_id": "k1",
        "private_key": private_key,
        "client_email": SA_EMAIL,
        "client_id": "1234567890",
        "token_uri": f"{server.url}/token",
    }
    path.write_text(json.dumps(info))
    return path


@pytest.fixture
def calendar_with(server: SandboxServer) -> Iterator[Callable[[Any], Any]]:
    """``calendar_with(credentials)`` → the events resource of a Calendar client (closed after)."""
    built: list[Any] = []

    def make(credentials: Any) -> Any:
        built.append(
            build(
                "calendar", "v3", credentials=credentials,
                client_options={"api_endpoint": server.url + "/calendar/v3/"}, static_discovery=True,
                cache_discovery=False,
            )
        )  # fmt: skip
        return built[-1].events()

    yield make
    for client in built:
        client.close()


def delegated(key_file: Path, *scopes: str, subject: str | None = ADA) -> service_account.Credentials:
    credentials = service_account.Credentials.from_service_account_file(str(key_file), scopes=list(scopes))
    return credentials.with_subject(subject) if subject else credentials


def token_requests(server: SandboxServer) -> int:
    return int(server.stats_snapshot()["requests"].get("oauth.token", 0))


def test_service_account_with_delegation_reads_primary(
    server: SandboxServer, key_file: Path, calendar_with: Callable[[Any], Any]
) -> None:
    credentials = delegated(key_file, EVENTS_READONLY)
    body = calendar_with(credentials).list(calendarId="primary").execute()
    assert body["summary"] == ADA and [item["id"] for item in body["items"]] == ["a1"]
    assert token_requests(server) == 1
    issued = server.world.tokens.lookup(credentials.token)
    assert issued is not None and issued.subject == ADA and issued.scopes == frozenset({EVENTS_READONLY})


def test_an_unrelated_scope_is_403(key_file: Path, calendar_with: Callable[[Any], Any]) -> None:
    with pytest.raises(HttpError) as exc:
        calendar_with(delegated(key_file, MEET_READONLY)).list(calendarId="primary").execute()
    assert exc.value.status_code == 403
    assert json.loads(exc.value.content)["error"]["message"] == "Request had insufficient authentication scopes."


def test_without_delegation_primary_is_the_service_accounts_own(
    key_file: Path, calendar_with: Callable[[Any], Any]
) -> None:
    with pytest.raises(HttpError) as exc:
        calendar_with(delegated(key_file, EVENTS_READONLY, subject=None)).list(calendarId="primary").execute()
    assert exc.value.status_code == 404


def test_an_expired_token_is_refreshed(
    server: SandboxServer, key_file: Path, calendar_with: Callable[[Any], Any]
) -> None:
    credentials = delegated(key_file, EVENTS_READONLY)
    calendar = calendar_with(credentials)
    assert calendar.list(calendarId="primary").execute()["items"]
    first = credentials.token
    server.world.tokens.expire(first)
    body = calendar.list(calendarId="primary", maxResults=5).execute()  # 401, refresh, resend
    assert body["items"][0]["id"] == "a1"
    assert credentials.token != first and server.world.tokens.lookup(first) is None
    assert token_requests(server) == 2


def test_the_expire_fault_forces_refreshes(
    server: SandboxServer, key_file: Path, calendar_with: Callable[[Any], Any]
) -> None:
    credentials = delegated(key_file, EVENTS_READONLY)
    calendar = calendar_with(credentials)
    server.set_faults("calendar:expire=1")  # every Calendar call expires the token it carries
    with pytest.raises(HttpError) as exc:
        calendar.list(calendarId="primary").execute()
    assert exc.value.status_code == 401
    # The first token, then two refreshes (google-auth-httplib2's limit), each expired again.
    assert token_requests(server) == 3
    assert server.stats_snapshot()["statuses"]["calendar.events.list"] == {"401": 3}
    server.set_faults("")
    assert calendar.list(calendarId="primary").execute()["items"][0]["id"] == "a1"
    assert token_requests(server) == 4


def test_authorized_user_refresh_token(server: SandboxServer, calendar_with: Callable[[Any], Any]) -> None:
    credentials = google.oauth2.credentials.Credentials(
        token=None,
        refresh_token="1//sandbox-refresh-ada",
        client_id="client.apps.googleusercontent.com",
        client_secret="secret",
        token_uri=f"{server.url}/token",
        scopes=[EVENTS_READONLY],
    )
    assert calendar_with(credentials).list(calendarId="primary").execute()["summary"] == ADA
    unknown = google.oauth2.credentials.Credentials(
        token=None, refresh_token="1//other", client_id="c", client_secret="s", token_uri=f"{server.url}/token"
    )
    with pytest.raises(RefreshError, match="invalid_grant"):
        calendar_with(unknown).list(calendarId="primary").execute()


def jwt(**claims: Any) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def post_token(server: SandboxServer, **form: str) -> httpx.Response:
    return httpx.post(f"{server.url}/token", data=form)


def good_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": SA_EMAIL, "aud": "https://oauth2.googleapis.com/token", "iat": now, "exp": now + 3600,
              "scope": EVENTS_READONLY}  # fmt: skip
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def test_jwt_grant_answer_shape(server: SandboxServer) -> None:
    response = post_token(server, grant_type=GRANT, assertion=jwt(**good_claims(sub=ADA)))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599
    token = server.world.tokens.lookup(body["access_token"])
    assert token is not None and token.subject == ADA


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": GRANT}, "invalid_request"),
        ({"grant_type": GRANT, "assertion": "not-a-jwt"}, "invalid_grant"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(iss=None))}, "invalid_grant"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(aud="https://oauth2.googleapis.com/other"))},
         "invalid_grant"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(exp=int(time.time()) - 10))}, "invalid_grant"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(exp=int(time.time()) + 7200))}, "invalid_grant"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(scope=None))}, "invalid_scope"),
        ({"grant_type": GRANT, "assertion": jwt(**good_claims(sub="not-an-email"))}, "invalid_grant"),
        ({"grant_type": "password", "username": "a"}, "unsupported_grant_type"),
        ({}, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "client_id": "c", "client_secret": "s"}, "invalid_request"),
    ],
    ids=["no-assertion", "garbage", "no-iss", "wrong-aud", "expired", "too-long", "no-scope", "bad-sub",
         "password", "no-grant", "no-refresh-token"],
)  # fmt: skip
def test_token_endpoint_errors(server: SandboxServer, form: dict[str, str], error: str) -> None:
    response = post_token(server, **form)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error and body["error_description"]
    assert set(body) == {"error", "error_description"}


def test_refresh_grant_without_scope_gets_every_read_only_scope(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory({})  # no refresh_tokens mapping: any refresh token is accepted, without a user
    response = post_token(server, grant_type="refresh_token", client_id="c", client_secret="s", refresh_token="r")
    assert response.status_code == 200
    scopes = response.json()["scope"].split()
    assert EVENTS_READONLY in scopes and MEET_READONLY in scopes
    token = server.world.tokens.lookup(response.json()["access_token"])
    assert token is not None and token.subject is None
    scoped = post_token(
        server, grant_type="refresh_token", client_id="c", client_secret="s", refresh_token="r", scope=MEET_READONLY
    )
    assert scoped.json()["scope"] == MEET_READONLY


def test_bad_refresh_token_mapping_is_a_scenario_error() -> None:
    from mapper.sandbox import ScenarioError

    with pytest.raises(ScenarioError, match=r'^sandbox.refresh_tokens\["t"\]: must be a user\'s email address'):
        SandboxServer({"sandbox": {"refresh_tokens": {"t": "ada"}}}).close()
