"""Conferences (one meeting instance from one participant source), participants and sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from mapper.store.tables.base import Table, json_field, when


class Conference(Table, table=True):
    """One meeting instance as one source saw it: a Meet conference record or a Recall bot."""

    __tablename__ = "conference"
    __table_args__ = (UniqueConstraint("source", "source_key"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str  # meet | recall
    source_key: str  # conferenceRecords/{id} | Recall bot id
    event_pk: int | None = Field(default=None, foreign_key="calendar_event.id", ondelete="SET NULL", index=True)
    platform: str | None = None  # google_meet | zoom | microsoft_teams | webex | ...
    meeting_code: str | None = Field(default=None, index=True)  # Meet code / platform meeting id
    space_name: str | None = None  # Meet spaces/{id}
    start_at: datetime | None = when(index=True)
    end_at: datetime | None = when()
    status: str | None = None  # ended | active | a Recall bot status code
    participants_digest: str | None = None  # set by sync: changes when participants change
    resolved_digest: str | None = None  # set by resolve: the inputs it last resolved
    resolved_at: datetime | None = when()
    fetched_at: datetime | None = when()
    extra: dict[str, object] = json_field()


class Participant(Table, table=True):
    """Somebody (or something) in a conference, as the source reported them."""

    __tablename__ = "participant"

    id: int | None = Field(default=None, primary_key=True)
    conference_pk: int = Field(foreign_key="conference.id", ondelete="CASCADE", index=True)
    source_key: str = Field(unique=True)  # Meet participant name | recall:{bot_id}:{participant_id}
    kind: str = "unknown"  # signed_in | anonymous | phone | room | bot | unknown
    display_name: str | None = None
    name_key: str | None = Field(default=None, index=True)  # the matcher's normalised display name (set by resolve)
    user_id: str | None = Field(default=None, index=True)  # Meet signedinUser.user, e.g. users/123
    stable_id: str | None = Field(default=None, index=True)  # platform stable id, e.g. zoom:conf_user_id
    is_host: bool | None = None
    email_hint: str | None = None  # an email the source itself gave (e.g. Recall calendar integration)
    platform: str | None = None  # Recall participant platform: desktop | dial-in | unknown
    first_join_at: datetime | None = when()
    last_leave_at: datetime | None = when()
    extra: dict[str, object] = json_field()


class ParticipantSession(Table, table=True):
    """One continuous presence of a participant (join to leave)."""

    __tablename__ = "participant_session"

    id: int | None = Field(default=None, primary_key=True)
    participant_pk: int = Field(foreign_key="participant.id", ondelete="CASCADE", index=True)
    source_key: str = Field(unique=True)  # Meet session name | recall:{bot}:{participant}:{n}
    start_at: datetime | None = when()
    end_at: datetime | None = when()


__all__ = ["Conference", "Participant", "ParticipantSession"]
