"""Calendar authentication and scopes: 401 without a valid token, 403 for a token lacking every
accepted scope, ``primary`` as the token subject's calendar, and calendarList.list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from tests.support.discovery import assert_response_valid

ADA = "ada@corp.example"
OMAR = "omar@corp.example"
AUTH = "https://www.googleapis.com/auth/"
EVENTS_READONLY = AUTH + "calendar.events.readonly"
SCENARIO = {
    "calendars": {
        ADA: {"events": [{"id": "a1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]},
        OMAR: {"events": []},
    }
}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(SCENARIO) as running:
        yield running


@pytest.fixture
def client(server: SandboxServer) -> Iterator[Any]:
    """``client(token)`` → a Calendar client with that bearer token (closed after the test)."""
    built: list[Any] = []

    def make(token: str) -> Any:
        built.append(
            build(
                "calendar", "v3", credentials=Credentials(token=token),
                client_options={"api_endpoint": server.url + "/calendar/v3/"}, static_discovery=True,
                cache_discovery=False,
            )
        )  # fmt: skip
        return built[-1]

    yield make
    for item in built:
        item.close()


def issue(server: SandboxServer, subject: str | None, *scopes: str) -> str:
    return server.world.tokens.issue(subject, scopes).value


def test_missing_or_unknown_token_is_401(server: SandboxServer) -> None:
    url = f"{server.url}/calendar/v3/calendars/{ADA}/events"
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == 401 and error["status"] == "UNAUTHENTICATED"
        assert error["errors"][0]["reason"] == "authError" and error["errors"][0]["location"] == "Authorization"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_token_is_401(server: SandboxServer, client: Any) -> None:
    token = issue(server, ADA, EVENTS_READONLY)
    assert client(token).events().list(calendarId="primary").execute()["items"][0]["id"] == "a1"
    server.world.tokens.expire(token)
    response = httpx.get(
        f"{server.url}/calendar/v3/calendars/primary/events", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401  # (google-auth would try to refresh; see test_oauth)


def test_a_token_without_a_calendar_scope_is_403(server: SandboxServer, client: Any) -> None:
    token = issue(server, ADA, AUTH + "meetings.space.readonly")
    for call in (
        client(token).events().list(calendarId=ADA),
        client(token).events().get(calendarId=ADA, eventId="a1"),
        client(token).events().instances(calendarId=ADA, eventId="a1"),
    ):
        with pytest.raises(HttpError) as exc:
            call.execute()
        assert exc.value.status_code == 403
        error = json.loads(exc.value.content)["error"]
        assert error["status"] == "PERMISSION_DENIED"
        assert error["errors"][0]["reason"] == "insufficientPermissions"
        assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_primary_is_the_subjects_calendar(server: SandboxServer, client: Any) -> None:
    ada = client(issue(server, ADA, EVENTS_READONLY)).events()
    own = ada.list(calendarId="primary").execute()
    assert own["summary"] == ADA and own["accessRole"] == "owner" and [i["id"] for i in own["items"]] == ["a1"]
    assert ada.get(calendarId="primary", eventId="a1").execute()["id"] == "a1"
    other = ada.list(calendarId=OMAR).execute()
    assert other["accessRole"] == "reader"
    nobody = client(issue(server, "carol@corp.example", EVENTS_READONLY)).events()
    with pytest.raises(HttpError) as exc:
        nobody.list(calendarId="primary").execute()
    assert exc.value.status_code == 404


def test_calendar_list_needs_its_own_scope(server: SandboxServer, client: Any) -> None:
    with pytest.raises(HttpError) as exc:
        client(issue(server, ADA, EVENTS_READONLY)).calendarList().list().execute()
    assert exc.value.status_code == 403
    own = client(issue(server, ADA, AUTH + "calendar.readonly")).calendarList().list().execute()
    assert_response_valid("calendar", "calendar.calendarList.list", own)
    assert [(item["id"], item.get("primary")) for item in own["items"]] == [(ADA, True)]
    every = client(STATIC_GOOGLE_TOKEN).calendarList()
    first = every.list(maxResults=1).execute()
    second = every.list(maxResults=1, pageToken=first["nextPageToken"]).execute()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [ADA, OMAR]
    assert "nextPageToken" not in second
