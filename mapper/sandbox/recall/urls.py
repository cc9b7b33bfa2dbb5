"""Meeting URL string ↔ Recall's ``meeting_url`` response object (pure, stdlib only).

Recall accepts ``meeting_url`` as a string on Create Bot but answers with an object whose fields
depend on the platform (docs.recall.ai "Meeting URLs"; shared/reference/recall-api.md §3):

- ``google_meet``: ``meeting_id`` is the ``abc-defg-hij`` code;
- ``zoom``: ``meeting_id`` (digits) and ``meeting_password`` (the ``pwd`` query value, or null);
- ``microsoft_teams``: business ``teams.microsoft.com/l/meetup-join/…`` links fill ``organizer_id``
  and ``tenant_id`` (from the ``context`` JSON's ``Oid`` / ``Tid``), ``message_id`` and ``thread_id``;
  the newer ``teams.microsoft.com/meet/<id>?p=<passcode>`` links fill ``business_meeting_id`` and
  ``business_meeting_password`` (UNCERTAIN); every other Teams field is null;
- ``microsoft_teams_live``: personal ``teams.live.com/meet/<id>?p=<passcode>`` links fill
  ``meeting_id`` and ``meeting_password``;
- ``webex``: ``meeting_subdomain``, ``meeting_mtid`` (``MTID`` query value) and ``meeting_path``
  (the path below the site name, e.g. ``j.php``; exact rule UNCERTAIN);
- ``goto_meeting``: ``meeting_id`` (digits).

:func:`identity` reduces either form to the key Recall's ``meeting_url`` list filter compares.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

MEET_CODE = re.compile(r"[a-z]{3}-[a-z]{4}-[a-z]{3}")
_ZOOM_PATH = re.compile(r"/(?:j|s|w|wc/join|wc)/(\d{9,12})(?:/|$)")
_GOTO_ID = re.compile(r"(?:^|/)(\d{9,10})(?:/|$)")

TEAMS_KEYS = (
    "meeting_id",
    "meeting_password",
    "organizer_id",
    "tenant_id",
    "message_id",
    "thread_id",
    "business_meeting_id",
    "business_meeting_password",
)
PLATFORMS = (
    "zoom",
    "google_meet",
    "goto_meeting",
    "microsoft_teams",
    "microsoft_teams_live",
    "webex",
    "chime_sdk",
    "zoom_rtms",
    "google_meet_media_api",
    "slack_authenticator",
    "slack_huddle_observer",
)


class MeetingUrlError(ValueError):
    """The string is not a meeting URL Recall understands."""


def parse_meeting_url(url: str) -> dict[str, Any]:
    """The ``meeting_url`` object Recall returns for a bot created with ``url``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise MeetingUrlError(f"not a URL: {url!r}") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise MeetingUrlError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower()
    query = parse_qs(parts.query)
    path = unquote(parts.path)
    for matches, convert in _PARSERS:
        if matches(host):
            result = convert(host, path, query, parts.path)
            if result is None:
                raise MeetingUrlError(f"unrecognised {host} meeting link: {url!r}")
            return result
    raise MeetingUrlError(f"unsupported meeting platform: {url!r}")


