"""Meeting links (Meet, Zoom, Teams) and how a Calendar event carries them.

Meet links live in ``conferenceData`` (solution ``hangoutsMeet``) and ``hangoutLink``.  An
internally organised Zoom meeting comes from the Zoom add-on (``conferenceData`` solution
``addOn``); meetings organised outside (Outlook, Zoom's own invites) carry their link only in
``location`` and the HTML ``description``.  Recall's ``meeting_url`` object for each link is built
here too, field for field as Recall fills it in.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.plan import Link

ZOOM_HOSTS = ("us02web.zoom.us", "us04web.zoom.us", "us06web.zoom.us", "zoom.us")


def meet_link(ids: Ids, key: object) -> Link:
    code = ids.meet_code("meet", key)
    return Link("google_meet", code, f"https://meet.google.com/{code}")


def zoom_link(ids: Ids, key: object, host: str) -> Link:
    number = "8" + ids.digits("zoom-meeting", key, length=10)
    password = ids.token("zoom-pwd", key, length=32)
    passcode = ids.digits("zoom-passcode", key, length=6)
    return Link("zoom", number, f"https://{host}/j/{number}?pwd={password}", password=password, passcode=passcode)


def teams_link(ids: Ids, key: object, tenant_id: str, organizer_oid: str) -> Link:
    thread = f"19:meeting_{ids.token('teams-thread', key, length=48)}@thread.v2"
    context = json.dumps({"Tid": tenant_id, "Oid": organizer_oid}, separators=(",", ":"))
    url = f"https://teams.microsoft.com/l/meetup-join/{_escape(thread)}/0?context={_escape(context)}"
    return Link("microsoft_teams", thread, url, tenant_id=tenant_id, organizer_oid=organizer_oid)


def _escape(text: str) -> str:
    """Percent-encode everything but letters and digits, with lower-case escapes (as Teams does)."""
    return re.sub(r"%[0-9A-F]{2}", lambda match: match.group(0).lower(), quote(text, safe=""))


def meet_conference(link: Link) -> dict[str, Any]:
    """``conferenceData`` of a Meet event (the video entry point only: the dial-in entry points
    and ``iconUri`` are left out to keep big scenarios small)."""
    return {
        "entryPoints": [{"entryPointType": "video", "uri": link.url, "label": link.url.removeprefix("https://")}],
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        "conferenceId": link.meeting_id,
    }


def zoom_conference(link: Link) -> dict[str, Any]:
    """``conferenceData`` the Zoom add-on writes."""
    return {
        "entryPoints": [
            {
                "entryPointType": "video",
                "uri": link.url,
                "label": link.url.removeprefix("https://").split("?")[0],
                "meetingCode": link.meeting_id,
                "passcode": link.passcode,
            }
        ],
        "conferenceSolution": {"key": {"type": "addOn"}, "name": "Zoom Meeting"},
        "conferenceId": link.meeting_id,
    }


def invitation_text(link: Link, organizer_name: str) -> tuple[str, str]:
    """(``location``, HTML ``description``) of an invitation written outside Google Calendar."""
    if link.platform == "microsoft_teams":
        description = (
            "<p>________________________________________________________________________________</p>"
            "<p><b>Microsoft Teams meeting</b></p><p>Join on your computer, mobile app or room device</p>"
            f'<p><a href="{link.url}">Click here to join the meeting</a></p>'
            "<p>________________________________________________________________________________</p>"
        )
        return "Microsoft Teams Meeting", description
    description = (
        f"<p>{organizer_name} is inviting you to a scheduled Zoom meeting.</p>"
        f'<p>Join Zoom Meeting<br><a href="{link.url}">{link.url}</a></p>'
        f"<p>Meeting ID: {link.meeting_id[:3]} {link.meeting_id[3:7]} {link.meeting_id[7:]}<br>"
        f"Passcode: {link.passcode}</p>"
    )
    return link.url, description


def recall_meeting_url(link: Link) -> dict[str, Any]:
    """The ``meeting_url`` object Recall returns for a bot sent to ``link``."""
    if link.platform == "google_meet":
        return {"platform": "google_meet", "meeting_id": link.meeting_id}
    if link.platform == "zoom":
        return {"platform": "zoom", "meeting_id": link.meeting_id, "meeting_password": link.password}
    return {
        "platform": "microsoft_teams",
        "meeting_id": None,
        "meeting_password": None,
        "organizer_id": link.organizer_oid,
        "tenant_id": link.tenant_id,
        "message_id": "0",
        "thread_id": link.meeting_id,
        "business_meeting_id": None,
        "business_meeting_password": None,
    }


__all__ = [
    "invitation_text",
    "meet_conference",
    "meet_link",
    "recall_meeting_url",
    "teams_link",
    "zoom_conference",
    "zoom_link",
]
