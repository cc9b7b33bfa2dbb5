"""What Meet serves at a given moment (``world.clock.now()``).

The scenario describes a whole history; the real API only knows the past and forgets it after a
while.  So, as of ``now``:

- a conference record, participant or session that has not started yet does not exist;
- an end time still in the future is unset (the conference / participant / session is ongoing,
  ``end_time IS NULL`` / ``latest_end_time IS NULL`` match it);
- a record is deleted when its ``expireTime`` has passed: the scenario's value, or 30 days after
  the conference ended ("The resource is deleted 30 days after the conference ends"), served as
  ``expireTime`` once the conference has ended;
- a participant's ``earliestStartTime`` / ``latestEndTime`` are derived from its sessions when
  the scenario omits them (``latestEndTime`` unset while any session is open);
- a space without an explicit ``activeConference`` gets one while a conference is ongoing in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mapper.sandbox.meet.common import epoch_us, format_time
from mapper.sandbox.meet.filters import Value
from mapper.sandbox.meet.state import MeetState, Participant, Record, Session, Space

#: "The resource is deleted 30 days after the conference ends."
RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class View:
    """One resource as served now, with its sort key and the values its list filter sees."""

    name: str
    resource: dict[str, Any]
    start: datetime
    values: dict[str, Value]

    @property
    def sort_key(self) -> tuple[int, str]:
        """Newest first, then by name (the documented default order is start time descending)."""
        return (-epoch_us(self.start), self.name)


def expire_time(record: Record) -> datetime | None:
    if record.expire is not None:
        return record.expire
    return record.end + RETENTION if record.end is not None else None


def record_view(state: MeetState, record: Record, now: datetime) -> View | None:
    """``record`` as of ``now``, or ``None`` when it does not exist (yet / any more)."""
    if record.start > now:
        return None
    expire = expire_time(record)
    if expire is not None and expire <= now:
        return None
    ended = record.end is not None and record.end <= now
    resource = dict(record.resource)
    if ended:
        if "expireTime" not in resource and expire is not None:
            resource["expireTime"] = format_time(expire)
    else:
        resource.pop("endTime", None)
    space = state.spaces[record.space]
    values: dict[str, Value] = {
        "space.name": record.space,
        "space.meeting_code": space.code,
        "start_time": record.start,
        "end_time": record.end if ended else None,
    }
    return View(record.name, resource, record.start, values)


def session_view(session: Session, now: datetime) -> View | None:
    if session.start > now:
        return None
    ended = session.end is not None and session.end <= now
    resource = dict(session.resource)
    if not ended:
        resource.pop("endTime", None)
    values: dict[str, Value] = {"start_time": session.start, "end_time": session.end if ended else None}
    return View(session.name, resource, session.start, values)


def participant_view(participant: Participant, now: datetime) -> View | None:
    sessions = [view for view in (session_view(s, now) for s in participant.sessions) if view is not None]
    start = participant.start
    if start is None and sessions:
        start = min(view.start for view in sessions)
    if start is None or start > now:
        return None
    resource = dict(participant.resource)
    end: datetime | None
    if participant.end is not None:
        end = participant.end if participant.end <= now else None
    elif participant.sessions and sessions and all(view.values["end_time"] is not None for view in sessions):
        ends = [view.values["end_time"] for view in sessions]
        end = max(value for value in ends if isinstance(value, datetime))
        resource["latestEndTime"] = format_time(end)
    else:
        end = None
    if end is None:
        resource.pop("latestEndTime", None)
    if "earliestStartTime" not in resource:
        resource["earliestStartTime"] = format_time(start)
    values: dict[str, Value] = {"earliest_start_time": start, "latest_end_time": end}
    return View(participant.name, resource, start, values)


def space_view(state: MeetState, space: Space, now: datetime) -> dict[str, Any]:
    resource = dict(space.resource)
    if "activeConference" not in resource:
        for record in state.records.values():
            if record.space != space.name:
                continue
            view = record_view(state, record, now)
            if view is not None and view.values["end_time"] is None:
                resource["activeConference"] = {"conferenceRecord": record.name}
                break
    return resource


def space_for_code(state: MeetState, code: str, now: datetime) -> Space | None:
    """The space a meeting code names now: codes are reused, so among the spaces that carried
    ``code`` pick the one used most recently (latest conference started by ``now``), then the one
    listed last."""
    code = code.lower()
    holders = [space for space in state.spaces.values() if space.code == code]
    if not holders:
        return None

    def last_used(space: Space) -> tuple[int, int]:
        starts = [epoch_us(r.start) for r in state.records.values() if r.space == space.name and r.start <= now]
        return (max(starts, default=-(2**62)), space.order)

    return max(holders, key=last_used)


__all__ = [
    "RETENTION",
    "View",
    "expire_time",
    "participant_view",
    "record_view",
    "session_view",
    "space_for_code",
    "space_view",
]
