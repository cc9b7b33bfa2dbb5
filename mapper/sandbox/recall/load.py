"""Validate the scenario's ``recall`` section and build :class:`RecallState` from it.

Bots are written as Retrieve Bot returns them (shared/reference/sandbox-scenario.md) with three
scenario-only child lists (``participants``, ``participant_events``, ``speaker_timeline``) that
become the downloads of the bot's first recording.  What the scenario leaves out is derived the
way Recall would fill it in: ids (deterministic uuid5), ``meeting_url`` objects from URL strings,
one recording for a bot that recorded (its times from the status changes; ``expires_at`` from
``recording_config.retention``, default 168 hours), and the recording's ``participant_events``
artifact.  A recording may also carry the three child lists itself (for bots that recorded twice).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from mapper.clock import utc
from mapper.sandbox.recall import children
from mapper.sandbox.recall.state import (
    ARTIFACT_CODES,
    DEFAULT_API_KEY,
    DEFAULT_PAGE_SIZE,
    RECORDING_CODES,
    Artifact,
    Bot,
    RecallState,
    Recording,
    fmt,
    make_id,
)
from mapper.sandbox.recall.urls import MeetingUrlError, complete, parse_meeting_url
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, expect_time, fail, optional_time

SECTION_KEYS = ("api_key", "bots", "page_size", "media_expiry_by_clock")
CHILD_KEYS = ("participants", "participant_events", "speaker_timeline")
SHORTCUT_KEYS = ("video_mixed", "transcript", "participant_events", "meeting_metadata", "audio_mixed")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DONE_CODES = frozenset({"done", "analysis_done", "analysis_failed", "media_expired"})


def load_section(section: Any, path: str = "recall") -> RecallState:
    obj = expect_dict(section if section is not None else {}, path)
    for key in obj:
        if key not in SECTION_KEYS:
            raise fail(at(path, key), f"unknown key (expected one of {', '.join(SECTION_KEYS)})")
    state = RecallState(api_key=expect_str(obj.get("api_key", DEFAULT_API_KEY), at(path, "api_key")))
    state.page_size = _page_size(obj.get("page_size", DEFAULT_PAGE_SIZE), at(path, "page_size"))
    flag = obj.get("media_expiry_by_clock", False)
    if not isinstance(flag, bool):
        raise fail(at(path, "media_expiry_by_clock"), "must be a boolean")
    state.media_expiry_by_clock = flag
    for bot in load_bots(obj.get("bots", []), at(path, "bots")):
        if bot.id in state.bots:
            raise fail(at(path, "bots"), f"duplicate bot id {bot.id}")
        state.bots[bot.id] = bot
    check_unique_ids(state, path)
    return state


def _page_size(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise fail(path, f"must be a positive integer, got {value!r}")
    return value


def load_bots(value: Any, path: str, *, salt: str = "") -> list[Bot]:
    return [load_bot(item, at(path, index), f"{salt}{index}") for index, item in enumerate(expect_list(value, path))]


def load_bot(value: Any, path: str, salt: str) -> Bot:
    obj = dict(expect_dict(value, path))
    kids = {key: obj.pop(key) for key in CHILD_KEYS if key in obj}
    if "id" not in obj:
        obj["id"] = make_id("bot", salt, json.dumps(obj, sort_keys=True, default=str))
    bot_id = _uuid(obj["id"], at(path, "id"))
    meeting_url = _meeting_url(obj.pop("meeting_url", None), at(path, "meeting_url"))
    join_at = obj.pop("join_at", None)
    scheduled = None if join_at is None else expect_time(join_at, at(path, "join_at"))
    changes = _status_changes(obj.get("status_changes", []), at(path, "status_changes"))
    obj["status_changes"] = changes
    if not isinstance(obj.setdefault("metadata", {}), dict):
        raise fail(at(path, "metadata"), "must be an object")
    obj.setdefault("bot_name", "Meeting Notetaker")
    obj.setdefault("calendar_meetings", [])
    timeline = _Timeline(changes)
    recordings = _recordings(obj.pop("recordings", None), path, bot_id, obj, timeline, kids)
    sort_time = scheduled or (timeline.first_change or _EPOCH)
    return Bot(bot_id, obj, meeting_url, join_at, sort_time, recordings)


def _uuid(value: Any, path: str) -> str:
    try:
        return str(uuid.UUID(str(expect_str(value, path))))
    except ValueError:
        raise fail(path, f"must be a UUID string, got {value!r}") from None


def _meeting_url(value: Any, path: str) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            return parse_meeting_url(value)
        except MeetingUrlError as exc:
            raise fail(path, str(exc)) from None
    obj = expect_dict(value, path)
    expect_str(obj.get("platform"), at(path, "platform"))
    return complete(obj)


def _status_changes(value: Any, path: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    previous: datetime | None = None
    for index, item in enumerate(expect_list(value, path)):
        item_path = at(path, index)
        change = dict(expect_dict(item, item_path))
        change.setdefault("message", None)
        change.setdefault("sub_code", None)
        expect_str(change.get("code"), at(item_path, "code"))  # an open set: any code is accepted
        moment = expect_time(change.get("created_at"), at(item_path, "created_at"))
        if previous is not None and moment < previous:
            raise fail(at(item_path, "created_at"), "status changes must be in chronological order")
        previous = moment
        out.append(change)
    return out


class _Timeline:
    """Recording times derived from a bot's status changes."""

    def __init__(self, changes: list[dict[str, Any]]) -> None:
        self.codes = [str(change["code"]) for change in changes]
        self.times = [utc(str(change["created_at"])) for change in changes]
        self.first_change = self.times[0] if self.times else None

    def first(self, *codes: str) -> datetime | None:
        return next((moment for code, moment in zip(self.codes, self.times, strict=True) if code in codes), None)

    @property
    def recorded(self) -> bool:
        return bool({"in_call_recording", "recording_done"} & set(self.codes) or _DONE_CODES & set(self.codes))

    @property
    def start(self) -> datetime:
        return self.first("in_call_recording") or self.first("recording_done", "call_ended", "done") or _EPOCH

    @property
    def code(self) -> str:
        if _DONE_CODES & set(self.codes):
            return "done"
        return "failed" if self.codes and self.codes[-1] == "fatal" else "processing"


