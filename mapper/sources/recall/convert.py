"""Recall.ai JSON → mapper's own objects: bots, participants, participant events.

One converter per API object, each raising :class:`DataError` with the path of the offending value.
Unknown fields and unknown status / action codes are tolerated (Recall treats them as open sets);
a wrong type in a field mapper relies on is a ``DataError``.  Download URLs are kept on the
objects (they are needed to fetch the artifacts) but never written into messages: they carry a token.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mapper.errors import DataError
from mapper.sources.links import MeetingRef, from_recall

#: Status codes after which the bot is no longer in the call and its data will not change,
#: except for artifact processing (see :attr:`Bot.participant_data`).
FINISHED = frozenset({"done", "analysis_done", "analysis_failed", "media_expired"})
#: The bot never got anything to collect.
FAILED = frozenset({"fatal"})
#: Codes that mean "the bot is in the call" (the first one is when the call started for the bot).
IN_CALL = frozenset(
    {"in_call_not_recording", "recording_permission_allowed", "recording_permission_denied", "in_call_recording"}
)


@dataclass(frozen=True)
class StatusChange:
    code: str
    created_at: datetime | None
    sub_code: str | None = None


@dataclass(frozen=True)
class Artifact:
    """A recording's participant-events artifact (media_shortcuts.participant_events)."""

    id: str | None
    status: str | None  # processing | done | failed | deleted | (unknown codes kept)
    participants_url: str | None = field(default=None, repr=False)
    participant_events_url: str | None = field(default=None, repr=False)
    speaker_timeline_url: str | None = field(default=None, repr=False)
    recording_id: str | None = None


@dataclass(frozen=True)
class Recording:
    id: str | None
    status: str | None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    participant_events: Artifact | None = None  # None: not in media_shortcuts (ask the list endpoint)


