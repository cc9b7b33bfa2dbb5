"""Assemble the scenario and its ground truth, and write them as JSON.

Each stage draws from its own ``random.Random`` seeded from the seed and the stage's name, so
the output is a pure function of the arguments (and of the Faker version).  Occurrences are
played in time order, so somebody already in a call is less likely to join another.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mapper.sandbox.generate.calendar import CalendarWriter
from mapper.sandbox.generate.hard_cases import add_hard_cases
from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.meet import MeetWriter, rfc3339
from mapper.sandbox.generate.org import Org, make_org
from mapper.sandbox.generate.plan import Occurrence, Period, Series, meeting_key
from mapper.sandbox.generate.presence import Attendee, Presence
from mapper.sandbox.generate.profiles import directory_section, people_section
from mapper.sandbox.generate.recall import BOT_NAME, RecallWriter
from mapper.sandbox.generate.schedule import Scheduler
from mapper.sandbox.generate.truth import Truth

#: The default ``now``: a Tuesday early morning, so the period ends on a Monday.
DEFAULT_NOW = datetime(2025, 6, 3, 5, 0, tzinfo=UTC)
FORMAT_VERSION = 1


def period_for(now: datetime, days: int) -> Period:
    """``days`` whole UTC days ending at the midnight before ``now``."""
    end = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    return Period(end - timedelta(days=days), end)


class _Player:
    """Plays every occurrence: presence, then Meet and Recall resources and the truth."""

    def __init__(self, seed: int, ids: Ids, org: Org, now: datetime, truth: Truth) -> None:
        self.rng = random.Random(f"{seed}:cases")
        self.presence = Presence(random.Random(f"{seed}:presence"), org)
        self.meet = MeetWriter(random.Random(f"{seed}:meet"), ids, truth)
        self.recall = RecallWriter(random.Random(f"{seed}:recall"), ids, truth, self.meet)
        self.truth, self.now = truth, now
        self.reused = False

    def play(self, series: Series, occurrence: Occurrence) -> None:
        key = meeting_key(series, occurrence)
        link = series.link
        facts: dict[str, Any] = {
            "event_id": occurrence.instance_id,
            "ical_uid": series.ical_uid,
            "summary": series.summary,
            "kind": series.kind,
            "start": rfc3339(occurrence.start),
            "end": rfc3339(occurrence.end),
            "platform": link.platform if link else None,
            "status": "cancelled" if occurrence.cancelled else "confirmed",
            "invitees": [invite.member.email for invite in series.invites],
            "room": series.room.resource.email if series.room else None,
            "recorded": series.recorded,
        }
        self.truth.meeting(key, facts)
        if occurrence.cancelled or link is None:
            return
        call = self.presence.call(series, occurrence)
        facts.update(happened=call.happened, no_shows=call.no_shows, in_room=call.in_room)
        fatal = series.recorded and call.happened and series.kind != "platform_showcase" and self.rng.random() < 0.02
        if link.platform == "google_meet":
            plain = call.happened and not series.recorded and len(call.attendees) >= 3
            if plain and (self.presence.restarts == 0 or self.rng.random() < 0.01):
                self.presence.restart(call)
                facts["restarted"] = True
            if series.recorded and call.happened and call.attendees and not fatal:
                bot = Attendee(
                    "bot", None, False, [(call.start - timedelta(minutes=1), call.end)], cases=["recall_bot"]
                )
                bot.name = BOT_NAME
                call.attendees.append(bot)
            facts["conference_records"] = self.meet.write(call)
            if facts["conference_records"] and not self.reused and not series.recorded:
                facts["code_reused_by"] = self.meet.reused_code(call, self.now)
                self.reused = True
        elif not series.recorded:
            facts["participants_unavailable"] = True
        if series.recorded:
            facts["bot"] = self.recall.write(call, fatal=fatal)
            facts["bot_failed"] = fatal


def make_plan(rng: random.Random, ids: Ids, org: Org, period: Period, recall_share: float) -> list[Series]:
    """Every event of the organisation: recurring series, the hard cases, then one-off meetings."""
    scheduler = Scheduler(rng, ids, org, period, recall_share)
    scheduler.recurring()
    add_hard_cases(scheduler)
    scheduler.adhoc()
    return scheduler.series


def generate(
    users: int, days: int, seed: int, recall_share: float = 0.25, now: datetime = DEFAULT_NOW
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario and its ground truth (see docs/sandbox/generator.md)."""
    if users < 2:
        raise ValueError("users must be at least 2")
    if days < 1:
        raise ValueError("days must be at least 1")
    if not 0.0 <= recall_share <= 1.0:
        raise ValueError("recall_share must be between 0 and 1")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    ids = Ids(seed)
    org = make_org(random.Random(f"{seed}:org"), ids, users)
    period = period_for(now, days)
    plan = make_plan(random.Random(f"{seed}:plan"), ids, org, period, recall_share)
    calendars = CalendarWriter(ids, org)
    for series in plan:
        calendars.write(series)
    truth = Truth()
    player = _Player(seed, ids, org, now, truth)
    slots = sorted(((o.start, s.number, n) for s in plan for n, o in enumerate(s.occurrences)))
    for _start, number, position in slots:
        player.play(plan[number], plan[number].occurrences[position])
    scenario: dict[str, Any] = {
        "sandbox": {"now": rfc3339(now)},
        "calendars": calendars.section(),
        "people": people_section(org),
        "directory_users": directory_section(org, random.Random(f"{seed}:directory")),
        "meet": player.meet.section(),
        "recall": player.recall.section(),
    }
    header = {
        "format": FORMAT_VERSION,
        "generator": {"users": users, "days": days, "seed": seed, "recall_share": recall_share, "now": rfc3339(now)},
        "organisation": _organisation(org, period),
        "sizes": {
            "calendars": len(org.users),
            "events": len(plan),
            "event_copies": calendars.copies,
            "occurrences": len(slots),
            "conference_records": len(player.meet.records),
            "meet_participants": sum(len(record["participants"]) for record in player.meet.records),
            "bots": len(player.recall.bots),
            "recall_participants": sum(len(bot.get("participants", [])) for bot in player.recall.bots),
        },
    }
    return scenario, truth.document(header)


