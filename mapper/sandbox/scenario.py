"""Reading and validating scenario files (shared/reference/sandbox-scenario.md).

Validation errors name the offending object's path, e.g.
``meet.conferenceRecords[3].participants[0]: needs exactly one of signedinUser, anonymousUser, phoneUser``.
The helpers here are shared by every emulated API's loader.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from mapper.clock import utc
from mapper.errors import DataError


class ScenarioError(DataError):
    """A scenario (or a live patch) is malformed; the message starts with the offending path."""


def read_scenario(path: str | Path) -> dict[str, Any]:
    """Read a scenario JSON file; raise :class:`ScenarioError` for unreadable or non-JSON files."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read scenario {file}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{file}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    return expect_dict(data, "scenario")


def at(path: str, key: str | int) -> str:
    """Extend a path: ``at("meet", "conferenceRecords")`` → ``meet.conferenceRecords``; ints index."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def fail(path: str, message: str) -> ScenarioError:
    return ScenarioError(f"{path}: {message}")


def expect_dict(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, f"must be an object, got {_kind(value)}")
    return value


def expect_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(path, f"must be an array, got {_kind(value)}")
    return value


def expect_str(value: Any, path: str, *, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value:
        raise fail(path, f"must be a non-empty string, got {_kind(value)}")
    return value


def expect_time(value: Any, path: str) -> datetime:
    """An RFC 3339 timestamp with an offset, as the APIs write them."""
    if not isinstance(value, str):
        raise fail(path, f"must be an RFC 3339 timestamp string, got {_kind(value)}")
    try:
        return utc(value)
    except ValueError:
        raise fail(path, f"must be an RFC 3339 timestamp with an offset, got {value!r}") from None


def optional_time(obj: Mapping[str, Any], key: str, path: str) -> datetime | None:
    value = obj.get(key)
    return None if value is None else expect_time(value, at(path, key))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


__all__ = [
    "ScenarioError",
    "at",
    "expect_dict",
    "expect_list",
    "expect_str",
    "expect_time",
    "fail",
    "optional_time",
    "read_scenario",
]