@dataclass(frozen=True)
class Bot:
    id: str
    bot_name: str | None = None
    meeting: MeetingRef | None = None
    meeting_platform: str | None = None  # meeting_url.platform as Recall wrote it
    join_at: datetime | None = None  # cleared by Recall once the bot has joined
    status_changes: tuple[StatusChange, ...] = ()
    recordings: tuple[Recording, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str | None:
        """The current status: the last ``status_changes`` entry (there is no top-level field)."""
        return self.status_changes[-1].code if self.status_changes else None

    def _first(self, codes: frozenset[str]) -> datetime | None:
        return next((c.created_at for c in self.status_changes if c.code in codes and c.created_at), None)

    @property
    def call_start(self) -> datetime | None:
        """When the bot got into the call (else when its first recording started)."""
        starts = [r.started_at for r in self.recordings if r.started_at]
        return self._first(IN_CALL) or (min(starts) if starts else None)

    @property
    def call_end(self) -> datetime | None:
        """When the call ended for the bot (else when its last recording completed)."""
        ends = [r.completed_at for r in self.recordings if r.completed_at]
        return self._first(frozenset({"call_ended"})) or (max(ends) if ends else None)

    @property
    def recording_started_at(self) -> datetime | None:
        """The origin of ``timestamp.relative`` (the first ``in_call_recording``)."""
        return self._first(frozenset({"in_call_recording"}))

    @property
    def participant_data(self) -> str:
        """What can be downloaded now: ``ready`` | ``processing`` | ``expired`` | ``unavailable``
        (failed / deleted / never recorded) | ``unknown`` (some artifact is not in media_shortcuts)."""
        if self.status == "media_expired":
            return "expired"
        artifacts = [r.participant_events for r in self.recordings]
        if not artifacts:
            return "unavailable"
        if any(a is None for a in artifacts):
            return "unknown"
        return artifacts_state([a for a in artifacts if a is not None])

    def digest(self) -> str:
        """Changes when anything that decides what mapper stores changes (not the volatile
        download URLs, not ``join_at``, which Recall clears, nor ``meeting_url``, which it may clear)."""
        data = [
            self.id,
            [[c.code, c.sub_code, _iso(c.created_at)] for c in self.status_changes],
            [
                [
                    r.id,
                    r.status,
                    _iso(r.started_at),
                    _iso(r.completed_at),
                    None if r.participant_events is None else [r.participant_events.id, r.participant_events.status],
                ]
                for r in self.recordings
            ],
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]


def artifacts_state(artifacts: list[Artifact]) -> str:
    """``processing`` while any artifact is on its way, else ``ready`` when at least one can be
    downloaded, else ``unavailable`` (every artifact failed or was deleted)."""
    states = {_artifact_state(artifact) for artifact in artifacts}
    if "processing" in states:
        return "processing"
    return "ready" if "ready" in states else "unavailable"


def _artifact_state(artifact: Artifact) -> str:
    if artifact.status in {"failed", "deleted"}:
        return "unavailable"
    if artifact.status == "processing" or not (artifact.participants_url or artifact.participant_events_url):
        return "processing"
    return "ready"  # done, or an unknown code that came with URLs


@dataclass(frozen=True)
class RecallParticipant:
    id: str  # the in-meeting id (an integer in Recall's JSON), unique only within one bot
    name: str | None = None
    is_host: bool | None = None
    platform: str | None = None  # desktop | dial-in | unknown | ...
    email: str | None = None  # only through Recall's calendar integration; may be wrong
    extra_data: Mapping[str, Any] | None = None  # kept verbatim
    stable_id: str | None = None  # zoom:{conf_user_id} | teams:{user_id} | meet:{static_participant_id}
    kind: str = "anonymous"  # signed_in | phone | anonymous


@dataclass(frozen=True)
class ParticipantEvent:
    id: str | None
    action: str  # join | leave | update | speech_on | ... (unknown actions kept)
    participant: RecallParticipant
    at: datetime | None  # timestamp.absolute
    relative: float | None = None  # seconds since in_call_recording


# -- helpers --------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DataError(f"must be an object, got {_kind(value)}", path=path)
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _text(item: Mapping[str, Any], key: str, path: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DataError(f"must be a string, got {_kind(value)}", path=f"{path}.{key}")
    return value


def _flag(item: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = item.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise DataError(f"must be true, false or null, got {_kind(value)}", path=f"{path}.{key}")


def parse_time(value: Any, path: str) -> datetime | None:
    """An ISO 8601 timestamp with an offset (``Z``), as aware UTC; None stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise DataError(f"must be an ISO 8601 string, got {_kind(value)}", path=path)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise DataError(f"is not ISO 8601: {value[:40]!r}", path=path) from None
    if moment.tzinfo is None:
        raise DataError(f"has no offset: {value[:40]!r}", path=path)
    return moment.astimezone(UTC)


def _list(item: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataError(f"must be an array, got {_kind(value)}", path=f"{path}.{key}")
    return value


def _ident(value: Any, path: str, *, required: bool) -> str | None:
    """An id written as a string or an integer (never a boolean)."""
    if value is None or value == "":
        if required:
            raise DataError("is required", path=path)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DataError(f"must be a string or an integer, got {_kind(value)}", path=path)
    return str(value)


# -- converters ----------------------------------------------------------------------------------


def status_change_from_api(item: Any, path: str = "status_change") -> StatusChange:
    item = _obj(item, path)
    code = _text(item, "code", path)
    if not code:
        raise DataError("is required", path=f"{path}.code")
    sub_code = item.get("sub_code")
    return StatusChange(
        code=code,
        created_at=parse_time(item.get("created_at"), f"{path}.created_at"),
        sub_code=sub_code if isinstance(sub_code, str) else None,
    )


def artifact_from_api(item: Any, path: str = "participant_events", recording_id: str | None = None) -> Artifact:
    """A participant-events artifact, from media_shortcuts or from List Participant Events."""
    item = _obj(item, path)
    status = item.get("status")
    code = _text(_obj(status, f"{path}.status"), "code", f"{path}.status") if status is not None else None
    data = item.get("data")
    urls: dict[str, str | None] = {}
    if data is not None:
        data = _obj(data, f"{path}.data")
        for key in ("participants_download_url", "participant_events_download_url", "speaker_timeline_download_url"):
            urls[key] = _text(data, key, f"{path}.data") or None
    recording = item.get("recording")
    if recording_id is None and isinstance(recording, Mapping):
        recording_id = _ident(recording.get("id"), f"{path}.recording.id", required=False)
    if recording_id is None:  # some guide examples show a flat recording_id
        recording_id = _ident(item.get("recording_id"), f"{path}.recording_id", required=False)
    return Artifact(
        id=_ident(item.get("id"), f"{path}.id", required=False),
        status=code,
        participants_url=urls.get("participants_download_url"),
        participant_events_url=urls.get("participant_events_download_url"),
        speaker_timeline_url=urls.get("speaker_timeline_download_url"),
        recording_id=recording_id,
    )


def recording_from_api(item: Any, path: str = "recording") -> Recording:
    item = _obj(item, path)
    recording_id = _ident(item.get("id"), f"{path}.id", required=False)
    status = item.get("status")
    code = _text(_obj(status, f"{path}.status"), "code", f"{path}.status") if status is not None else None
    shortcuts = item.get("media_shortcuts")
    artifact = None
    if shortcuts is not None:
        shortcuts = _obj(shortcuts, f"{path}.media_shortcuts")
        raw = shortcuts.get("participant_events")
        if raw is not None:
            artifact = artifact_from_api(raw, f"{path}.media_shortcuts.participant_events", recording_id)
    return Recording(
        id=recording_id,
        status=code,
        started_at=parse_time(item.get("started_at"), f"{path}.started_at"),
        completed_at=parse_time(item.get("completed_at"), f"{path}.completed_at"),
        participant_events=artifact,
    )


def bot_from_api(item: Any, path: str = "bot") -> Bot:
    item = _obj(item, path)
    bot_id = _ident(item.get("id"), f"{path}.id", required=True)
    assert bot_id is not None
    meeting_url = _scalars(item.get("meeting_url"))
    platform = meeting_url.get("platform") if isinstance(meeting_url, Mapping) else None
    metadata = item.get("metadata")
    return Bot(
        id=bot_id,
        bot_name=_text(item, "bot_name", path),
        meeting=from_recall(meeting_url),
        meeting_platform=platform if isinstance(platform, str) else None,
        join_at=parse_time(item.get("join_at"), f"{path}.join_at"),
        status_changes=tuple(
            status_change_from_api(change, f"{path}.status_changes[{index}]")
            for index, change in enumerate(_list(item, "status_changes", path))
        ),
        recordings=tuple(
            recording_from_api(recording, f"{path}.recordings[{index}]")
            for index, recording in enumerate(_list(item, "recordings", path))
        ),
        metadata=dict(metadata) if isinstance(metadata, Mapping) else {},
    )


def _scalars(meeting_url: Any) -> Any:
    """``meeting_url`` with only string / integer fields (what :func:`from_recall` can read safely)."""
    if not isinstance(meeting_url, Mapping):
        return meeting_url if isinstance(meeting_url, str) else None
    return {
        key: value
        for key, value in meeting_url.items()
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    }


def _platform_id(extra: Mapping[str, Any] | None) -> tuple[str | None, bool]:
    """(prefixed stable id, the platform says the user is signed in).  Zoom's ``user_guid`` changes
    per meeting and is never used."""
    if not extra:
        return None, False
    for key, field_name, prefix in (
        ("zoom", "conf_user_id", "zoom"),
        ("microsoft_teams", "user_id", "teams"),
        ("google_meet", "static_participant_id", "meet"),
    ):
        section = extra.get(key)
        if not isinstance(section, Mapping):
            continue
        value = section.get(field_name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return f"{prefix}:{str(value).strip()}", True
        if key == "zoom" and section.get("guest") is False:
            return None, True
    return None, False


def participant_from_api(item: Any, path: str = "participant") -> RecallParticipant:
    item = _obj(item, path)
    extra = item.get("extra_data")
    if extra is not None:
        extra = _obj(extra, f"{path}.extra_data")
    platform = _text(item, "platform", path)
    email = _text(item, "email", path)
    stable_id, signed_in = _platform_id(extra)
    if platform == "dial-in":
        kind = "phone"
    elif signed_in:
        kind = "signed_in"
    else:
        kind = "anonymous"
    participant_id = _ident(item.get("id"), f"{path}.id", required=True)
    assert participant_id is not None
    return RecallParticipant(
        id=participant_id,
        name=_text(item, "name", path),
        is_host=_flag(item, "is_host", path),
        platform=platform,
        email=email.strip().lower() if email and "@" in email else None,
        extra_data=dict(extra) if extra is not None else None,
        stable_id=stable_id,
        kind=kind,
    )


def event_from_api(item: Any, path: str = "participant_event") -> ParticipantEvent:
    item = _obj(item, path)
    action = _text(item, "action", path)
    if not action:
        raise DataError("is required", path=f"{path}.action")
    timestamp = item.get("timestamp")
    at: datetime | None = None
    relative: float | None = None
    if timestamp is not None:
        timestamp = _obj(timestamp, f"{path}.timestamp")
        at = parse_time(timestamp.get("absolute"), f"{path}.timestamp.absolute")
        raw = timestamp.get("relative")
        if raw is not None:
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:  # NaN
                raise DataError(f"must be a number, got {_kind(raw)}", path=f"{path}.timestamp.relative")
            relative = float(raw)
    return ParticipantEvent(
        id=_ident(item.get("id"), f"{path}.id", required=False),
        action=action,
        participant=participant_from_api(item.get("participant"), f"{path}.participant"),
        at=at,
        relative=relative,
    )


__all__ = [
    "FAILED",
    "FINISHED",
    "IN_CALL",
    "Artifact",
    "Bot",
    "ParticipantEvent",
    "RecallParticipant",
    "Recording",
    "StatusChange",
    "artifact_from_api",
    "artifacts_state",
    "bot_from_api",
    "event_from_api",
    "parse_time",
    "participant_from_api",
    "recording_from_api",
    "status_change_from_api",
]
