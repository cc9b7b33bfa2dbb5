"""Turning a bot's participant events into presence intervals (pure: no I/O, no clock).

Per participant (in-meeting id), events are taken in time order: a ``join`` opens a session, the
next ``leave`` closes it; a repeated ``join`` while open is ignored, as is a ``leave`` with nothing
open (except a first ``leave`` of somebody already there when the bot joined: that session starts
at the call start).  A session still open at the end closes at the call end (or stays open when
that is unknown).  A participant without any join / leave gets one session spanning the call when
its start is known, else none.  An event without ``timestamp.absolute`` is placed by
``timestamp.relative`` (seconds since the bot's ``in_call_recording``) when possible, else dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from mapper.sources.recall.convert import Bot, ParticipantEvent, RecallParticipant

Interval = tuple[datetime | None, datetime | None]


@dataclass(frozen=True)
class Presence:
    participant: RecallParticipant
    sessions: tuple[Interval, ...]

    @property
    def first_join_at(self) -> datetime | None:
        starts = [start for start, _ in self.sessions if start is not None]
        return min(starts) if starts else None

    @property
    def last_leave_at(self) -> datetime | None:
        """The last leave; None while any session is open (or nothing is known)."""
        if any(end is None for _, end in self.sessions):
            return None
        ends = [end for _, end in self.sessions if end is not None]
        return max(ends) if ends else None


def event_time(event: ParticipantEvent, origin: datetime | None) -> datetime | None:
    if event.at is not None:
        return event.at
    if event.relative is not None and origin is not None:
        try:
            return origin + timedelta(seconds=event.relative)
        except OverflowError:
            return None
    return None


def presences(bot: Bot, participants: list[RecallParticipant], events: list[ParticipantEvent]) -> list[Presence]:
    """Every participant of the bot (the download, plus anyone seen only in events) with sessions."""
    people: dict[str, RecallParticipant] = {p.id: p for p in participants}
    timed: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
    origin = bot.recording_started_at
    for index, event in enumerate(events):
        people.setdefault(event.participant.id, event.participant)
        moment = event_time(event, origin)
        if moment is not None and event.action in {"join", "leave"}:
            timed[event.participant.id].append((moment, index, event.action))
    start, end = bot.call_start, bot.call_end
    result = []
    for pid in sorted(people, key=_id_order):
        moves = sorted(timed.get(pid, []))
        if moves:
            sessions = _pair(moves, start, end)
        elif start is not None:
            sessions = [(start, end)]
        else:
            sessions = []
        result.append(Presence(people[pid], tuple(sessions)))
    return result


def _pair(
    moves: list[tuple[datetime, int, str]], call_start: datetime | None, call_end: datetime | None
) -> list[Interval]:
    sessions: list[Interval] = []
    opened: datetime | None = None
    is_open = False
    for moment, _, action in moves:
        if action == "join":
            if not is_open:
                opened, is_open = moment, True
        elif is_open:
            sessions.append((opened, moment))
            is_open = False
        elif not sessions:  # present before the bot joined, never saw a join
            sessions.append((call_start if call_start is not None and call_start <= moment else None, moment))
    if is_open:
        sessions.append(
            (opened, call_end if call_end is not None and opened is not None and call_end >= opened else None)
        )
    return sessions


def _id_order(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() and len(value) < 19 else (1, 0, value)


__all__ = ["Interval", "Presence", "event_time", "presences"]
