"""Meeting URL string → Recall ``meeting_url`` object, and the identity the List Bots filter uses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.sandbox.recall.urls import MeetingUrlError, complete, identity, parse_meeting_url
from tests.sandbox.test_recall_world import TEAMS_URL

TEAMS_EMPTY = dict.fromkeys(
    (
        "meeting_id",
        "meeting_password",
        "organizer_id",
        "tenant_id",
        "message_id",
        "thread_id",
        "business_meeting_id",
        "business_meeting_password",
    )
)
THREAD = "19:meeting_NzQ1ZDM2YjEtZmFkMy00ZjA3LWI4YjctYzE0ZTQ5N2Q4OTg2@thread.v2"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://meet.google.com/abc-defg-hij", {"platform": "google_meet", "meeting_id": "abc-defg-hij"}),
        (
            "https://meet.google.com/ABC-DEFG-HIJ?authuser=1&hs=179",
            {"platform": "google_meet", "meeting_id": "abc-defg-hij"},
        ),
        (
            "https://us02web.zoom.us/j/84120933317?pwd=Xy12ab",
            {"platform": "zoom", "meeting_id": "84120933317", "meeting_password": "Xy12ab"},
        ),
        ("https://zoom.us/j/912345678", {"platform": "zoom", "meeting_id": "912345678", "meeting_password": None}),
        (
            "https://acme.zoom.us/wc/join/84120933317?pwd=q",
            {"platform": "zoom", "meeting_id": "84120933317", "meeting_password": "q"},
        ),
        (
            "https://zoomgov.com/s/1612345678",
            {"platform": "zoom", "meeting_id": "1612345678", "meeting_password": None},
        ),
        (
            TEAMS_URL,
            {
                **TEAMS_EMPTY,
                "platform": "microsoft_teams",
                "organizer_id": "5d0c7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
                "tenant_id": "9e3a1c2b-4d5e-4f60-8a7b-1c2d3e4f5a6b",
                "message_id": "0",
                "thread_id": THREAD,
            },
        ),
        (
            TEAMS_URL.replace("19%3a", "19%253a").replace("%40thread", "%2540thread"),
            {
                **TEAMS_EMPTY,
                "platform": "microsoft_teams",
                "organizer_id": "5d0c7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
                "tenant_id": "9e3a1c2b-4d5e-4f60-8a7b-1c2d3e4f5a6b",
                "message_id": "0",
                "thread_id": THREAD,
            },
        ),
        (
            "https://teams.microsoft.com/meet/2345678901234?p=AbCdEf",
            {
                **TEAMS_EMPTY,
                "platform": "microsoft_teams",
                "business_meeting_id": "2345678901234",
                "business_meeting_password": "AbCdEf",
            },
        ),
        (
            "https://teams.live.com/meet/9387654321234?p=Zz9",
            {
                **TEAMS_EMPTY,
                "platform": "microsoft_teams_live",
                "meeting_id": "9387654321234",
                "meeting_password": "Zz9",
            },
        ),
        (
            "https://acme.webex.com/acme/j.php?MTID=m4b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
            {
                "platform": "webex",
                "meeting_subdomain": "acme",
                "meeting_mtid": "m4b2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
                "meeting_path": "j.php",
            },
        ),
        (
            "https://acme.webex.com/meet/jdoe",
            {"platform": "webex", "meeting_subdomain": "acme", "meeting_mtid": None, "meeting_path": "meet/jdoe"},
        ),
        ("https://global.gotomeeting.com/join/680504437", {"platform": "goto_meeting", "meeting_id": "680504437"}),
        ("https://meet.goto.com/680504437", {"platform": "goto_meeting", "meeting_id": "680504437"}),
        ("https://app.gotomeeting.com/?meetingId=680504437", {"platform": "goto_meeting", "meeting_id": "680504437"}),
    ],
    ids=[
        "meet",
        "meet-upper-query",
        "zoom-pwd",
        "zoom-no-pwd",
        "zoom-web-client",
        "zoomgov",
        "teams-business",
        "teams-double-encoded",
        "teams-business-short",
        "teams-live",
        "webex-mtid",
        "webex-personal-room",
        "goto-join",
        "goto-meet",
        "goto-query",
    ],
)
def test_parse_meeting_url(url: str, expected: dict[str, Any]) -> None:
    assert parse_meeting_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "ftp://meet.google.com/abc-defg-hij",
        "https://meet.google.com/lookup/abcdef",
        "https://zoom.us/my/vanity.name",
        "https://teams.microsoft.com/l/channel/19%3aabc",
        "https://www.webex.com/",
        "https://gotomeet.me/alice",
        "https://example.com/abc-defg-hij",
    ],
)
def test_unsupported_urls_raise(url: str) -> None:
    with pytest.raises(MeetingUrlError):
        parse_meeting_url(url)


def test_identity_ignores_passwords_and_case() -> None:
    with_pwd = parse_meeting_url("https://us02web.zoom.us/j/84120933317?pwd=Xy12ab")
    assert identity(with_pwd) == identity(parse_meeting_url("https://zoom.us/j/84120933317"))
    assert identity({"platform": "google_meet", "meeting_id": "KQP-ZMTR-WVX"}) == identity(
        parse_meeting_url("https://meet.google.com/kqp-zmtr-wvx")
    )
    encoded = {
        "platform": "microsoft_teams",
        "thread_id": "19%3ameeting_NzQ1ZDM2YjEtZmFkMy00ZjA3LWI4YjctYzE0ZTQ5N2Q4OTg2%40thread.v2",
        "message_id": "0",
    }
    assert identity(encoded) == identity(parse_meeting_url(TEAMS_URL))
    assert identity(parse_meeting_url("https://zoom.us/j/912345678")) != identity(with_pwd)
    assert identity({"meeting_id": "1"}) is None


def test_complete_fills_platform_keys() -> None:
    assert complete({"platform": "microsoft_teams", "thread_id": THREAD}) == {
        **TEAMS_EMPTY,
        "platform": "microsoft_teams",
        "thread_id": THREAD,
    }
    assert complete({"platform": "google_meet", "meeting_id": "abc-defg-hij", "extra": 1}) == {
        "platform": "google_meet",
        "meeting_id": "abc-defg-hij",
        "extra": 1,
    }


@given(st.from_regex(r"[a-z]{3}-[a-z]{4}-[a-z]{3}", fullmatch=True), st.booleans())
def test_meet_codes_round_trip(code: str, upper: bool) -> None:
    url = f"https://meet.google.com/{code.upper() if upper else code}?pli=1"
    parsed = parse_meeting_url(url)
    assert parsed == {"platform": "google_meet", "meeting_id": code}
    assert identity(parsed) == identity({"platform": "google_meet", "meeting_id": code.upper()})


@given(st.integers(min_value=10**8, max_value=10**11 - 1), st.text("abcXYZ019", min_size=1, max_size=12))
def test_zoom_ids_round_trip(meeting_id: int, password: str) -> None:
    parsed = parse_meeting_url(f"https://us06web.zoom.us/j/{meeting_id}?pwd={password}")
    assert parsed == {"platform": "zoom", "meeting_id": str(meeting_id), "meeting_password": password}
