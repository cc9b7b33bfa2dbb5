"""A generated world served by the emulators, read back over HTTP the way mapper's clients read it:
calendars expand to exactly the truth's meetings, Meet records are found by code and time window,
People / Directory name the colleagues, Recall serves every bot and its participants."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from typing import Any

import httpx
import pytest

from mapper.clock import utc
from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from mapper.sandbox.generate import generate

GOOGLE = {"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}


@cache
def world() -> tuple[dict[str, Any], dict[str, Any]]:
    return generate(30, 7, 21, 0.4)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    sandbox = SandboxServer(world()[0]).start()
    yield sandbox
    sandbox.close()


def pages(client: httpx.Client, url: str, key: str, params: dict[str, Any], token: str = "pageToken") -> list[Any]:
    items: list[Any] = []
    while True:
        response = client.get(url, params=params, headers=GOOGLE)
        response.raise_for_status()
        body = response.json()
        items += body.get(key, [])
        if not body.get("nextPageToken"):
            return items
        params = {**params, token: body["nextPageToken"]}


def test_each_calendar_expands_to_the_truths_meetings(server: SandboxServer) -> None:
    scenario, truth = world()
    period = truth["organisation"]["period"]
    with httpx.Client(base_url=server.url) as client:
        for owner in scenario["calendars"]:
            params = {
                "singleEvents": "true",
                "showDeleted": "true",
                "timeMin": period["start"],
                "timeMax": period["end"],
            }
            items = pages(client, f"/calendar/v3/calendars/{owner}/events", "items", params)
            served = {
                (item["iCalUID"], utc(item.get("originalStartTime", item["start"])["dateTime"]).isoformat())
                for item in items
                if item["status"] != "cancelled"
            }
            expected = {
                tuple(key.split("|"))
                for key, meeting in truth["meetings"].items()
                if owner in meeting["invitees"] and meeting["status"] == "confirmed"
            }
            assert served == expected, owner


def test_meet_records_are_found_by_code_and_time_window(server: SandboxServer) -> None:
    scenario, truth = world()
    codes = {space["name"]: space["meetingCode"] for space in scenario["meet"]["spaces"]}
    by_name = {record["name"]: record for record in scenario["meet"]["conferenceRecords"]}
    checked = 0
    with httpx.Client(base_url=server.url) as client:
        for meeting in truth["meetings"].values():
            if not meeting.get("conference_records"):
                continue
            code = codes[by_name[meeting["conference_records"][0]]["space"]]
            low = (utc(meeting["start"]) - timedelta(minutes=15)).isoformat().replace("+00:00", "Z")
            query = f'space.meeting_code = "{code}" AND start_time >= "{low}" AND start_time <= "{meeting["end"]}"'
            records = pages(client, "/v2/conferenceRecords", "conferenceRecords", {"filter": query})
            assert sorted(r["name"] for r in records) == sorted(meeting["conference_records"])
            checked += 1
            if meeting.get("code_reused_by"):
                everything = pages(
                    client, "/v2/conferenceRecords", "conferenceRecords", {"filter": f'space.meeting_code = "{code}"'}
                )
                assert meeting["code_reused_by"] in {r["name"] for r in everything}
    assert checked > 10


def test_participants_are_served_with_their_sessions(server: SandboxServer) -> None:
    scenario, truth = world()
    record = max(scenario["meet"]["conferenceRecords"], key=lambda r: len(r["participants"]))
    with httpx.Client(base_url=server.url) as client:
        served = pages(client, f"/v2/{record['name']}/participants", "participants", {"pageSize": 3})
        assert {p["name"] for p in served} == {p["name"] for p in record["participants"]}
        for participant in served:
            sessions = pages(client, f"/v2/{participant['name']}/participantSessions", "participantSessions", {})
            assert len(sessions) >= 1
            assert participant["name"] in truth["participants"]


def test_people_and_directory_name_the_signed_in_colleagues(server: SandboxServer) -> None:
    scenario, truth = world()
    invisible = set(truth["organisation"]["invisible_in_people"])
    names = [p["resourceName"] for p in scenario["people"]]
    with httpx.Client(base_url=server.url) as client:
        response = client.get(
            "/v1/people:batchGet",
            params={"resourceNames": names, "personFields": "names,emailAddresses"},
            headers=GOOGLE,
        )
        response.raise_for_status()
        for item in response.json()["responses"]:
            person = item["person"]
            if "emailAddresses" not in person:
                user_id = person["resourceName"].removeprefix("people/")
                user = client.get(f"/admin/directory/v1/users/{user_id}", headers=GOOGLE)
                assert user.status_code == 200
                assert user.json()["primaryEmail"] in invisible


def test_recall_serves_every_bot_and_its_participants(server: SandboxServer) -> None:
    scenario, truth = world()
    auth = {"Authorization": scenario["recall"]["api_key"]}
    with httpx.Client(base_url=server.url) as client:
        listed: list[dict[str, Any]] = []
        url: str | None = "/api/v1/bot/"
        while url:
            body = client.get(url, headers=auth).raise_for_status().json()
            listed += body["results"]
            url = body["next"]
        assert {bot["id"] for bot in listed} == {bot["id"] for bot in scenario["recall"]["bots"]}
        bot = max(scenario["recall"]["bots"], key=lambda b: len(b.get("participants", [])))
        served = client.get(f"/api/v1/bot/{bot['id']}/", headers=auth).raise_for_status().json()
        artifact = served["recordings"][0]["media_shortcuts"]["participant_events"]
        people = client.get(artifact["data"]["participants_download_url"]).raise_for_status().json()
        assert [p["name"] for p in people] == [p["name"] for p in bot["participants"]]
        events = client.get(artifact["data"]["participant_events_download_url"]).raise_for_status().json()
        assert len(events) == len(bot["participant_events"])
        assert all(isinstance(e["participant"].get("name"), str) for e in events)
        for person in people:
            assert f"recall:{bot['id']}:{person['id']}" in truth["participants"]