def _recordings(
    value: Any, path: str, bot_id: str, bot: Mapping[str, Any], timeline: _Timeline, kids: dict[str, Any]
) -> list[Recording]:
    if value is None:
        value = [{}] if timeline.recorded else []
    items = expect_list(value, at(path, "recordings"))
    if not items and kids:
        key = next(iter(kids))
        raise fail(at(path, key), "the bot has no recording (give recordings[] or an in_call_recording / done status)")
    out: list[Recording] = []
    for index, item in enumerate(items):
        rec_path = at(at(path, "recordings"), index)
        raw = dict(expect_dict(item, rec_path))
        own = {key: (raw.pop(key), at(rec_path, key)) for key in CHILD_KEYS if key in raw}
        if index == 0:
            for key, child in kids.items():
                own.setdefault(key, (child, at(path, key)))
        out.append(_recording(raw, rec_path, bot_id, index, bot, timeline, own))
    return out


def _recording(
    raw: dict[str, Any],
    path: str,
    bot_id: str,
    index: int,
    bot: Mapping[str, Any],
    timeline: _Timeline,
    kids: dict[str, tuple[Any, str]],
) -> Recording:
    rec_id = _uuid(raw.get("id", make_id(bot_id, "recording", index)), at(path, "id"))
    start = timeline.start
    end = timeline.first("recording_done") or timeline.first("call_ended") or timeline.first("done")
    updated = timeline.first("done", "analysis_done") or end or start
    code = timeline.code
    hours = _retention_hours(bot.get("recording_config"))
    expires = None if code != "done" or hours is None else (end or updated) + timedelta(hours=hours)
    derived: dict[str, Any] = {
        "id": rec_id,
        "created_at": fmt(start),
        "started_at": fmt(start),
        "completed_at": fmt(end) if end and code == "done" else None,
        "expires_at": fmt(expires) if expires else None,
        "status": {"code": code, "sub_code": None, "updated_at": fmt(updated)},
        "metadata": {},
    }
    shortcuts = dict(expect_dict(raw.pop("media_shortcuts", {}), at(path, "media_shortcuts")))
    fields = {**derived, **raw, "id": rec_id}
    for key in ("created_at", "started_at", "completed_at", "expires_at"):
        if key != "created_at":
            optional_time(fields, key, path)
        else:
            expect_time(fields[key], at(path, key))
    status = expect_dict(fields["status"], at(path, "status"))
    if status.get("code") not in RECORDING_CODES:
        raise fail(at(path, "status.code"), f"must be one of {', '.join(RECORDING_CODES)}")
    shortcut_path = at(at(path, "media_shortcuts"), "participant_events")
    artifact_raw = shortcuts.pop("participant_events", {})
    artifact = None
    if artifact_raw is None:
        if kids:
            _, kid_path = next(iter(kids.values()))
            raise fail(kid_path, "the recording has no participant_events artifact (its media_shortcuts entry is null)")
    else:
        artifact = _artifact(expect_dict(artifact_raw, shortcut_path), shortcut_path, fields, kids, start)
    served = {key: shortcuts.get(key) for key in SHORTCUT_KEYS if key != "participant_events"}
    served.update({key: value for key, value in shortcuts.items() if key not in served})
    return Recording(rec_id, fields, served, artifact)


