"""Recall authentication, the WAF quirk and host handling, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mapper.sandbox import SandboxServer
from tests.sandbox.test_recall_world import BOT_TEAMS, KEY, download, world

INVALID = {"detail": "Invalid token."}
PROTECTED = [
    "/api/v1/bot/",
    f"/api/v1/bot/{BOT_TEAMS}/",
    "/api/v1/participant_events/",
    "/api/v1/recording/",
]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(world()) as shared:
        yield shared


@pytest.mark.parametrize(
    "header",
    [f"Token {KEY}", KEY, f"token {KEY}", f"Token   {KEY}"],
    ids=["token-prefix", "bare-key", "lowercase-keyword", "extra-spaces"],
)
def test_accepted_authorization_headers(server: SandboxServer, header: str) -> None:
    response = httpx.get(server.url + "/api/v1/bot/", headers={"Authorization": header})
    assert response.status_code == 200
    assert response.json()["count"] == 6


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token wrong-key", "Invalid token."),
        ("eu-central-1-key-of-the-same-workspace", "Invalid token."),
        (f"Bearer {KEY}", "Invalid token."),
        ("Token", "Invalid token header. No credentials provided."),
        (f"Token {KEY} extra", "Invalid token header. Token string should not contain spaces."),
    ],
    ids=["wrong-key", "other-region-key", "bearer", "keyword-only", "spaces"],
)
def test_rejected_authorization_headers(server: SandboxServer, header: str, detail: str) -> None:
    response = httpx.get(server.url + "/api/v1/bot/", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == "Token"


def test_missing_header_is_401(server: SandboxServer) -> None:
    response = httpx.get(server.url + "/api/v1/bot/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("path", PROTECTED)
def test_every_resource_needs_the_key(server: SandboxServer, path: str) -> None:
    assert httpx.get(server.url + path, headers={"Authorization": "Token nope"}).json() == INVALID
    assert httpx.get(server.url + path, headers={"Authorization": KEY}).status_code == 200


def test_downloads_need_no_header_and_ignore_one(server: SandboxServer) -> None:
    bot = httpx.get(f"{server.url}/api/v1/bot/{BOT_TEAMS}/", headers={"Authorization": KEY}).json()
    url = str(download(bot, "participants"))
    assert httpx.get(url).status_code == 200
    assert httpx.get(url, headers={"Authorization": "Token wrong"}).status_code == 200


@pytest.mark.parametrize("body", [b"null", b"{}", b'{"meeting_url": "x"}'])
def test_get_with_a_body_is_blocked_by_the_waf_with_html(server: SandboxServer, body: bytes) -> None:
    response = httpx.request("GET", server.url + "/api/v1/bot/", headers={"Authorization": KEY}, content=body)
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>403 Forbidden</h1>" in response.text
    with pytest.raises(ValueError):
        response.json()


def test_waf_runs_before_auth_and_guards_downloads(server: SandboxServer) -> None:
    assert httpx.request("GET", server.url + "/api/v1/bot/", content=b"null").status_code == 403
    bot = httpx.get(f"{server.url}/api/v1/bot/{BOT_TEAMS}/", headers={"Authorization": KEY}).json()
    response = httpx.request("GET", str(download(bot, "participants")), content=b"{}")
    assert response.status_code == 403 and "403 Forbidden" in response.text


def test_any_regional_host_works_and_links_use_it(sandbox_factory: Any) -> None:
    server = sandbox_factory(world(page_size=2))
    headers = {"Authorization": KEY, "Host": "eu-central-1.recall.ai"}
    page = httpx.get(server.url + "/api/v1/bot/", headers=headers).json()
    assert page["next"] == "http://eu-central-1.recall.ai/api/v1/bot/?page=2"
    bot = httpx.get(f"{server.url}/api/v1/bot/{BOT_TEAMS}/", headers=headers).json()
    assert str(download(bot, "participants")).startswith(
        "http://eu-central-1.recall.ai/api/v1/download/participants?token="
    )


def test_key_rotation_by_live_patch(sandbox_factory: Any) -> None:
    server = sandbox_factory(world())
    server.patch({"recall": {"api_key": "rotated-key"}})
    assert httpx.get(server.url + "/api/v1/bot/", headers={"Authorization": KEY}).json() == INVALID
    assert httpx.get(server.url + "/api/v1/bot/", headers={"Authorization": "rotated-key"}).status_code == 200
