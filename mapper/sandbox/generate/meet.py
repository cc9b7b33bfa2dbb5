"""Meet v2 resources: spaces, conference records, participants and their sessions.

One space per event (every occurrence of a series shares its meeting code).  A signed-in
account that rejoins keeps one participant with several sessions; an anonymous user or a dial-in
that rejoins becomes a new participant with the same name (reference §5: the emulator must serve
such duplicates).  A restarted call gives two records inside one calendar slot.  One meeting code
is also carried, a year before the period, by another space whose old record is still served
(``expireTime`` set explicitly): it belongs to no event and must not be linked.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from mapper.sandbox.generate import appearance as look
from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.plan import Series, meeting_key
from mapper.sandbox.generate.presence import Appearance, Attendee, Call, Interval
from mapper.sandbox.generate.truth import Truth

RETENTION = timedelta(days=30)


def rfc3339(moment: datetime) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


class MeetWriter:
    def __init__(self, rng: random.Random, ids: Ids, truth: Truth) -> None:
        self.rng, self.ids, self.truth = rng, ids, truth
        self.spaces: dict[int, dict[str, Any]] = {}
        self.records: list[dict[str, Any]] = []
        self.old_spaces: list[dict[str, Any]] = []

    def space(self, series: Series) -> str:
        assert series.link is not None
        if series.number not in self.spaces:
            name = "spaces/" + self.ids.base62("space", series.number)
            code = series.link.meeting_id
            self.spaces[series.number] = {"name": name, "meetingUri": series.link.url, "meetingCode": code}
        return str(self.spaces[series.number]["name"])

    def appearance(self, attendee: Attendee) -> Appearance:
        if attendee.on_meet is None:
            attendee.on_meet = look.meet(self.rng, attendee)
        return attendee.on_meet

    def write(self, call: Call) -> list[str]:
        """The call's conference records (none when nobody joined); returns their names."""
        if not call.attendees:
            return []
        space = self.space(call.series)
        key = meeting_key(call.series, call.occurrence)
        windows = [(call.start - timedelta(hours=1), call.restart or call.end + timedelta(hours=2))]
        if call.restart is not None:
            windows.append((call.restart, call.end + timedelta(hours=2)))
        names = []
        for number, (low, high) in enumerate(windows):
            name = "conferenceRecords/" + self.ids.base62("record", key, number)
            picked = [(a, [s for s in a.sessions if low <= s[0] < high]) for a in call.attendees]
            picked = [(a, sessions) for a, sessions in picked if sessions]
            if picked:
                self.records.append(self._record(name, space, key, picked))
                names.append(name)
        return names

    def _record(
        self, name: str, space: str, key: str | None, picked: list[tuple[Attendee, list[Interval]]]
    ) -> dict[str, Any]:
        participants: list[dict[str, Any]] = []
        for attendee, sessions in picked:
            seen = self.appearance(attendee)
            groups = [sessions] if seen.joined_as == "signedin" else [[s] for s in sessions]
            for copy, group in enumerate(groups):
                pid = f"{name}/participants/{self.ids.digits('participant', name, len(participants), length=12)}"
                participants.append(self._participant(pid, seen, group))
                extra = ("duplicate_participant",) if copy else ()
                self.truth.participant(pid, attendee, seen, key, extra=extra)
        start = min(s for a, sessions in picked for s, _ in sessions)
        end = max(e for a, sessions in picked for _, e in sessions)
        return {
            "name": name,
            "startTime": rfc3339(start),
            "endTime": rfc3339(end),
            "expireTime": rfc3339(end + RETENTION),
            "space": space,
            "participants": participants,
        }

    def _participant(self, pid: str, seen: Appearance, sessions: list[Interval]) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "name": pid,
            "earliestStartTime": rfc3339(sessions[0][0]),
            "latestEndTime": rfc3339(sessions[-1][1]),
        }
        if seen.joined_as == "signedin":
            resource["signedinUser"] = {"user": seen.user, "displayName": seen.name}
        elif seen.joined_as == "phone":
            resource["phoneUser"] = {"displayName": seen.name}
        else:
            resource["anonymousUser"] = {"displayName": seen.name}
        resource["participantSessions"] = [
            {
                "name": f"{pid}/participantSessions/{self.ids.base62('session', pid, n, length=10)}",
                "startTime": rfc3339(s),
                "endTime": rfc3339(e),
            }
            for n, (s, e) in enumerate(sessions)
        ]
        return resource

    def reused_code(self, call: Call, now: datetime) -> str:
        """Another space that carried this call's code a year earlier, with one old record whose
        participants are the same people (their truth ``email`` is null: no event is theirs)."""
        series = call.series
        assert series.link is not None
        code = series.link.meeting_id
        space = "spaces/" + self.ids.base62("old-space", series.number)
        self.old_spaces.append({"name": space, "meetingUri": f"https://meet.google.com/{code}", "meetingCode": code})
        name = "conferenceRecords/" + self.ids.base62("old-record", series.number)
        shift = timedelta(days=365)
        picked: list[tuple[Attendee, list[Interval]]] = []
        for attendee in call.attendees:
            if attendee.kind == "person":
                sessions = [(s - shift, e - shift) for s, e in attendee.sessions]
                copy = Attendee("person", None, False, sessions, attendee.person, attendee.member)
                copy.cases = ["code_reused_elsewhere"]
                picked.append((copy, sessions))
        record = self._record(name, space, None, picked)
        record["expireTime"] = rfc3339(now + RETENTION)
        self.records.append(record)
        return name

    def section(self) -> dict[str, Any]:
        return {"spaces": [*self.old_spaces, *self.spaces.values()], "conferenceRecords": self.records}


__all__ = ["RETENTION", "MeetWriter", "rfc3339"]
