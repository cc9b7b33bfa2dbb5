"""Turn state into response JSON (Retrieve Bot, Retrieve Recording, participant-events artifacts).

Shapes follow Recall's OpenAPI (``Bot``, ``BotRecordingEmbed``, ``RecordingShortcuts``,
``ParticipantEventsArtifactShortcut``) and shared/reference/recall-api.md §3–4:

- ``meeting_url`` is an object; ``join_at`` is null once the bot has joined;
- ``media_shortcuts`` always carries its five keys (null when not captured);
- download URLs point back at the sandbox host the client used and are null unless the artifact's
  ``status.code`` is ``done``; after media expiry every artifact reads ``deleted`` with null URLs
  (other shortcuts given in the scenario get the same treatment), custom metadata survives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from mapper.sandbox.recall import tokens
from mapper.sandbox.recall.state import Artifact, Bot, Recording, fmt

DOWNLOADS = {
    "participant_events_download_url": "participant_events",
    "speaker_timeline_download_url": "speaker_timeline",
    "participants_download_url": "participants",
}


@dataclass(frozen=True)
class View:
    """What a response depends on besides the state: the host the client used and the time."""

    base_url: str
    now: datetime
    expiry_by_clock: bool

    def expiry(self, bot: Bot) -> datetime | None:
        return bot.expiry(self.now, self.expiry_by_clock)


def bot_json(bot: Bot, view: View) -> dict[str, Any]:
    out: dict[str, Any] = {"id": bot.id, "meeting_url": dict(bot.meeting_url), "bot_name": bot.fields.get("bot_name")}
    out["join_at"] = None if bot.has_joined else bot.join_at
    out.update((key, value) for key, value in bot.fields.items() if key not in out)
    expired = view.expiry(bot)
    changes = list(bot.status_changes)
    if expired is not None and bot.current_status != "media_expired":
        changes.append({"code": "media_expired", "message": None, "created_at": fmt(expired), "sub_code": None})
    out["status_changes"] = changes
    out["recordings"] = [recording_embed(bot, rec, view) for rec in bot.recordings]
    return out


def recording_embed(bot: Bot, rec: Recording, view: View) -> dict[str, Any]:
    """A recording inside Retrieve Bot (``BotRecordingEmbed``)."""
    out = dict(rec.fields)
    expired = view.expiry(bot)
    if expired is not None:
        out["status"] = _deleted(expired)
    shortcuts = {key: _expire_shortcut(value, expired) for key, value in rec.shortcuts.items()}
    shortcuts["participant_events"] = artifact_shortcut(bot, rec.artifact, view) if rec.artifact else None
    out["media_shortcuts"] = shortcuts
    return out


def recording_json(bot: Bot, rec: Recording, view: View) -> dict[str, Any]:
    """Retrieve Recording: the embed plus ``realtime_endpoints`` and ``bot{id, metadata}``."""
    out = recording_embed(bot, rec, view)
    out.setdefault("realtime_endpoints", [])
    out["bot"] = {"id": bot.id, "metadata": dict(bot.metadata)}
    return out


def artifact_shortcut(bot: Bot, artifact: Artifact, view: View) -> dict[str, Any]:
    out = dict(artifact.fields)
    status = artifact_status(bot, artifact, view)
    out["status"] = status
    done = status.get("code") == "done"
    token = quote(tokens.sign(artifact.id, artifact.created_at), safe="")
    out["data"] = {
        key: f"{view.base_url}/api/v1/download/{kind}?token={token}" if done else None
        for key, kind in DOWNLOADS.items()
    }
    return out


def artifact_json(bot: Bot, rec: Recording, artifact: Artifact, view: View) -> dict[str, Any]:
    """A List / Retrieve Participant Events item: the shortcut plus ``recording{id, metadata}``."""
    out = artifact_shortcut(bot, artifact, view)
    metadata = rec.fields.get("metadata")
    out["recording"] = {"id": rec.id, "metadata": dict(metadata) if isinstance(metadata, dict) else {}}
    return out


def artifact_status(bot: Bot, artifact: Artifact, view: View) -> dict[str, Any]:
    expired = view.expiry(bot)
    if expired is not None:
        return _deleted(expired)
    status = artifact.fields.get("status")
    return dict(status) if isinstance(status, dict) else {}


def _deleted(moment: datetime) -> dict[str, Any]:
    return {"code": "deleted", "sub_code": None, "updated_at": fmt(moment)}


def _expire_shortcut(value: Any, expired: datetime | None) -> Any:
    if expired is None or not isinstance(value, dict):
        return value
    out = dict(value)
    out["status"] = _deleted(expired)
    data = out.get("data")
    if isinstance(data, dict):
        out["data"] = {key: (None if key.endswith("_url") else item) for key, item in data.items()}
    return out


__all__ = ["DOWNLOADS", "View", "artifact_json", "artifact_shortcut", "artifact_status", "bot_json", "recording_json"]
