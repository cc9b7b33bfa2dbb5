"""List Bots (page-number paging, every filter), Retrieve Bot shapes and live patches."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mapper.sandbox import SandboxServer, ScenarioError
from tests.sandbox.test_recall_world import (
    AUTH,
    BOT_GOTO_FATAL,
    BOT_MEET_EXPIRED,
    BOT_SCHEDULED,
    BOT_TEAMS,
    BOT_WEBEX_LIVE,
    BOT_ZOOM,
    NEWEST_FIRST,
    download,
    get,
    world,
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """One read-only sandbox for the module (tests that patch use ``fresh``)."""
    with SandboxServer(world(page_size=2)) as shared:
        yield shared


@pytest.fixture
def fresh(sandbox_factory: Any) -> SandboxServer:
    return sandbox_factory(world(page_size=2))  # type: ignore[no-any-return]


def ids(page: dict[str, Any]) -> list[str]:
    return [bot["id"] for bot in page["results"]]


def listed(server: SandboxServer, **params: Any) -> list[str]:
    """Every bot id List Bots returns for ``params``, following ``next`` to the end."""
    response = get(server, "/api/v1/bot/", **params)
    assert response.status_code == 200, response.text
    page = response.json()
    found = ids(page)
    while page["next"]:
        page = httpx.get(page["next"], headers=AUTH).json()
        found += ids(page)
    return found


def test_paging_follows_next_then_previous(server: SandboxServer) -> None:
    first = get(server, "/api/v1/bot/").json()
    assert first["count"] == 6 and first["previous"] is None
    assert first["next"] == f"{server.url}/api/v1/bot/?page=2"
    second = httpx.get(first["next"], headers=AUTH).json()
    third = httpx.get(second["next"], headers=AUTH).json()
    assert ids(first) + ids(second) + ids(third) == NEWEST_FIRST
    assert third["next"] is None
    assert third["previous"] == f"{server.url}/api/v1/bot/?page=2"
    assert second["previous"] == f"{server.url}/api/v1/bot/"
    assert ids(httpx.get(second["previous"], headers=AUTH).json()) == ids(first)
    assert ids(get(server, "/api/v1/bot/", page="last").json()) == ids(third)


def test_next_links_carry_the_filters_sorted(server: SandboxServer) -> None:
    page = get(server, "/api/v1/bot/", status=["done", "fatal"], metadata__team="sales").json()
    assert page["count"] == 2 and page["next"] is None
    page = get(server, "/api/v1/bot/", status=["done", "fatal"]).json()
    assert page["count"] == 3
    assert page["next"] == f"{server.url}/api/v1/bot/?page=2&status=done&status=fatal"
    assert ids(httpx.get(page["next"], headers=AUTH).json()) == [BOT_TEAMS]


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", ""])
def test_page_out_of_range_is_drf_404(server: SandboxServer, page: str) -> None:
    response = get(server, "/api/v1/bot/", page=page)
    if page == "":
        assert response.status_code == 200  # empty means page 1
        return
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_empty_list_has_one_empty_page(sandbox_factory: Any) -> None:
    server = sandbox_factory({"recall": {}})
    assert get(server, "/api/v1/bot/").json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert get(server, "/api/v1/bot/", page=2).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"join_at_after": "2025-03-11T00:00:00Z"}, [BOT_SCHEDULED, BOT_GOTO_FATAL]),
        ({"join_at_after": "2025-03-11 13:00:00"}, [BOT_SCHEDULED, BOT_GOTO_FATAL]),
        ({"join_at_before": "2025-03-12"}, [BOT_GOTO_FATAL]),
        ({"join_at_after": "2025-03-14T16:00:00+00:00", "join_at_before": "2025-03-14T16:00:00Z"}, [BOT_SCHEDULED]),
        ({"meeting_url": "https://meet.google.com/KQP-ZMTR-WVX?authuser=1"}, [BOT_SCHEDULED, BOT_MEET_EXPIRED]),
        ({"meeting_url": "https://zoom.us/j/84120933317"}, [BOT_ZOOM]),
        ({"meeting_url": "https://us02web.zoom.us/j/84120933317?pwd=other"}, [BOT_ZOOM]),
        ({"meeting_url": "https://meet.google.com/aaa-bbbb-ccc"}, []),
        ({"status": "done"}, [BOT_ZOOM, BOT_TEAMS]),
        ({"status[]": ["media_expired", "ready"]}, [BOT_SCHEDULED, BOT_MEET_EXPIRED]),
        ({"status": "in_call_recording"}, []),  # the live Webex bot's current code is an unknown one
        ({"platform": "google_meet"}, [BOT_SCHEDULED, BOT_MEET_EXPIRED]),
        ({"platform[]": ["webex", "goto_meeting"]}, [BOT_WEBEX_LIVE, BOT_GOTO_FATAL]),
        ({"metadata__team": "sales"}, [BOT_ZOOM, BOT_TEAMS]),
        ({"metadata__team": "sales", "metadata__event_id": "evt-1"}, [BOT_TEAMS]),
        ({"metadata__missing": "x"}, []),
        ({"unknown_param": "ignored", "join_at_after": ""}, NEWEST_FIRST),
    ],
    ids=[
        "after",
        "after-django-format",
        "before-date-only",
        "inclusive-range",
        "meet-url",
        "zoom-url-no-pwd",
        "zoom-url-other-pwd",
        "no-match",
        "status",
        "status-brackets-repeated",
        "status-current-only",
        "platform",
        "platform-brackets",
        "metadata",
        "metadata-all-pairs",
        "metadata-missing",
        "ignored-params",
    ],
)
def test_filters(server: SandboxServer, params: dict[str, Any], expected: list[str]) -> None:
    assert listed(server, **params) == expected


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"join_at_after": "yesterday"}, {"join_at": ["Enter a valid date/time."]}),
        ({"join_at_before": "2025-13-01T00:00:00Z"}, {"join_at": ["Enter a valid date/time."]}),
        ({"status": "sleeping"}, {"status": ["Select a valid choice. sleeping is not one of the available choices."]}),
        ({"platform": "skype"}, {"platform": ["Select a valid choice. skype is not one of the available choices."]}),
        ({"meeting_url": "not a url"}, {"meeting_url": ["Enter a valid meeting URL."]}),
    ],
    ids=["after", "before", "status", "platform", "meeting-url"],
)
def test_bad_filter_values_are_400_naming_the_field(server: SandboxServer, params: dict[str, str], body: Any) -> None:
    response = get(server, "/api/v1/bot/", **params)
    assert response.status_code == 400
    assert response.json() == body


def test_retrieve_bot_shape(server: SandboxServer) -> None:
    bot = get(server, f"/api/v1/bot/{BOT_TEAMS}/").json()
    assert bot["id"] == BOT_TEAMS and bot["bot_name"] == "Acme Notetaker"
    assert bot["meeting_url"] == {
        "platform": "microsoft_teams",
        "meeting_id": None,
        "meeting_password": None,
        "organizer_id": "5d0c7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
        "tenant_id": "9e3a1c2b-4d5e-4f60-8a7b-1c2d3e4f5a6b",
        "message_id": "0",
        "thread_id": "19:meeting_NzQ1ZDM2YjEtZmFkMy00ZjA3LWI4YjctYzE0ZTQ5N2Q4OTg2@thread.v2",
        "business_meeting_id": None,
        "business_meeting_password": None,
    }
    assert bot["join_at"] is None  # cleared once joined
    assert bot["metadata"] == {"team": "sales", "event_id": "evt-1"}
    assert [change["code"] for change in bot["status_changes"]][-1] == "done"
    assert bot["status_changes"][0] == {
        "code": "ready",
        "message": None,
        "created_at": "2025-03-09T12:00:00.000000Z",
        "sub_code": None,
    }
    assert "status" not in bot and "participants" not in bot
    (recording,) = bot["recordings"]
    assert recording["status"] == {"code": "done", "sub_code": None, "updated_at": "2025-03-10T15:41:30.000000Z"}
    assert recording["started_at"] == "2025-03-10T14:59:00.000000Z"
    assert recording["completed_at"] == "2025-03-10T15:40:01.000000Z"
    assert recording["expires_at"] == "2025-03-17T15:40:01.000000Z"  # 168 h retention
    shortcuts = recording["media_shortcuts"]
    assert set(shortcuts) == {"video_mixed", "transcript", "participant_events", "meeting_metadata", "audio_mixed"}
    artifact = shortcuts["participant_events"]
    assert set(artifact) == {"id", "created_at", "status", "metadata", "data"}
    assert artifact["status"]["code"] == "done"
    for kind in ("participants", "participant_events", "speaker_timeline"):
        url = str(download(bot, kind))
        assert url.startswith(f"{server.url}/api/v1/download/{kind}?token=")
        assert httpx.get(url).status_code == 200


@pytest.mark.parametrize(
    ("bot_id", "meeting_url"),
    [
        (BOT_ZOOM, {"platform": "zoom", "meeting_id": "84120933317", "meeting_password": "Xy12ab"}),
        (BOT_MEET_EXPIRED, {"platform": "google_meet", "meeting_id": "kqp-zmtr-wvx"}),
        (
            BOT_WEBEX_LIVE,
            {
                "platform": "webex",
                "meeting_subdomain": "acme",
                "meeting_mtid": "m4b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
                "meeting_path": "j.php",
            },
        ),
        (BOT_GOTO_FATAL, {"platform": "goto_meeting", "meeting_id": "680504437"}),
    ],
    ids=["zoom", "google_meet", "webex", "goto_meeting"],
)
def test_meeting_url_is_an_object(server: SandboxServer, bot_id: str, meeting_url: dict[str, Any]) -> None:
    assert get(server, f"/api/v1/bot/{bot_id}/").json()["meeting_url"] == meeting_url


def test_scheduled_and_failed_bots_keep_join_at_and_have_no_recording(server: SandboxServer) -> None:
    scheduled = get(server, f"/api/v1/bot/{BOT_SCHEDULED}/").json()
    assert scheduled["join_at"] == "2025-03-14T16:00:00Z" and scheduled["recordings"] == []
    fatal = get(server, f"/api/v1/bot/{BOT_GOTO_FATAL}").json()  # no trailing slash works too
    assert fatal["join_at"] == "2025-03-11T13:00:00Z" and fatal["recordings"] == []
    assert fatal["status_changes"][-1]["sub_code"] == "meeting_not_found"


def test_recording_still_processing_has_null_urls(server: SandboxServer) -> None:
    bot = get(server, f"/api/v1/bot/{BOT_WEBEX_LIVE}/").json()
    artifact = bot["recordings"][0]["media_shortcuts"]["participant_events"]
    assert bot["recordings"][0]["status"]["code"] == "processing"
    assert bot["recordings"][0]["completed_at"] is None and bot["recordings"][0]["expires_at"] is None
    assert artifact["status"]["code"] == "processing"
    assert artifact["data"] == {
        "participant_events_download_url": None,
        "speaker_timeline_download_url": None,
        "participants_download_url": None,
    }


def test_media_expired_bot(server: SandboxServer) -> None:
    bot = get(server, f"/api/v1/bot/{BOT_MEET_EXPIRED}/").json()
    assert bot["status_changes"][-1]["code"] == "media_expired"
    recording = bot["recordings"][0]
    deleted = {"code": "deleted", "sub_code": None, "updated_at": "2025-03-08T11:00:00.000000Z"}
    assert recording["status"] == deleted
    assert recording["media_shortcuts"]["participant_events"]["status"] == deleted
    assert set(recording["media_shortcuts"]["participant_events"]["data"].values()) == {None}
    assert bot["metadata"] == {"team": "eng"}  # custom metadata survives


@pytest.mark.parametrize(
    "path",
    ["/api/v1/bot/7a1e0c7e-0000-4000-8000-000000000000/", "/api/v1/bot/not-a-uuid/", "/api/v1/bot/123"],
)
def test_unknown_or_malformed_bot_id_is_404(server: SandboxServer, path: str) -> None:
    response = httpx.get(server.url + path, headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_live_patch_adds_updates_and_deletes_bots(fresh: SandboxServer) -> None:
    new_bot = {
        "id": "7b2f9d40-1111-4222-8333-944455556666",
        "meeting_url": "https://teams.live.com/meet/9387654321234?p=AbCdEf",
        "join_at": "2025-03-20T10:00:00Z",
        "status_changes": [{"code": "ready", "created_at": "2025-03-12T08:00:00Z"}],
    }
    fresh.patch({"recall": {"bots": [new_bot]}})
    assert listed(fresh)[0] == new_bot["id"]
    assert get(fresh, f"/api/v1/bot/{new_bot['id']}/").json()["meeting_url"] == {
        "platform": "microsoft_teams_live",
        "meeting_id": "9387654321234",
        "meeting_password": "AbCdEf",
        "organizer_id": None,
        "tenant_id": None,
        "message_id": None,
        "thread_id": None,
        "business_meeting_id": None,
        "business_meeting_password": None,
    }
    fresh.patch({"recall": {"delete_bots": [BOT_SCHEDULED, BOT_GOTO_FATAL]}})
    assert len(listed(fresh)) == 5
    assert get(fresh, f"/api/v1/bot/{BOT_SCHEDULED}/").status_code == 404


def test_patch_to_media_expired_kills_old_download_urls(fresh: SandboxServer) -> None:
    bot = get(fresh, f"/api/v1/bot/{BOT_ZOOM}/").json()
    url = str(download(bot, "participant_events"))
    assert len(httpx.get(url).json()) == 3
    updated = copy.deepcopy(world()["recall"]["bots"][1])
    for key in ("participants", "participant_events", "speaker_timeline"):
        del updated[key]
    updated["status_changes"].append({"code": "media_expired", "created_at": "2025-03-18T09:46:00Z"})
    fresh.patch({"recall": {"bots": [updated]}})
    after = get(fresh, f"/api/v1/bot/{BOT_ZOOM}/").json()
    assert after["recordings"][0]["id"] == bot["recordings"][0]["id"]
    assert download(after, "participant_events") is None
    gone = httpx.get(url)
    assert gone.status_code == 404 and gone.json() == {"detail": "Not found."}
    assert listed(fresh, status="media_expired") == [BOT_ZOOM, BOT_MEET_EXPIRED]


def test_patch_without_children_keeps_downloads(fresh: SandboxServer) -> None:
    updated = copy.deepcopy(world()["recall"]["bots"][0])
    for key in ("participants", "participant_events", "speaker_timeline"):
        del updated[key]
    updated["metadata"] = {"team": "sales", "event_id": "evt-1", "reviewed": "yes"}
    fresh.patch({"recall": {"bots": [updated]}})
    bot = get(fresh, f"/api/v1/bot/{BOT_TEAMS}/").json()
    assert bot["metadata"]["reviewed"] == "yes"
    assert len(httpx.get(str(download(bot, "participants"))).json()) == 6
    replaced = {**updated, "participants": [{"id": 7, "name": "Only One"}]}
    fresh.patch({"recall": {"bots": [replaced]}})
    bot = get(fresh, f"/api/v1/bot/{BOT_TEAMS}/").json()
    assert httpx.get(str(download(bot, "participants"))).json() == [
        {"id": 7, "name": "Only One", "is_host": None, "platform": None, "extra_data": None}
    ]


def test_invalid_patch_changes_nothing(fresh: SandboxServer) -> None:
    good = {"id": "8c3a0e51-2222-4333-8444-a55566667777", "meeting_url": "https://meet.google.com/abc-defg-hij"}
    bad = {"id": BOT_TEAMS, "meeting_url": "https://meet.google.com/abc-defg-hij", "participants": [{"id": "x"}]}
    with pytest.raises(ScenarioError, match=r"^patch\.recall\.bots\[1\]\.participants: the bot has no recording"):
        fresh.patch({"recall": {"bots": [good, bad]}})
    with pytest.raises(ScenarioError, match=r"^patch\.recall\.delete_bots\[0\]: no bot with id nope"):
        fresh.patch({"recall": {"delete_bots": ["nope"]}})
    assert len(listed(fresh)) == 6


def test_patch_over_http(fresh: SandboxServer) -> None:
    response = httpx.post(fresh.url + "/_sandbox/patch", json={"recall": {"page_size": 4}})
    assert response.status_code == 200
    assert len(get(fresh, "/api/v1/bot/").json()["results"]) == 4
    response = httpx.post(fresh.url + "/_sandbox/patch", json={"recall": {"bogus": 1}})
    assert response.status_code == 400
    assert response.json()["error"].startswith("patch.recall.bogus: unknown key")
