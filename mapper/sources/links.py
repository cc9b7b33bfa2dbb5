"""Which online meeting an event or a bot is about: a normalised (platform, meeting id).

Pure functions over API JSON and URLs.  The same identity comes out of a Calendar event
(``conferenceData`` / ``hangoutLink`` / entry points / location / description) and out of a Recall
bot's ``meeting_url`` object, which is how bots are linked to events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class MeetingRef:
    platform: str  # google_meet | zoom | microsoft_teams | microsoft_teams_live | webex | goto_meeting
    meeting_id: str  # Meet code, Zoom/GoTo number, Teams thread id, "subdomain:mtid" for Webex


_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_MEET_CODE = re.compile(r"^[a-z]{3}-[a-z]{4}-[a-z]{3}$")


def from_url(url: str) -> MeetingRef | None:
    """The meeting a join URL points at, or None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path
    if host == "meet.google.com":
        code = path.strip("/").split("/")[0].lower()
        return MeetingRef("google_meet", code) if _MEET_CODE.match(code) else None
    if host == "zoom.us" or host.endswith((".zoom.us", ".zoomgov.com")) or host == "zoomgov.com":
        match = re.search(r"/(?:j|w|s|wc(?:/join)?)/(\d{9,12})", path)
        if match:
            return MeetingRef("zoom", match.group(1))
        match = re.search(r"/wc/(\d{9,12})/join", path)
        return MeetingRef("zoom", match.group(1)) if match else None
    if host == "teams.microsoft.com" or host.endswith(".teams.microsoft.com"):
        match = re.search(r"/l/meetup-join/([^/]+)", path)
        if match:
            thread = unquote(unquote(match.group(1)))
            return MeetingRef("microsoft_teams", thread) if thread.startswith("19:") else None
        return None
    if host == "teams.live.com":
        match = re.search(r"/meet/(\d+)", path)
        return MeetingRef("microsoft_teams_live", match.group(1)) if match else None
    if host.endswith(".webex.com"):
        subdomain = host.split(".")[0]
        mtid = parse_qs(parts.query).get("MTID") or parse_qs(parts.query).get("mtid")
        if mtid:
            return MeetingRef("webex", f"{subdomain}:{mtid[0]}")
        match = re.search(r"/meet/([\w.-]+)", path)
        return MeetingRef("webex", f"{subdomain}:meet/{match.group(1).lower()}") if match else None
    if host.endswith(("gotomeeting.com", "goto.com", "gotomeet.me")):
        match = re.search(r"/(\d{9,10})(?:$|[/?])", path + "/")
        return MeetingRef("goto_meeting", match.group(1)) if match else None
    return None


def from_text(text: str | None) -> MeetingRef | None:
    """The first meeting link found in free text (a location or an HTML description)."""
    if not text:
        return None
    for match in _URL.finditer(text.replace("&amp;", "&")):
        ref = from_url(match.group(0).rstrip(".,;"))
        if ref is not None:
            return ref
    return None


def from_event(event: Mapping[str, Any]) -> MeetingRef | None:
    """A Calendar v3 Event's meeting: conferenceData, then hangoutLink, then location, then description."""
    data = event.get("conferenceData")
    if isinstance(data, Mapping):
        solution = data.get("conferenceSolution")
        key = solution.get("key") if isinstance(solution, Mapping) else None
        kind = key.get("type") if isinstance(key, Mapping) else None
        conference_id = data.get("conferenceId")
        if kind == "hangoutsMeet" and isinstance(conference_id, str) and _MEET_CODE.match(conference_id.lower()):
            return MeetingRef("google_meet", conference_id.lower())
        for uri in _entry_point_uris(data.get("entryPoints")):
            ref = from_url(uri)
            if ref is not None:
                return ref
    link = event.get("hangoutLink")
    if isinstance(link, str):
        ref = from_url(link)
        if ref is not None:
            return ref
    for field in ("location", "description"):
        value = event.get(field)
        ref = from_text(value) if isinstance(value, str) else None
        if ref is not None:
            return ref
    return None


def _entry_point_uris(entry_points: Any) -> Iterable[str]:
    if not isinstance(entry_points, list):
        return []
    ordered = sorted(
        (point for point in entry_points if isinstance(point, Mapping) and isinstance(point.get("uri"), str)),
        key=lambda point: point.get("entryPointType") != "video",
    )
    return [str(point["uri"]) for point in ordered]


def from_recall(meeting_url: Any) -> MeetingRef | None:
    """A Recall bot's ``meeting_url`` (an object in responses; a URL string is accepted too)."""
    if isinstance(meeting_url, str):
        return from_url(meeting_url)
    if not isinstance(meeting_url, Mapping):
        return None
    platform = meeting_url.get("platform")
    if not isinstance(platform, str):
        return None
    if platform == "google_meet" and isinstance(meeting_url.get("meeting_id"), str):
        return MeetingRef("google_meet", str(meeting_url["meeting_id"]).lower())
    if platform in {"zoom", "goto_meeting", "microsoft_teams_live"} and meeting_url.get("meeting_id"):
        return MeetingRef(str(platform), str(meeting_url["meeting_id"]))
    if platform == "microsoft_teams" and isinstance(meeting_url.get("thread_id"), str):
        return MeetingRef("microsoft_teams", unquote(str(meeting_url["thread_id"])))
    if platform == "webex" and meeting_url.get("meeting_subdomain"):
        subdomain = str(meeting_url["meeting_subdomain"]).lower()
        if meeting_url.get("meeting_mtid"):
            return MeetingRef("webex", f"{subdomain}:{meeting_url['meeting_mtid']}")
        if meeting_url.get("meeting_path"):
            return MeetingRef("webex", f"{subdomain}:{str(meeting_url['meeting_path']).lower()}")
    return None


__all__ = ["MeetingRef", "from_event", "from_recall", "from_text", "from_url"]
