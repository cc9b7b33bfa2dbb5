"""Calendar v3 events on every user's calendar, copied the way Google copies invitations.

Each internal invitee (declined ones too) holds a copy of the event: same ``id`` and
``iCalUID``, ``organizer`` the organizer (``self`` on the organizer's copy), ``self: true`` on
the owner's attendee entry, whose ``displayName`` is left out as Calendar does.  Events
organised outside the company exist only as the internal invitees' copies.  A recurring series is
its parent (``recurrence`` RRULE, UTC times) plus one exception per changed occurrence: a moved
one (full event, ``recurringEventId`` + ``originalStartTime``) or a cancelled one (only ``id``,
``recurringEventId``, ``originalStartTime``, ``status``).  Every user has a calendar, even an
empty one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.links import invitation_text, meet_conference, zoom_conference
from mapper.sandbox.generate.org import Member, Org
from mapper.sandbox.generate.plan import Invite, Occurrence, Series


def calendar_time(moment: datetime, millis: bool = False) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond // 1000:03d}Z" if millis else "Z")


def _when(moment: datetime) -> dict[str, str]:
    return {"dateTime": calendar_time(moment), "timeZone": "UTC"}


def _person(member: Member) -> dict[str, Any]:
    entry: dict[str, Any] = {"email": member.email}
    if member.person.calendar_display_name:
        entry["displayName"] = member.person.calendar_display_name
    return entry


class CalendarWriter:
    def __init__(self, ids: Ids, org: Org) -> None:
        self.ids = ids
        self.calendars: dict[str, list[dict[str, Any]]] = {member.email: [] for member in org.users}
        self.copies = 0

    def _base(self, series: Series) -> dict[str, Any]:
        base: dict[str, Any] = {
            "kind": "calendar#event",
            "etag": f'"{self.ids.digits("etag", series.number, length=16)}"',
            "id": series.event_id,
            "status": "cancelled" if series.cancelled else "confirmed",
            "created": calendar_time(series.created, millis=True),
            "updated": calendar_time(series.created.replace(microsecond=series.number % 1000 * 1000), millis=True),
            "summary": series.summary,
        }
        link = series.link
        if series.room is not None:
            base["location"] = series.room.resource.display_name
        if (
            link is not None
            and link.platform != "google_meet"
            and (series.external_organizer or link.platform == "microsoft_teams")
        ):
            location, description = invitation_text(link, series.organizer.person.account_name)
            base["location"] = ", ".join(filter(None, (base.get("location"), location)))
            base["description"] = description
        base["creator"] = _person(series.organizer)
        base["organizer"] = _person(series.organizer)
        base["start"], base["end"] = _when(series.start), _when(series.start + series.duration)
        if series.rrule:
            base["recurrence"] = [series.rrule]
        base["iCalUID"] = series.ical_uid
        base["sequence"] = 0
        if link is not None and link.platform == "google_meet":
            base["hangoutLink"] = link.url
            base["conferenceData"] = meet_conference(link)
        elif link is not None and link.platform == "zoom" and not series.external_organizer:
            base["conferenceData"] = zoom_conference(link)
        base["eventType"] = "default"
        return base

    def _attendees(self, series: Series, owner: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for invite in series.invites:
            out.append(self._attendee(series, invite, owner))
        if series.room is not None:
            room = series.room.resource
            out.append(
                {"email": room.email, "displayName": room.display_name, "resource": True, "responseStatus": "accepted"}
            )
        return out

    @staticmethod
    def _attendee(series: Series, invite: Invite, owner: str) -> dict[str, Any]:
        member = invite.member
        entry: dict[str, Any] = {"email": member.email} if member.email == owner else _person(member)
        if member is series.organizer:
            entry["organizer"] = True
        if member.email == owner:
            entry["self"] = True
        if invite.optional:
            entry["optional"] = True
        entry["responseStatus"] = invite.response
        if invite.additional_guests:
            entry["additionalGuests"] = invite.additional_guests
        return entry

    def _copy(self, base: dict[str, Any], series: Series, owner: str) -> dict[str, Any]:
        event = dict(base)
        if series.organizer.email == owner:
            event["creator"] = {**base["creator"], "self": True}
            event["organizer"] = {**base["organizer"], "self": True}
        event["attendees"] = self._attendees(series, owner)
        return event

    def _exception(self, base: dict[str, Any], series: Series, occurrence: Occurrence) -> dict[str, Any]:
        original = _when(occurrence.original_start)
        if occurrence.cancelled:
            return {
                "kind": "calendar#event",
                "etag": f'"{self.ids.digits("etag", occurrence.instance_id, length=16)}"',
                "id": occurrence.instance_id,
                "status": "cancelled",
                "recurringEventId": series.event_id,
                "originalStartTime": original,
            }
        event = {key: value for key, value in base.items() if key != "recurrence"}
        event["etag"] = f'"{self.ids.digits("etag", occurrence.instance_id, length=16)}"'
        event["id"] = occurrence.instance_id
        event["start"], event["end"] = _when(occurrence.start), _when(occurrence.end)
        event["recurringEventId"] = series.event_id
        event["originalStartTime"] = original
        event["sequence"] = 1
        return event

    def write(self, series: Series) -> None:
        base = self._base(series)
        exceptions = []
        if series.rrule and not series.cancelled:
            exceptions = [self._exception(base, series, o) for o in series.occurrences if o.cancelled or o.moved]
        owners = dict.fromkeys(invite.member.email for invite in series.invites if invite.member.internal)
        for owner in owners:
            copy = self._copy(base, series, owner)
            events = self.calendars[owner]
            events.append(copy)
            for exception in exceptions:
                events.append(
                    self._copy(exception, series, owner)
                    if "attendees" in copy and "summary" in exception
                    else exception
                )
            self.copies += 1 + len(exceptions)

    def section(self) -> dict[str, Any]:
        return {owner: {"events": events} for owner, events in self.calendars.items()}


__all__ = ["CalendarWriter", "calendar_time"]