def _retention_hours(config: Any) -> int | None:
    retention = config.get("retention") if isinstance(config, dict) else None
    if not isinstance(retention, dict):
        return 168
    if retention.get("type") == "forever":
        return None
    hours = retention.get("hours", 168)
    return hours if isinstance(hours, int) and not isinstance(hours, bool) else 168


def _artifact(
    raw: Mapping[str, Any], path: str, recording: Mapping[str, Any], kids: dict[str, tuple[Any, str]], start: datetime
) -> Artifact:
    rec_status = recording["status"]
    code = {"paused": "processing"}.get(rec_status["code"], rec_status["code"])
    derived = {
        "id": make_id(recording["id"], "participant_events"),
        "created_at": recording["created_at"],
        "status": {"code": code, "sub_code": None, "updated_at": rec_status.get("updated_at")},
        "metadata": {},
    }
    fields = {**derived, **{key: value for key, value in raw.items() if key != "data"}}
    artifact_id = _uuid(fields["id"], at(path, "id"))
    fields["id"] = artifact_id
    expect_time(fields["created_at"], at(path, "created_at"))
    status = expect_dict(fields["status"], at(path, "status"))
    if status.get("code") not in ARTIFACT_CODES:
        raise fail(at(path, "status.code"), f"must be one of {', '.join(ARTIFACT_CODES)}")
    participants: list[dict[str, Any]] = []
    if "participants" in kids:
        participants = children.load_participants(*kids["participants"])
    events: list[dict[str, Any]] = []
    if "participant_events" in kids:
        value, kid_path = kids["participant_events"]
        events = children.load_events(value, kid_path, artifact_id=artifact_id, start=start, participants=participants)
    timeline: list[dict[str, Any]] = []
    if "speaker_timeline" in kids:
        value, kid_path = kids["speaker_timeline"]
        timeline = children.load_timeline(value, kid_path, start=start, participants=participants)
    return Artifact(artifact_id, fields, participants, events, timeline)


def check_unique_ids(state: RecallState, path: str) -> None:
    seen: dict[str, str] = {}
    for bot, rec in state.recordings():
        for kind, ident in (("recording", rec.id), ("participant_events", rec.artifact.id if rec.artifact else None)):
            if ident is None:
                continue
            if ident in seen:
                raise fail(at(path, "bots"), f"{kind} id {ident} is used twice (bots {seen[ident]} and {bot.id})")
            seen[ident] = bot.id


__all__ = ["CHILD_KEYS", "SECTION_KEYS", "check_unique_ids", "load_bot", "load_bots", "load_section"]
