"""A tiny store world for resolve / correction / lookup tests: rows as sync writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from mapper.clock import FixedClock
from mapper.config import Settings
from mapper.sources.factory import Sources
from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import (
    Calendar,
    CalendarEvent,
    Conference,
    Invitee,
    Participant,
    ParticipantSession,
    PersonCache,
)
from mapper.sync.context import JobContext

T0 = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)
SETTINGS = Settings(google={"credentials": "none"})

INVITEES = [
    {"email": "lena.park@acme.example", "display_name": "Lena Park", "response_status": "accepted", "organizer": True},
    {"email": "omar.haddad@acme.example", "display_name": "Omar Haddad", "response_status": "accepted"},
    {"email": "kim.nguyen@partner.example", "display_name": None, "response_status": "needsAction"},
    {"email": "zed@partner.example", "display_name": None, "response_status": "accepted"},
]


def context(engine: Engine, now: datetime = T0 + timedelta(days=1)) -> JobContext:
    return JobContext(engine=engine, settings=SETTINGS, clock=FixedClock(now), sources=Sources(SETTINGS))


@dataclass
class Builder:
    engine: Engine
    calendar_pk: int = 0
    events: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        with session_scope(self.engine) as session:
            self.calendar_pk = upsert(
                session, Calendar, {"calendar_id": "lena.park@acme.example"}, keys=["calendar_id"]
            )

    def event(
        self,
        event_id: str,
        start: datetime,
        invitees: list[dict[str, Any]],
        code: str = "kqp-zmtr-wvx",
        digest: str = "inv-1",
    ) -> int:
        with session_scope(self.engine) as session:
            pk = upsert(
                session,
                CalendarEvent,
                {
                    "calendar_pk": self.calendar_pk,
                    "event_id": event_id,
                    "meeting_key": f"{event_id}@g|{start}",
                    "summary": f"Meeting {event_id}",
                    "start_at": start,
                    "end_at": start + timedelta(hours=1),
                    "organizer_email": "lena.park@acme.example",
                    "conference_platform": "google_meet",
                    "conference_id": code,
                    "invitees_digest": digest,
                },
                keys=["calendar_pk", "event_id"],
            )
            upsert_many(session, Invitee, [{"event_pk": pk, **row} for row in invitees], keys=["event_pk", "email"])
        self.events[event_id] = pk
        return pk

    def conference(
        self,
        key: str,
        event_pk: int | None,
        start: datetime,
        participants: list[dict[str, Any]],
        code: str = "kqp-zmtr-wvx",
        digest: str = "p-1",
    ) -> int:
        with session_scope(self.engine) as session:
            pk = upsert(
                session,
                Conference,
                {
                    "source": "meet",
                    "source_key": key,
                    "event_pk": event_pk,
                    "platform": "google_meet",
                    "meeting_code": code,
                    "start_at": start,
                    "end_at": start + timedelta(hours=1),
                    "status": "ended",
                    "participants_digest": digest,
                },
                keys=["source", "source_key"],
            )
            for index, row in enumerate(participants):
                sessions = row.pop("sessions", [(0, 60)])
                ppk = upsert(
                    session,
                    Participant,
                    {"conference_pk": pk, "source_key": f"{key}/participants/{index}", **row},
                    keys=["source_key"],
                )
                for number, (begin, end) in enumerate(sessions):
                    upsert(
                        session,
                        ParticipantSession,
                        {
                            "participant_pk": ppk,
                            "source_key": f"{key}/participants/{index}/participantSessions/{number}",
                            "start_at": start + timedelta(minutes=begin),
                            "end_at": start + timedelta(minutes=end),
                        },
                        keys=["source_key"],
                    )
        return pk

    def person(self, user_id: str, email: str | None, now: datetime = T0) -> None:
        with session_scope(self.engine) as session:
            upsert(
                session,
                PersonCache,
                {
                    "user_id": user_id,
                    "email": email,
                    "source": "people_api" if email else None,
                    "visible": email is not None,
                    "fetched_at": now,
                    "expires_at": now + timedelta(days=7),
                },
                keys=["user_id"],
            )


def standard_participants() -> list[dict[str, Any]]:
    return [
        {"kind": "signed_in", "display_name": "Omar H.", "user_id": "users/1001"},
        {"kind": "anonymous", "display_name": "Lena Park (Guest)", "sessions": [(0, 20), (10, 50)]},
        {"kind": "anonymous", "display_name": "Kim Nguyen"},
        {"kind": "phone", "display_name": "+1 ***-***-4417"},
        {"kind": "anonymous", "display_name": "Zee"},  # only a human knows this is zed@
    ]


def dump(session: Session, model: type) -> list[dict[str, Any]]:
    rows = session.exec(select(model).order_by(model.id)).all()
    return [{k: v for k, v in row.model_dump().items() if k not in {"resolved_at"}} for row in rows]
