"""RFC 5545 recurrence (``RRULE`` / ``EXRULE`` / ``EXDATE`` / ``RDATE`` lines) as Calendar v3 stores
it in ``Event.recurrence``, expanded with :mod:`dateutil.rrule` up to a bounded horizon.

Mirrors Calendar's rules: a timed series is expanded in the wall-clock time of its
``start.timeZone`` (so a 16:00 Berlin meeting stays at 16:00 across a DST change); an all-day series
in dates.  Instance ids are ``{parentId}_{YYYYMMDDTHHMMSSZ}`` (UTC original start) or
``{parentId}_{YYYYMMDD}`` for all-day series.  ``UNTIL`` / ``EXDATE`` / ``RDATE`` values may be
written in UTC (``...Z``), with ``TZID=``, floating (the event's zone) or as ``VALUE=DATE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rruleset, rrulestr

#: Series are expanded this far past ``max(first start, now)`` ...
HORIZON = timedelta(days=730)
#: ... and to at most this many instances (Calendar itself caps unbounded series).
MAX_INSTANCES = 5000

_LINE = re.compile(r"(?P<name>[A-Za-z]+)(?P<params>(?:;[^:]*)?):(?P<value>.+)\Z")
_UNTIL = re.compile(r"UNTIL=(?P<value>[0-9TZ]+)", re.IGNORECASE)
_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?\Z")


@dataclass(frozen=True)
class Occurrence:
    """One generated instance: its id and original start (aware for timed, a date for all-day)."""

    instance_id: str
    start: datetime | date


@dataclass(frozen=True)
class Series:
    """A parsed recurrence bound to its first start."""

    rules: rruleset
    first: datetime | date  # aware datetime in the expansion zone, or a date (all-day)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.first, datetime)


def instance_suffix(start: datetime | date) -> str:
    """The id suffix Calendar gives the instance that originally starts at ``start``."""
    if isinstance(start, datetime):
        return start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return start.strftime("%Y%m%d")


def parse_series(lines: list[str], first: datetime | date, zone: tzinfo | None) -> Series:
    """Parse ``recurrence`` lines for a series starting at ``first``; raise ``ValueError`` with
    ``[index] problem`` naming the offending line."""
    all_day = not isinstance(first, datetime)
    if isinstance(first, datetime):
        base = first.astimezone(zone) if zone is not None else first
    else:
        base = datetime.combine(first, time())
    rules = rruleset()
    has_rule = False
    for index, line in enumerate(lines):
        match = _LINE.match(line.strip())
        if match is None:
            raise ValueError(f"[{index}] not an iCalendar property line: {line!r}")
        name, params, value = match["name"].upper(), _params(match["params"]), match["value"]
        try:
            if name in {"RRULE", "EXRULE"}:
                rule = rrulestr(_normalize_until(value, all_day, base), dtstart=base)
                assert isinstance(rule, rrule)
                if name == "RRULE":
                    rules.rrule(rule)
                    has_rule = True
                else:
                    rules.exrule(rule)
            elif name in {"EXDATE", "RDATE"}:
                for item in value.split(","):
                    moment = _date_value(item.strip(), params, all_day, base)
                    (rules.exdate if name == "EXDATE" else rules.rdate)(moment)
                    has_rule = has_rule or name == "RDATE"
            else:
                raise ValueError(f"unsupported property {name} (expected RRULE, EXRULE, EXDATE or RDATE)")
        except (ValueError, TypeError, ZoneInfoNotFoundError) as exc:
            raise ValueError(f"[{index}] {exc}") from None
    if not has_rule:
        raise ValueError("needs at least one RRULE or RDATE line")
    return Series(rules, base if not all_day else first)


def expand(series: Series, now: datetime) -> tuple[list[datetime | date], bool]:
    """The series' original starts up to the horizon; the flag says whether the series goes on."""
    first = series.first
    anchor = max(now, first if isinstance(first, datetime) else datetime.combine(first, time(), tzinfo=UTC))
    limit = anchor + HORIZON
    out: list[datetime | date] = []
    for moment in series.rules:
        start: datetime | date = moment.date() if series.all_day else moment
        comparable = start if isinstance(start, datetime) else datetime.combine(start, time(), tzinfo=UTC)
        if comparable > limit or len(out) >= MAX_INSTANCES:
            return out, True
        out.append(start)
    return out, False


def _params(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in filter(None, text.split(";")):
        key, _, value = part.partition("=")
        out[key.strip().upper()] = value.strip()
    return out


def _normalize_until(value: str, all_day: bool, base: datetime) -> str:
    """dateutil wants ``UNTIL`` in UTC for a zoned start and floating for an all-day one."""
    match = _UNTIL.search(value)
    if match is None:
        return value
    stamp = _STAMP.match(match["value"].upper())
    if stamp is None:
        raise ValueError(f"bad UNTIL value {match['value']!r}")
    if all_day:
        fixed = match["value"][:8]
    else:
        moment = _stamp(stamp, base.tzinfo, end_of_day=True)
        fixed = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value[: match.start("value")] + fixed + value[match.end("value") :]


def _date_value(text: str, params: dict[str, str], all_day: bool, base: datetime) -> datetime:
    stamp = _STAMP.match(text.upper())
    if stamp is None:
        raise ValueError(f"bad date-time value {text!r}")
    zone: tzinfo | None = base.tzinfo
    if params.get("TZID"):
        zone = ZoneInfo(params["TZID"])
    if all_day:
        return datetime.combine(date(int(stamp[1]), int(stamp[2]), int(stamp[3])), time())  # floating
    if stamp[4] is None:  # VALUE=DATE on a timed series: that day at the series' time of day
        day = date(int(stamp[1]), int(stamp[2]), int(stamp[3]))
        return datetime.combine(day, base.timetz())
    return _stamp(stamp, zone, end_of_day=False)


def _stamp(stamp: re.Match[str], zone: tzinfo | None, *, end_of_day: bool) -> datetime:
    year, month, day = int(stamp[1]), int(stamp[2]), int(stamp[3])
    if stamp[4] is None:
        clock = time(23, 59, 59) if end_of_day else time()
        return datetime.combine(date(year, month, day), clock, tzinfo=zone)
    clock = time(int(stamp[4]), int(stamp[5]), int(stamp[6]))
    return datetime.combine(date(year, month, day), clock, tzinfo=UTC if stamp[7] else zone)


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA zone called ``name``; ``None`` for no name; ``ValueError`` for an unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


__all__ = [
    "HORIZON",
    "MAX_INSTANCES",
    "Occurrence",
    "Series",
    "expand",
    "instance_suffix",
    "parse_series",
    "zone_named",
]
