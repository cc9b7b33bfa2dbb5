"""The Recall emulator's state: bots, their recordings and each recording's participant-events artifact.

Everything here is plain data plus the few rules Recall applies when it serves that data:

- there is no top-level bot status; the current one is the last ``status_changes`` entry
  (reference §3), and codes are an open set;
- ``join_at`` is cleared once the bot has joined the call (Bot schema: "Once a bot has joined a
  call, it's join_at will be cleared");
- once media has expired (bot status ``media_expired``; or, with the sandbox key
  ``media_expiry_by_clock``, a recording's ``expires_at`` has passed) every artifact reads
  ``deleted`` and its download URLs are null (reference §4, retention guide).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mapper.clock import utc

#: Namespace for every id the sandbox generates (uuid5), so generated ids are stable across runs.
NAMESPACE = uuid.UUID("6f1d7c2e-4b0a-5d8e-9c3f-2a7b1e0d4c95")

DEFAULT_API_KEY = "sandbox-recall-key"
DEFAULT_PAGE_SIZE = 10

#: Status codes after which the bot is inside the call (its ``join_at`` is then cleared).
JOINED_CODES = frozenset(
    {
        "in_call_not_recording",
        "recording_permission_allowed",
        "recording_permission_denied",
        "in_call_recording",
        "recording_done",
        "call_ended",
        "done",
        "media_expired",
        "analysis_done",
        "analysis_failed",
    }
)
#: Status codes the List Bots ``status`` filter accepts (published enum; data may hold others).
STATUS_FILTER_CODES = (
    "ready",
    "joining_call",
    "in_waiting_room",
    "in_call_not_recording",
    "recording_permission_allowed",
    "recording_permission_denied",
    "in_call_recording",
    "recording_done",
    "call_ended",
    "done",
    "fatal",
    "media_expired",
    "analysis_done",
    "analysis_failed",
)
ARTIFACT_CODES = ("processing", "done", "failed", "deleted")
RECORDING_CODES = ("processing", "paused", "done", "failed", "deleted")
ACTIONS = frozenset(
    {
        "join",
        "leave",
        "update",
        "speech_on",
        "speech_off",
        "webcam_on",
        "webcam_off",
        "screenshare_on",
        "screenshare_off",
        "chat_message",
    }
)


def make_id(*parts: object) -> str:
    """A deterministic UUID string for a generated resource."""
    return str(uuid.uuid5(NAMESPACE, "|".join(str(part) for part in parts)))


def fmt(moment: datetime) -> str:
    """A timestamp the way Recall writes it: UTC with microseconds, ``2025-07-17T00:00:09.730066Z``."""
    return utc(moment.isoformat()).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Artifact:
    """A recording's ``participant_events`` artifact and the three JSON downloads behind it."""

    id: str
    fields: dict[str, Any]  # id, created_at, status, metadata and any unknown keys (``data`` is ours)
    participants: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    speaker_timeline: list[dict[str, Any]] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return utc(str(self.fields["created_at"]))


@dataclass
class Recording:
    id: str
    fields: dict[str, Any]  # the recording object as served, minus ``media_shortcuts``
    shortcuts: dict[str, Any]  # media_shortcuts other than participant_events, verbatim
    artifact: Artifact | None

    @property
    def created_at(self) -> datetime:
        return utc(str(self.fields["created_at"]))

    def expires_at(self) -> datetime | None:
        value = self.fields.get("expires_at")
        return utc(value) if isinstance(value, str) else None


@dataclass
class Bot:
    id: str
    fields: dict[str, Any]  # the bot as served, minus meeting_url / join_at / recordings
    meeting_url: dict[str, Any]
    join_at: Any  # the scenario's value (served until the bot joins)
    sort_time: datetime  # scheduled join time, else first status change (newest first in List Bots)
    recordings: list[Recording]

    @property
    def status_changes(self) -> list[dict[str, Any]]:
        changes = self.fields.get("status_changes")
        return changes if isinstance(changes, list) else []

    @property
    def current_status(self) -> str | None:
        changes = self.status_changes
        return str(changes[-1].get("code")) if changes else None

    @property
    def has_joined(self) -> bool:
        return any(change.get("code") in JOINED_CODES for change in self.status_changes)

    @property
    def metadata(self) -> dict[str, Any]:
        value = self.fields.get("metadata")
        return value if isinstance(value, dict) else {}

    def expiry(self, now: datetime, by_clock: bool) -> datetime | None:
        """When this bot's media expired, or None while it is still available."""
        if self.current_status == "media_expired":
            return utc(str(self.status_changes[-1]["created_at"]))
        if by_clock:
            moments = [moment for rec in self.recordings if (moment := rec.expires_at()) is not None]
            passed = [moment for moment in moments if moment <= now]
            if passed:
                return min(passed)
        return None


@dataclass
class RecallState:
    api_key: str = DEFAULT_API_KEY
    page_size: int = DEFAULT_PAGE_SIZE
    media_expiry_by_clock: bool = False
    bots: dict[str, Bot] = field(default_factory=dict)

    def recordings(self) -> Iterator[tuple[Bot, Recording]]:
        for bot in self.bots.values():
            for recording in bot.recordings:
                yield bot, recording

    def find_recording(self, recording_id: str) -> tuple[Bot, Recording] | None:
        return next(((bot, rec) for bot, rec in self.recordings() if rec.id == recording_id), None)

    def find_artifact(self, artifact_id: str) -> tuple[Bot, Recording, Artifact] | None:
        for bot, rec in self.recordings():
            if rec.artifact is not None and rec.artifact.id == artifact_id:
                return bot, rec, rec.artifact
        return None

    def metadata_matches(self, bot: Bot, wanted: Mapping[str, str]) -> bool:
        metadata = bot.metadata
        return all(key in metadata and _text(metadata[key]) == value for key, value in wanted.items())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


__all__ = [
    "ACTIONS",
    "ARTIFACT_CODES",
    "DEFAULT_API_KEY",
    "DEFAULT_PAGE_SIZE",
    "JOINED_CODES",
    "NAMESPACE",
    "RECORDING_CODES",
    "STATUS_FILTER_CODES",
    "Artifact",
    "Bot",
    "RecallState",
    "Recording",
    "fmt",
    "make_id",
]
