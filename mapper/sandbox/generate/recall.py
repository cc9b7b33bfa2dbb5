"""Recall.ai bots: one per occurrence of a recorded meeting, with participants and their events.

A bot is asked to join two minutes early (``join_at``), may wait in the lobby, records, and ends
``done``.  It sees everybody who is in the call while it is, except itself.  Rejoins follow the
platform (reference §6): on Meet every rejoin is a new participant; on Teams a signed-in user
keeps their participant (another ``join`` event) while a guest gets a new one; on Zoom either
can happen.  Signed-in users carry the platform's stable id in ``extra_data`` (Zoom
``conf_user_id``, Teams ``user_id``, Meet ``static_participant_id``), the same in every meeting.
One bot in ten (and those of the per-platform showcase calls) comes from a calendar integration
that fills ``email`` for some invitees.  Bots of meetings that never happened time out in the
lobby; a few bots fail (``fatal``).  Participant events reference participants by ``{"id": n}``
(the emulator expands them).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from mapper.sandbox.generate import appearance as look
from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.links import recall_meeting_url
from mapper.sandbox.generate.meet import MeetWriter
from mapper.sandbox.generate.plan import meeting_key
from mapper.sandbox.generate.presence import Appearance, Attendee, Call, Interval
from mapper.sandbox.generate.truth import Truth

BOT_NAME = "Meeting Notetaker"
ZOOM_OS = ("mac", "windows", "ios", "android", "web")
TEAMS_CLIENTS = ("CallSignalingAgent (49/24080219100)", "Teams web (1415/24080217301)", "Teams mobile (iOS)")


def recall_time(moment: datetime) -> str:
    """Recall's timestamp format: UTC with microseconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RecallWriter:
    def __init__(self, rng: random.Random, ids: Ids, truth: Truth, meet: MeetWriter) -> None:
        self.rng, self.ids, self.truth, self.meet = rng, ids, truth, meet
        self.bots: list[dict[str, Any]] = []

    def _at(self, moment: datetime) -> datetime:
        return moment + timedelta(microseconds=self.rng.randrange(1_000_000))

    def write(self, call: Call, *, fatal: bool = False) -> str:
        series, occurrence = call.series, call.occurrence
        assert series.link is not None
        key = meeting_key(series, occurrence)
        bot_id = self.ids.uuid("bot", key)
        join_at = occurrence.start - timedelta(minutes=2)
        changes: list[tuple[str, datetime, str | None]] = [("joining_call", join_at, None)]
        bot: dict[str, Any] = {"id": bot_id, "bot_name": BOT_NAME, "meeting_url": recall_meeting_url(series.link)}
        bot.update({"join_at": recall_time(join_at), "metadata": {}})
        self.bots.append(bot)
        if series.external_organizer and self.rng.random() < 0.5:
            changes.append(("in_waiting_room", join_at + timedelta(seconds=self.rng.randint(10, 40)), None))
        people = [a for a in call.attendees if "recall_bot" not in a.cases]
        if fatal or not call.happened or not people:
            moment = changes[-1][1] + timedelta(minutes=10 if not fatal else 1)
            if fatal:
                changes.append(("fatal", moment, "bot_errored"))
            else:
                changes += [
                    ("call_ended", moment, "timeout_exceeded_waiting_room"),
                    ("done", moment + timedelta(seconds=5), None),
                ]
            bot["status_changes"] = [self._change(*change) for change in changes]
            bot["recordings"] = []
            return bot_id
        inside = changes[-1][1] + timedelta(seconds=self.rng.randint(20, 60))
        changes.append(("in_call_not_recording", inside, None))
        if series.link.platform == "zoom":
            changes.append(("recording_permission_allowed", inside + timedelta(seconds=2), None))
        recording = inside + timedelta(seconds=self.rng.randint(3, 8))
        changes.append(("in_call_recording", recording, None))
        ended = max(e for a in people for _, e in a.sessions) + timedelta(seconds=self.rng.randint(5, 30))
        changes += [
            ("call_ended", ended, "bot_left_call"),
            ("done", ended + timedelta(minutes=self.rng.randint(2, 8)), None),
        ]
        bot["status_changes"] = [self._change(*change) for change in changes]
        participants, events = self._people(call, people, bot_id, key, (inside, ended), recording)
        bot["participants"] = participants
        bot["participant_events"] = events
        return bot_id

    def _change(self, code: str, moment: datetime, sub_code: str | None) -> dict[str, Any]:
        return {"code": code, "message": None, "created_at": recall_time(self._at(moment)), "sub_code": sub_code}

    def _appearance(self, call: Call, attendee: Attendee) -> Appearance:
        link = call.series.link
        assert link is not None
        if link.platform == "google_meet":
            return self.meet.appearance(attendee)
        if link.platform == "zoom":
            return look.zoom(self.rng, attendee)
        return look.teams(self.rng, attendee, call.series.organizer.partner)

    def _people(
        self,
        call: Call,
        people: list[Attendee],
        bot_id: str,
        key: str,
        window: tuple[datetime, datetime],
        origin: datetime,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng, platform = self.rng, call.series.link.platform if call.series.link else ""
        emails = call.series.kind == "platform_showcase" or rng.random() < 0.1
        seen: list[tuple[Attendee, list[Interval]]] = []
        for attendee in people:
            sessions = [
                (max(s, window[0]), min(e, window[1])) for s, e in attendee.sessions if e > window[0] and s < window[1]
            ]
            if sessions:
                seen.append((attendee, sessions))
        seen.sort(key=lambda item: item[1][0][0])
        participants: list[dict[str, Any]] = []
        timeline: list[tuple[datetime, int, dict[str, Any]]] = []
        for attendee, sessions in seen:
            shown = self._appearance(call, attendee)
            groups = self._groups(platform, shown, sessions)
            for copy, group in enumerate(groups):
                pid = 100 + len(participants)
                participant = self._participant(pid, call, attendee, shown, platform, bot_id)
                if copy == 0 and attendee.host:
                    participant["is_host"] = True
                extra: tuple[str, ...] = ("duplicate_participant",) if copy else ()
                if emails and attendee.invited and attendee.kind == "person" and rng.random() < 0.6:
                    participant["email"] = attendee.email
                    extra += ("recall_email",)
                if len(group) > 1:
                    extra += ("rejoin_same_participant",)
                participants.append(participant)
                self.truth.participant(f"recall:{bot_id}:{pid}", attendee, shown, key, extra=extra)
                for start, end in group:
                    timeline.append((self._at(start), pid, {"action": "join"}))
                    timeline.append((self._at(end), pid, {"action": "leave"}))
                    if attendee.kind == "person" and rng.random() < 0.3:
                        talk = start + (end - start) * rng.uniform(0.1, 0.7)
                        timeline.append((self._at(talk), pid, {"action": "speech_on"}))
                        timeline.append(
                            (self._at(talk + timedelta(seconds=rng.randint(4, 90))), pid, {"action": "speech_off"})
                        )
        timeline.sort(key=lambda item: (item[0], item[1]))
        events = [
            {
                "action": body["action"],
                "participant": {"id": pid},
                "timestamp": {"absolute": recall_time(moment), "relative": round((moment - origin).total_seconds(), 6)},
                "data": None,
            }
            for moment, pid, body in timeline
        ]
        return participants, events

    def _groups(self, platform: str, shown: Appearance, sessions: list[Interval]) -> list[list[Interval]]:
        """Which sessions share one participant (reference §6 rejoin rules)."""
        if len(sessions) == 1 or platform == "google_meet":
            return [[s] for s in sessions]
        signed_in = shown.joined_as == "signedin"
        if platform == "microsoft_teams":
            return [sessions] if signed_in else [[s] for s in sessions]
        same = self.rng.random() < (0.5 if signed_in else 0.3)
        return [sessions] if same else [[s] for s in sessions]

    def _participant(
        self, pid: int, call: Call, attendee: Attendee, shown: Appearance, platform: str, bot_id: str
    ) -> dict[str, Any]:
        extra: dict[str, Any] | None = None
        if shown.joined_as == "phone":
            kind = "dial-in"
        else:
            kind = "desktop" if self.rng.random() < 0.9 else "unknown"
            extra = self._extra(pid, call, attendee, shown, platform, bot_id)
        return {"id": pid, "name": shown.name, "is_host": False, "platform": kind, "extra_data": extra, "email": None}

    def _extra(
        self, pid: int, call: Call, attendee: Attendee, shown: Appearance, platform: str, bot_id: str
    ) -> dict[str, Any] | None:
        member, signed = attendee.member, shown.joined_as == "signedin"
        if platform == "google_meet":
            if not signed:
                return None
            static = member.meet_static_id if member else self.ids.base62("static", attendee.email, length=16)
            return {"google_meet": {"static_participant_id": static}}
        if platform == "zoom":
            conf = None
            if signed:
                conf = member.zoom_id if member else self.ids.digits("zoom", attendee.email, length=8)
            zoom = {
                "os": self.rng.choice(ZOOM_OS),
                "guest": not signed,
                "user_guid": self.ids.uuid("guid", bot_id, pid),
            }
            return {"zoom": {**zoom, "conf_user_id": conf}}
        tenant = call.series.link.tenant_id if call.series.link else None
        host = attendee.host
        return {
            "microsoft_teams": {
                "role": "organizer" if host else "attendee",
                "meeting_role": "organizer" if host else "attendee",
                "participant_type": "inTenant" if signed else "anonymous",
                "user_id": member.teams_id if signed and member else None,
                "tenant_id": tenant if signed else "",
                "client_version": self.rng.choice(TEAMS_CLIENTS),
            }
        }

    def section(self) -> dict[str, Any]:
        return {"api_key": "sandbox-recall-key", "bots": self.bots}


__all__ = ["BOT_NAME", "RecallWriter", "recall_time"]
