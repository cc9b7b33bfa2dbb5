"""Calendars, their sync state, events and invitees (from Google Calendar)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from mapper.store.tables.base import Table, json_field, when


class Calendar(Table, table=True):
    """A configured calendar and its incremental-sync state."""

    __tablename__ = "calendar"

    id: int | None = Field(default=None, primary_key=True)
    calendar_id: str = Field(unique=True)
    subject: str | None = None  # user impersonated to read it
    sync_token: str | None = None
    full_synced_at: datetime | None = when()
    synced_at: datetime | None = when()


class CalendarEvent(Table, table=True):
    """One event (or one instance of a recurring series) as seen on one calendar."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("calendar_pk", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    calendar_pk: int = Field(foreign_key="calendar.id", ondelete="CASCADE", index=True)
    event_id: str
    # The meeting instance across every calendar holding a copy: "{iCalUID}|{original start}".
    meeting_key: str | None = Field(default=None, index=True)
    ical_uid: str | None = Field(default=None, index=True)
    recurring_event_id: str | None = Field(default=None, index=True)
    status: str = "confirmed"  # confirmed | tentative | cancelled
    summary: str | None = None
    start_at: datetime | None = when(index=True)
    end_at: datetime | None = when()
    original_start_at: datetime | None = when()  # instances of a series: their slot in the series
    all_day: bool = False
    organizer_email: str | None = Field(default=None, index=True)
    conference_platform: str | None = None  # google_meet | zoom | microsoft_teams | webex | ...
    conference_id: str | None = Field(default=None, index=True)  # meeting code / meeting id / thread id
    attendees_omitted: bool = False
    invitees_digest: str | None = None  # changes whenever the invitee list changes (drives re-resolution)
    html_link: str | None = None
    updated_at: datetime | None = when()  # the event's `updated`
    synced_at: datetime | None = when()


class Invitee(Table, table=True):
    """An attendee of an event, as the organizer invited them."""

    __tablename__ = "invitee"
    __table_args__ = (UniqueConstraint("event_pk", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    event_pk: int = Field(foreign_key="calendar_event.id", ondelete="CASCADE", index=True)
    email: str = Field(index=True)  # normalised: stripped, lower case
    display_name: str | None = None
    response_status: str | None = None  # needsAction | declined | tentative | accepted
    optional: bool = False
    resource: bool = False
    organizer: bool = False
    is_self: bool = False


class EventCollection(Table, table=True):
    """Progress of collecting one event's conference from one participant source (Meet, Recall)."""

    __tablename__ = "event_collection"
    __table_args__ = (UniqueConstraint("event_pk", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    event_pk: int = Field(foreign_key="calendar_event.id", ondelete="CASCADE", index=True)
    source: str  # meet | recall
    status: str = "pending"  # pending | found | gave_up | failed
    attempts: int = 0
    last_attempt_at: datetime | None = when()
    last_error: str | None = None
    detail: dict[str, object] = json_field()


__all__ = ["Calendar", "CalendarEvent", "EventCollection", "Invitee"]
