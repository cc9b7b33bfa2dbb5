"""A small organisation written straight into the store, with the report's known truth.

Week of 2025-03-03 (UTC).  Calendars of Ada and Bob.

* **Design review** (M1), Mon 15:00-16:00, organizer Ada, copied on Bob's calendar (Bob's copy has
  the lower id: the canonical copy must still be Ada's).  Observed by Meet *and* Recall.ai.
  Ada rejoined on two devices (overlapping sessions) and is seen by both sources; Bob only by
  Recall, Gus (not invited) only by Meet: a conflict.  Cy and the two Sams did not come (an
  ambiguous "Sam L" may be one of the Sams); Dee declined but came; Eve is optional and came;
  Fay declined and stayed away.  A room, a dial-in, a note-taker bot, an unresolved guest.
* **Vendor sync** (M2), Mon 17:00-17:30, Zoom, no conference collected: not observed.
* **Cancelled standup**, Mon 09:00: cancelled, never a meeting.
* **Weekly 1:1** series, Mon/Tue/Wed 10:00-10:30, organizer Bob: two observed occurrences.
* An unscheduled Meet conference on Tue 12:00 (Ada, plus a visitor not resolved yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import Calendar, CalendarEvent, Conference, Invitee, Mapping, Participant, ParticipantSession

DAY = datetime(2025, 3, 3, tzinfo=UTC)
NOW = datetime(2025, 3, 6, 8, 0, tzinfo=UTC)
M1 = "m1uid@google.com|2025-03-03T15:00:00Z"
M2 = "m2uid@google.com|2025-03-03T17:00:00Z"
S1, S2, S3 = (f"s1uid@google.com|2025-03-0{d}T10:00:00Z" for d in (3, 4, 5))
U1 = "conference:meet:conferenceRecords/u1"
SERIES = "weekly11"
ROOM = "c_boardroom@resource.calendar.google.com"


def at(hhmm: str, day: int = 3) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2025, 3, day, int(hours), int(minutes), tzinfo=UTC)


# What the report must say: meeting id -> {label (email, else participant name): category}.
TRUTH: dict[str, dict[str, str]] = {
    M1: {
        "ada@corp.example": "attended",
        "bob@corp.example": "attended",
        "cy@corp.example": "no_show",
        "dee@corp.example": "declined_attended",
        "eve@corp.example": "optional_attended",
        "fay@corp.example": "declined",
        "sam.lee@corp.example": "no_show",
        "sam.li@corp.example": "no_show",
        ROOM: "non_person",
        "gus@partner.example": "uninvited",
        "Sam L": "ambiguous",
        "Guest 4711": "unresolved",
        "+1 555-0100": "non_person",
        "Otter.ai Notetaker": "non_person",
    },
    M2: {"ada@corp.example": "not_observed", "cy@corp.example": "not_observed"},
    S1: {"bob@corp.example": "attended", "cy@corp.example": "attended"},
    S2: {"bob@corp.example": "attended", "cy@corp.example": "no_show"},
    S3: {"bob@corp.example": "not_observed", "cy@corp.example": "not_observed"},
    U1: {"ada@corp.example": "uninvited", "Visitor": "pending"},
}
# Presence in M1: (seconds present = union of sessions, presence spans, first join, last leave).
M1_PRESENCE = {
    "ada@corp.example": (3000, 2, at("15:00"), at("16:00")),
    "bob@corp.example": (3000, 1, at("15:05"), at("15:55")),
    "dee@corp.example": (1200, 1, at("15:10"), at("15:30")),
    "eve@corp.example": (3600, 1, at("15:00"), at("16:00")),
    "gus@partner.example": (1500, 1, at("15:20"), at("15:45")),
    ROOM: (4200, 1, at("14:55"), at("16:05")),
}

# Timeline bars (presence spans) per person of M1; everybody else there has none.
M1_BARS = {
    "ada@corp.example": 2,
    "bob@corp.example": 1,
    "dee@corp.example": 1,
    "eve@corp.example": 1,
    "gus@partner.example": 1,
    ROOM: 1,
    "Sam L": 1,
    "Guest 4711": 1,
    "+1 555-0100": 1,
    "Otter.ai Notetaker": 1,
}


@dataclass
class Writer:
    """Writes rows; ``participant`` takes sessions as ("HH:MM", "HH:MM" | None) pairs."""

    session: Session
    counter: int = 0
    ids: dict[str, int] = field(default_factory=dict)

    def calendar(self, calendar_id: str) -> int:
        return upsert(self.session, Calendar, {"calendar_id": calendar_id}, keys=["calendar_id"])

    def event(self, calendar: int, event_id: str, key: str, **values: Any) -> int:
        row = {"calendar_pk": calendar, "event_id": event_id, "meeting_key": key, "ical_uid": key.split("|")[0]}
        return upsert(self.session, CalendarEvent, {**row, **values}, keys=["calendar_pk", "event_id"])

    def invitees(self, event: int, *people: dict[str, Any]) -> None:
        rows = [{"display_name": None, "response_status": "accepted", **p, "event_pk": event} for p in people]
        columns = {key for row in rows for key in row}
        defaults = {"optional": False, "resource": False, "organizer": False, "display_name": None}
        full = [{c: row.get(c, defaults.get(c)) for c in sorted(columns | set(defaults))} for row in rows]
        upsert_many(self.session, Invitee, full, keys=["event_pk", "email"])

    def conference(self, source: str, key: str, event: int | None, start: datetime, end: datetime, **more: Any) -> int:
        values = {"source": source, "source_key": key, "event_pk": event, "start_at": start, "end_at": end, **more}
        return upsert(self.session, Conference, values, keys=["source", "source_key"])

    def participant(
        self,
        conference: int,
        name: str,
        kind: str,
        sessions: list[tuple[str, str | None]],
        *,
        day: int = 3,
        mapping: dict[str, Any] | None = None,
    ) -> int:
        self.counter += 1
        key = f"p{self.counter}"
        pk = upsert(
            self.session,
            Participant,
            {
                "conference_pk": conference,
                "source_key": key,
                "kind": kind,
                "display_name": name,
                "first_join_at": at(sessions[0][0], day),
                "last_leave_at": at(sessions[-1][1], day) if sessions[-1][1] else None,
            },
            keys=["source_key"],
        )
        for index, (start, end) in enumerate(sessions):
            values = {
                "participant_pk": pk,
                "source_key": f"{key}/s{index}",
                "start_at": at(start, day),
                "end_at": at(end, day) if end else None,
            }
            upsert(self.session, ParticipantSession, values, keys=["source_key"])
        if mapping is not None:
            values = {
                "participant_pk": pk,
                "email": None,
                "confidence": 1.0 if mapping.get("status") == "resolved" else 0.0,
                "candidates": [],
                "evidence": {},
                "person": None,
                "resolved_at": NOW,
                **mapping,
            }
            upsert(self.session, Mapping, values, keys=["participant_pk"])
        return pk


def resolved(
    email: str, method: str = "people_api", confidence: float = 1.0, person: str | None = None
) -> dict[str, Any]:
    return {"status": "resolved", "email": email, "method": method, "confidence": confidence, "person": person}


def write_scenario(engine: Engine) -> None:
    with session_scope(engine) as session:
        _write(Writer(session))


def _write(w: Writer) -> None:
    bob_cal = w.calendar("bob@corp.example")
    ada_cal = w.calendar("ada@corp.example")
    meet = {"conference_platform": "google_meet"}
    # M1: Bob's copy first (lowest id), then the organizer's own copy (canonical).
    m1 = {"summary": "Design review", "start_at": at("15:00"), "end_at": at("16:00"), **meet}
    m1 |= {"organizer_email": "ada@corp.example", "conference_id": "abc-defg-hij"}
    bob_copy = w.event(bob_cal, "m1", M1, **m1)
    w.invitees(bob_copy, {"email": "bob@corp.example"}, {"email": "ada@corp.example", "organizer": True})
    m1_pk = w.event(ada_cal, "m1", M1, **m1)
    w.invitees(
        m1_pk,
        {"email": "ada@corp.example", "display_name": "Ada Lovelace", "organizer": True},
        {"email": "bob@corp.example", "display_name": "Bob Stone"},
        {"email": "cy@corp.example", "display_name": "Cy Young"},
        {"email": "dee@corp.example", "display_name": "Dee Diaz", "response_status": "declined"},
        {"email": "eve@corp.example", "display_name": "Eve Evans", "optional": True, "response_status": "needsAction"},
        {"email": "fay@corp.example", "display_name": "Fay Fox", "response_status": "declined"},
        {"email": "sam.lee@corp.example", "display_name": "Sam Lee", "response_status": "tentative"},
        {"email": "sam.li@corp.example", "display_name": "Sam Li", "response_status": "needsAction"},
        {"email": ROOM, "display_name": "HQ-3-Boardroom (12)", "resource": True},
    )
    mc = w.conference("meet", "conferenceRecords/m1", m1_pk, at("15:00"), at("16:05"), meeting_code="abc-defg-hij")
    ada = resolved("ada@corp.example", person="g-ada")
    w.participant(mc, "Ada Lovelace", "signed_in", [("15:00", "15:20")], mapping=ada)
    w.participant(mc, "Ada Lovelace", "signed_in", [("15:18", "15:40"), ("15:50", "16:00")], mapping=ada)
    w.participant(
        mc, "Dee Diaz", "signed_in", [("15:10", "15:30")], mapping=resolved("dee@corp.example", "name_exact", 0.93)
    )
    w.participant(mc, "Eve Evans", "signed_in", [("15:00", "16:00")], mapping=resolved("eve@corp.example"))
    w.participant(mc, "Gus Grant", "signed_in", [("15:20", "15:45")], mapping=resolved("gus@partner.example"))
    ambiguous = {
        "status": "ambiguous",
        "method": "ambiguous",
        "confidence": 0.81,
        "person": "g-sam",
        "candidates": [
            {"email": "sam.li@corp.example", "score": 0.80},
            {"email": "sam.lee@corp.example", "score": 0.81},
        ],
        "evidence": {"reason": "two invitees fit 'Sam L' about equally well"},
    }
    w.participant(mc, "Sam L", "anonymous", [("15:02", "15:50")], mapping=ambiguous)
    unresolved = {"status": "unresolved", "method": "none", "evidence": {"reason": "no invitee resembles 'Guest 4711'"}}
    w.participant(mc, "Guest 4711", "anonymous", [("15:30", "15:35")], mapping=unresolved)
    room = resolved(ROOM, "room_resource", 0.95)
    w.participant(mc, "Boardroom", "room", [("14:55", "16:05")], mapping=room)
    w.participant(mc, "+1 555-0100", "phone", [("15:00", "15:10")], mapping={"status": "unresolved", "method": "none"})
    rc = w.conference("recall", "bot-1", m1_pk, at("15:00"), at("16:05"), platform="google_meet")
    w.participant(
        rc, "Ada Lovelace", "unknown", [("15:01", "15:39")], mapping=resolved("ada@corp.example", "exact_email")
    )
    w.participant(rc, "Bob Stone", "unknown", [("15:05", "15:55")], mapping=resolved("bob@corp.example", "exact_email"))
    w.participant(rc, "Dee Diaz", "unknown", [("15:12", "15:28")], mapping=resolved("dee@corp.example", "name_exact"))
    w.participant(rc, "Eve Evans", "unknown", [("15:00", "16:00")], mapping=resolved("eve@corp.example", "name_fuzzy"))
    bot = {"status": "not_a_person", "method": "not_a_person", "evidence": {"reason": "a note-taking bot"}}
    w.participant(rc, "Otter.ai Notetaker", "bot", [("15:00", "16:00")], mapping=bot)

    # M2: not observed.  Cancelled standup: excluded.
    m2 = {"summary": "Vendor sync", "start_at": at("17:00"), "end_at": at("17:30"), "conference_platform": "zoom"}
    m2_pk = w.event(ada_cal, "m2", M2, organizer_email="ada@corp.example", conference_id="81234567890", **m2)
    w.invitees(m2_pk, {"email": "ada@corp.example", "organizer": True}, {"email": "cy@corp.example"})
    cancelled = {"summary": "Cancelled standup", "start_at": at("09:00"), "end_at": at("09:15"), "status": "cancelled"}
    gone = w.event(
        ada_cal, "c1", "c1uid@google.com|2025-03-03T09:00:00Z", organizer_email="ada@corp.example", **cancelled
    )
    w.invitees(gone, {"email": "ada@corp.example"}, {"email": "bob@corp.example"})

    # The weekly 1:1 series on Bob's calendar.
    for day, key in ((3, S1), (4, S2), (5, S3)):
        series = {"summary": "Weekly 1:1", "start_at": at("10:00", day), "end_at": at("10:30", day), **meet}
        series |= {"recurring_event_id": SERIES, "organizer_email": "bob@corp.example", "conference_id": "one-ones-abc"}
        pk = w.event(bob_cal, f"{SERIES}_2025030{day}", key, **series)
        w.invitees(pk, {"email": "bob@corp.example", "organizer": True}, {"email": "cy@corp.example"})
        if day == 5:
            continue
        conf = w.conference("meet", f"conferenceRecords/s{day}", pk, at("10:00", day), at("10:30", day))
        w.participant(
            conf,
            "Bob Stone",
            "signed_in",
            [("10:00", "10:30" if day == 3 else "10:25")],
            day=day,
            mapping=resolved("bob@corp.example"),
        )
        if day == 3:
            w.participant(
                conf, "Cy Young", "signed_in", [("10:02", "10:30")], day=day, mapping=resolved("cy@corp.example")
            )

    # An unscheduled conference: Ada (session still open: ends with the conference) and a pending visitor.
    uc = w.conference("meet", "conferenceRecords/u1", None, at("12:00", 4), at("12:30", 4), meeting_code="xyz-abcd-efg")
    w.participant(uc, "Ada Lovelace", "signed_in", [("12:00", None)], day=4, mapping=resolved("ada@corp.example"))
    w.participant(uc, "Visitor", "anonymous", [("12:10", "12:20")], day=4)


__all__ = [
    "DAY",
    "M1",
    "M1_BARS",
    "M1_PRESENCE",
    "M2",
    "NOW",
    "ROOM",
    "S1",
    "S2",
    "S3",
    "SERIES",
    "TRUTH",
    "U1",
    "at",
    "write_scenario",
]
