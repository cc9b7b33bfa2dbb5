"""Annotated value types for the configuration, each with a one-line error message.

Messages are written to follow the key in ``config error: KEY: MESSAGE, got VALUE``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _int_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    return None


def _positive_int(value: Any) -> int:
    number = _int_value(value)
    if number is None or number <= 0:
        raise PydanticCustomError("positive_int", "must be a positive integer")
    return number


def _non_negative_int(value: Any) -> int:
    number = _int_value(value)
    if number is None or number < 0:
        raise PydanticCustomError("non_negative_int", "must be an integer >= 0")
    return number


def _float_value(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _fraction(value: Any) -> float:
    number = _float_value(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise PydanticCustomError("fraction", "must be a number between 0 and 1")
    return number


def _positive_float(value: Any) -> float:
    number = _float_value(value)
    if number is None or number <= 0:
        raise PydanticCustomError("positive_float", "must be a positive number")
    return number


def _clock_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)(?::00)?", value.strip())
        if match:
            return time(int(match.group(1)), int(match.group(2)))
    raise PydanticCustomError("clock_time", "must be a time of day written HH:MM (UTC)")


def _instant(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    raise PydanticCustomError("instant", "must be an RFC 3339 timestamp with an offset, e.g. 2025-03-03T15:00:00Z")


def _url(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s/]+(/\S*)?", value.strip()):
        return value.strip()
    raise PydanticCustomError("url", "must be an http:// or https:// URL")


def _email(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[^@\s]+@[^@\s]+", value.strip()):
        return value.strip().lower()
    raise PydanticCustomError("email", "must be an email address")


PositiveInt = Annotated[int, BeforeValidator(_positive_int)]
NonNegativeInt = Annotated[int, BeforeValidator(_non_negative_int)]
Fraction = Annotated[float, BeforeValidator(_fraction)]
PositiveFloat = Annotated[float, BeforeValidator(_positive_float)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]
Url = Annotated[str, BeforeValidator(_url)]
Email = Annotated[str, BeforeValidator(_email)]
Instant = Annotated[datetime | None, BeforeValidator(_instant)]

__all__ = [
    "ClockTime",
    "Email",
    "Fraction",
    "Instant",
    "NonNegativeInt",
    "PositiveFloat",
    "PositiveInt",
    "Url",
]