def complete(meeting_url: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario-given object with the platform's always-present keys filled with null."""
    out = dict(meeting_url)
    platform = out.get("platform")
    keys: tuple[str, ...] = ()
    if platform in {"microsoft_teams", "microsoft_teams_live"}:
        keys = TEAMS_KEYS
    elif platform == "zoom":
        keys = ("meeting_id", "meeting_password")
    elif platform == "webex":
        keys = ("meeting_subdomain", "meeting_mtid", "meeting_path")
    for key in keys:
        out.setdefault(key, None)
    return out


def identity(meeting_url: Mapping[str, Any]) -> tuple[str, ...] | None:
    """What makes two ``meeting_url`` objects the same meeting (passwords are ignored)."""
    platform = meeting_url.get("platform")
    if not isinstance(platform, str):
        return None

    def field(name: str, *, fold: bool = False) -> str:
        value = meeting_url.get(name)
        text = "" if value is None else str(value)
        return text.lower() if fold else text

    if platform == "google_meet":
        return (platform, field("meeting_id", fold=True))
    if platform in {"microsoft_teams", "microsoft_teams_live"}:
        if meeting_url.get("thread_id"):
            return (platform, "thread", unquote(field("thread_id")), field("message_id"))
        if meeting_url.get("business_meeting_id"):
            return (platform, "business", field("business_meeting_id"))
        return (platform, "id", field("meeting_id"))
    if platform == "webex":
        return (
            platform,
            field("meeting_subdomain", fold=True),
            field("meeting_mtid"),
            "" if meeting_url.get("meeting_mtid") else field("meeting_path", fold=True),
        )
    return (platform, field("meeting_id"))


# -- per-platform converters ---------------------------------------------------------------


def _google_meet(host: str, path: str, query: Mapping[str, list[str]], raw_path: str) -> dict[str, Any] | None:
    code = path.strip("/").split("/")[0].lower()
    return {"platform": "google_meet", "meeting_id": code} if MEET_CODE.fullmatch(code) else None


def _zoom(host: str, path: str, query: Mapping[str, list[str]], raw_path: str) -> dict[str, Any] | None:
    match = _ZOOM_PATH.search(path)
    if match is None:
        return None
    password = query.get("pwd")
    return {"platform": "zoom", "meeting_id": match.group(1), "meeting_password": password[0] if password else None}


def _teams(host: str, path: str, query: Mapping[str, list[str]], raw_path: str) -> dict[str, Any] | None:
    platform = "microsoft_teams_live" if host == "teams.live.com" else "microsoft_teams"
    out: dict[str, Any] = {"platform": platform, **dict.fromkeys(TEAMS_KEYS)}
    passcode = query.get("p")
    short = re.fullmatch(r"/meet/(\d+)/?", path)
    if short:
        if platform == "microsoft_teams_live":
            out.update(meeting_id=short.group(1), meeting_password=passcode[0] if passcode else None)
        else:
            out.update(business_meeting_id=short.group(1), business_meeting_password=passcode[0] if passcode else None)
        return out
    segments = [_unquote_fully(segment) for segment in raw_path.split("/")]
    try:
        start = segments.index("meetup-join")
    except ValueError:
        return None
    rest = [segment for segment in segments[start + 1 :] if segment]
    if not rest or not rest[0].startswith("19:"):
        return None
    out["thread_id"] = rest[0]
    out["message_id"] = rest[1] if len(rest) > 1 else None
    context = _teams_context(query.get("context"))
    out["tenant_id"] = context.get("Tid")
    out["organizer_id"] = context.get("Oid")
    return out


def _unquote_fully(segment: str) -> str:
    """Teams links are sometimes percent-encoded twice (``19%253ameeting_…``)."""
    for _ in range(3):
        decoded = unquote(segment)
        if decoded == segment:
            break
        segment = decoded
    return segment


def _teams_context(values: list[str] | None) -> dict[str, Any]:
    if not values:
        return {}
    try:
        data = json.loads(values[0])
    except ValueError:
        return {}
    return {key: str(value) for key, value in data.items() if value is not None} if isinstance(data, dict) else {}


def _webex(host: str, path: str, query: Mapping[str, list[str]], raw_path: str) -> dict[str, Any] | None:
    subdomain = host.split(".")[0]
    if subdomain in {"webex", "www"}:
        return None
    mtid = query.get("MTID") or query.get("mtid")
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0].lower() == subdomain:
        segments = segments[1:]
    if not segments and not mtid:
        return None
    return {
        "platform": "webex",
        "meeting_subdomain": subdomain,
        "meeting_mtid": mtid[0] if mtid else None,
        "meeting_path": "/".join(segments),
    }


def _goto(host: str, path: str, query: Mapping[str, list[str]], raw_path: str) -> dict[str, Any] | None:
    meeting = query.get("meetingId")
    if meeting and meeting[0].isdigit():
        return {"platform": "goto_meeting", "meeting_id": meeting[0]}
    match = _GOTO_ID.search(path)
    return {"platform": "goto_meeting", "meeting_id": match.group(1)} if match else None


def _is_zoom(host: str) -> bool:
    return host in {"zoom.us", "zoomgov.com"} or host.endswith((".zoom.us", ".zoomgov.com"))


_PARSERS = (
    (lambda host: host == "meet.google.com", _google_meet),
    (_is_zoom, _zoom),
    (lambda host: host in {"teams.microsoft.com", "teams.live.com"} or host.endswith(".teams.microsoft.com"), _teams),
    (lambda host: host.endswith(".webex.com"), _webex),
    (lambda host: host.endswith(("gotomeeting.com", "goto.com", "gotomeet.me")), _goto),
)


__all__ = ["MEET_CODE", "PLATFORMS", "TEAMS_KEYS", "MeetingUrlError", "complete", "identity", "parse_meeting_url"]