def _organisation(org: Org, period: Period) -> dict[str, Any]:
    return {
        "domain": org.domain,
        "email_pattern": org.pattern,
        "period": {"start": rfc3339(period.start), "end": rfc3339(period.end)},
        "users": len(org.users),
        "externals": len(org.externals),
        "rooms": [room.resource.email for room in org.rooms],
        "invisible_in_people": sorted(m.email for m in org.users if m.visibility == "invisible"),
        "missing_from_directory": sorted(m.email for m in org.users if m.visibility == "people_only"),
        "namesakes": [[org.users[a].email, org.users[b].email] for a, b in org.namesakes],
        "external_namesakes": [[org.externals[a].email, org.externals[b].email] for a, b in org.external_namesakes],
        "given_name_twins": [[org.externals[a].email, org.externals[b].email] for a, b in org.given_twins],
    }


def dumps(document: dict[str, Any]) -> str:
    """Compact, UTF-8, key order as built: byte-identical for identical input."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def write(scenario: dict[str, Any], truth: dict[str, Any], output: Path, truth_path: Path | None = None) -> Path:
    """Write both files; the truth goes to ``truth_path`` or ``<output stem>.truth.json``."""
    target = truth_path or truth_file_for(output)
    output.write_text(dumps(scenario), encoding="utf-8")
    target.write_text(dumps(truth), encoding="utf-8")
    return target


def truth_file_for(output: Path) -> Path:
    name = output.name[: -len(".json")] if output.name.endswith(".json") else output.name
    return output.with_name(f"{name}.truth.json")


__all__ = ["DEFAULT_NOW", "FORMAT_VERSION", "dumps", "generate", "make_plan", "period_for", "truth_file_for", "write"]
