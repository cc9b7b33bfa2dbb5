"""Validation of the three participant-events downloads a scenario attaches to a bot.

The objects are the download payloads exactly as docs.recall.ai "Download Schemas" shows them
(shared/reference/recall-api.md §5) and are served verbatim.  Validation only rejects what no real
payload could contain; the identity quirks of §6 (duplicate participants after a rejoin, extra
``join`` events on one participant, decorated Teams names, masked dial-in numbers, rooms, generic
names, ``email`` on some participants only) are plain data and pass.

Two sandbox conveniences, both producing the real shape:

- an event / timeline ``participant`` written as ``{"id": 7}`` is expanded to the full participant
  with that id from the ``participants`` list;
- a ``timestamp`` may give only ``absolute`` or only ``relative``; the other is computed from the
  recording start (the bot's ``in_call_recording`` status change; speech before it is negative).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from mapper.sandbox.recall.state import ACTIONS, fmt, make_id
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, expect_time, fail

_PARTICIPANT_DEFAULTS: dict[str, Any] = {"name": None, "is_host": None, "platform": None, "extra_data": None}


def load_participants(value: Any, path: str) -> list[dict[str, Any]]:
    return [participant(item, at(path, index)) for index, item in enumerate(expect_list(value, path))]


def load_events(
    value: Any, path: str, *, artifact_id: str, start: datetime, participants: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    known = {item["id"]: item for item in participants}
    out: list[dict[str, Any]] = []
    for index, item in enumerate(expect_list(value, path)):
        item_path = at(path, index)
        event = dict(expect_dict(item, item_path))
        if "id" not in event:
            event["id"] = make_id(artifact_id, "event", index)
        expect_str(event["id"], at(item_path, "id"))
        action = event.get("action")
        if action not in ACTIONS:
            raise fail(at(item_path, "action"), f"must be one of {', '.join(sorted(ACTIONS))}, got {action!r}")
        event["participant"] = _referenced(event.get("participant"), at(item_path, "participant"), known)
        event["timestamp"] = timestamp(event.get("timestamp"), at(item_path, "timestamp"), start)
        data = event.setdefault("data", None)
        if action == "chat_message":
            chat = expect_dict(data, at(item_path, "data"))
            expect_str(chat.get("text"), at(item_path, "data.text"))
        elif data is not None and not isinstance(data, dict):
            raise fail(at(item_path, "data"), "must be an object or null")
        out.append(event)
    return out


def load_timeline(
    value: Any, path: str, *, start: datetime, participants: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    known = {item["id"]: item for item in participants}
    out: list[dict[str, Any]] = []
    for index, item in enumerate(expect_list(value, path)):
        item_path = at(path, index)
        segment = dict(expect_dict(item, item_path))
        if segment.get("participant") is not None:
            segment["participant"] = _referenced(segment["participant"], at(item_path, "participant"), known)
        else:
            segment["participant"] = None  # Zoom emits null-speaker segments
        segment["start_timestamp"] = timestamp(segment.get("start_timestamp"), at(item_path, "start_timestamp"), start)
        if segment.get("end_timestamp") is not None:
            segment["end_timestamp"] = timestamp(segment["end_timestamp"], at(item_path, "end_timestamp"), start)
        else:
            segment["end_timestamp"] = None
        out.append(segment)
    return out


def participant(value: Any, path: str) -> dict[str, Any]:
    """A participant object (download schema); missing optional keys are served as null."""
    obj = dict(expect_dict(value, path))
    for key, default in _PARTICIPANT_DEFAULTS.items():
        obj.setdefault(key, default)
    ident = obj.get("id")
    if not isinstance(ident, int) or isinstance(ident, bool):
        raise fail(at(path, "id"), f"must be an integer, got {ident!r}")
    for key in ("name", "platform", "email"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise fail(at(path, key), "must be a string or null")
    if obj["is_host"] is not None and not isinstance(obj["is_host"], bool):
        raise fail(at(path, "is_host"), "must be a boolean or null")
    if obj["extra_data"] is not None and not isinstance(obj["extra_data"], dict):
        raise fail(at(path, "extra_data"), "must be an object or null")
    return obj


def _referenced(value: Any, path: str, known: Mapping[int, dict[str, Any]]) -> dict[str, Any]:
    obj = expect_dict(value, path)
    if set(obj) == {"id"} and obj["id"] in known:
        return dict(known[obj["id"]])
    return participant(obj, path)


def timestamp(value: Any, path: str, start: datetime) -> dict[str, Any]:
    """``{absolute, relative}``; either may be derived from the other (relative = seconds since start)."""
    obj = dict(expect_dict(value, path))
    absolute, relative = obj.get("absolute"), obj.get("relative")
    if relative is not None and (not isinstance(relative, int | float) or isinstance(relative, bool)):
        raise fail(at(path, "relative"), f"must be a number of seconds, got {relative!r}")
    if absolute is not None:
        moment = expect_time(absolute, at(path, "absolute"))
        if relative is None:
            obj["relative"] = round((moment - start).total_seconds(), 6)
    elif relative is not None and "absolute" not in obj:
        obj["absolute"] = fmt(start + timedelta(seconds=float(relative)))
    elif relative is None:
        raise fail(path, "needs absolute or relative")
    return obj


__all__ = ["load_events", "load_participants", "load_timeline", "participant", "timestamp"]
