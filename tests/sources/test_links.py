"""Which online meeting an event or a bot is about."""

from __future__ import annotations

from typing import Any

import pytest

from mapper.sources.links import MeetingRef, from_event, from_recall, from_text, from_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://meet.google.com/kqp-zmtr-wvx", MeetingRef("google_meet", "kqp-zmtr-wvx"), id="meet"),
        pytest.param(
            "https://meet.google.com/KQP-ZMTR-WVX?authuser=1",
            MeetingRef("google_meet", "kqp-zmtr-wvx"),
            id="meet-upper-query",
        ),
        pytest.param("https://meet.google.com/landing", None, id="meet-not-a-code"),
        pytest.param("https://us02web.zoom.us/j/84120933317?pwd=Xy12ab", MeetingRef("zoom", "84120933317"), id="zoom"),
        pytest.param("https://zoom.us/w/84120933317", MeetingRef("zoom", "84120933317"), id="zoom-webinar"),
        pytest.param(
            "https://acme.zoom.us/wc/join/84120933317", MeetingRef("zoom", "84120933317"), id="zoom-web-client"
        ),
        pytest.param(
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ5MjE%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d",
            MeetingRef("microsoft_teams", "19:meeting_NzQ5MjE@thread.v2"),
            id="teams",
        ),
        pytest.param(
            "https://teams.live.com/meet/9487829146851",
            MeetingRef("microsoft_teams_live", "9487829146851"),
            id="teams-live",
        ),
        pytest.param(
            "https://acme.webex.com/acme/j.php?MTID=m4b2c9", MeetingRef("webex", "acme:m4b2c9"), id="webex-mtid"
        ),
        pytest.param("https://acme.webex.com/meet/JDoe", MeetingRef("webex", "acme:meet/jdoe"), id="webex-room"),
        pytest.param(
            "https://global.gotomeeting.com/join/680504437", MeetingRef("goto_meeting", "680504437"), id="goto"
        ),
        pytest.param("https://example.com/j/84120933317", None, id="unrelated-host"),
        pytest.param("not a url", None, id="garbage"),
    ],
)
def test_from_url(url: str, expected: MeetingRef | None) -> None:
    assert from_url(url) == expected


def test_from_text_finds_a_link_in_html() -> None:
    text = 'Join: <a href="https://us02web.zoom.us/j/84120933317?pwd=a&amp;b=1">Zoom</a>. Dial +1 555'
    assert from_text(text) == MeetingRef("zoom", "84120933317")
    assert from_text("Room 4, 2nd floor") is None


MEET_EVENT: dict[str, Any] = {
    "hangoutLink": "https://meet.google.com/aaa-bbbb-ccc",
    "conferenceData": {
        "conferenceId": "kqp-zmtr-wvx",
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        "entryPoints": [{"entryPointType": "video", "uri": "https://meet.google.com/kqp-zmtr-wvx"}],
    },
}


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(MEET_EVENT, MeetingRef("google_meet", "kqp-zmtr-wvx"), id="conference-data-wins"),
        pytest.param(
            {"hangoutLink": "https://meet.google.com/aaa-bbbb-ccc"},
            MeetingRef("google_meet", "aaa-bbbb-ccc"),
            id="hangout-link",
        ),
        pytest.param(
            {
                "conferenceData": {
                    "conferenceSolution": {"key": {"type": "addOn"}, "name": "Zoom Meeting"},
                    "conferenceId": "84120933317",
                    "entryPoints": [
                        {"entryPointType": "phone", "uri": "tel:+1555"},
                        {"entryPointType": "video", "uri": "https://zoom.us/j/84120933317"},
                    ],
                }
            },
            MeetingRef("zoom", "84120933317"),
            id="zoom-add-on-entry-points",
        ),
        pytest.param(
            {"location": "https://acme.webex.com/acme/j.php?MTID=m77"}, MeetingRef("webex", "acme:m77"), id="location"
        ),
        pytest.param(
            {
                "location": "Boardroom",
                "description": "Teams: https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0",
            },
            MeetingRef("microsoft_teams", "19:meeting_abc@thread.v2"),
            id="description",
        ),
        pytest.param({"summary": "Lunch"}, None, id="no-meeting"),
        pytest.param({"conferenceData": "broken", "hangoutLink": 7}, None, id="malformed"),
    ],
)
def test_from_event(event: dict[str, Any], expected: MeetingRef | None) -> None:
    assert from_event(event) == expected


@pytest.mark.parametrize(
    ("meeting_url", "expected"),
    [
        pytest.param(
            {"platform": "google_meet", "meeting_id": "kqp-zmtr-wvx"},
            MeetingRef("google_meet", "kqp-zmtr-wvx"),
            id="meet",
        ),
        pytest.param(
            {"platform": "zoom", "meeting_id": "84120933317", "meeting_password": "x"},
            MeetingRef("zoom", "84120933317"),
            id="zoom",
        ),
        pytest.param(
            {"platform": "microsoft_teams", "meeting_id": None, "thread_id": "19:meeting_abc@thread.v2"},
            MeetingRef("microsoft_teams", "19:meeting_abc@thread.v2"),
            id="teams",
        ),
        pytest.param(
            {"platform": "webex", "meeting_subdomain": "acme", "meeting_mtid": "m4b2", "meeting_path": "j.php"},
            MeetingRef("webex", "acme:m4b2"),
            id="webex",
        ),
        pytest.param("https://meet.google.com/kqp-zmtr-wvx", MeetingRef("google_meet", "kqp-zmtr-wvx"), id="string"),
        pytest.param({"platform": "slack_huddles"}, None, id="unknown-platform"),
        pytest.param({"platform": ["zoom"], "meeting_id": "1"}, None, id="platform-not-a-string"),
        pytest.param(None, None, id="cleared"),
    ],
)
def test_from_recall(meeting_url: Any, expected: MeetingRef | None) -> None:
    assert from_recall(meeting_url) == expected


def test_event_and_bot_identities_agree() -> None:
    url = "https://us02web.zoom.us/j/84120933317?pwd=abc"
    assert from_event({"location": url}) == from_recall({"platform": "zoom", "meeting_id": "84120933317"})
