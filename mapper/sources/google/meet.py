"""Google Meet REST v2: conference records, participants and their sessions as mapper's objects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from mapper.errors import DataError
from mapper.sources.google.api import GoogleApi, Resource
from mapper.sources.google.paging import pages

RECORDS_PAGE = 100  # the documented maximum
PARTICIPANTS_PAGE = 250
SESSIONS_PAGE = 250
_CODE = re.compile(r"^[a-z]+-[a-z]+-[a-z]+$")


@dataclass(frozen=True)
class ConferenceRecord:
    name: str  # conferenceRecords/{id}
    space_name: str | None
    start_at: datetime
    end_at: datetime | None  # None while the conference is ongoing


@dataclass(frozen=True)
class MeetParticipant:
    name: str  # conferenceRecords/{cr}/participants/{p}
    kind: str  # signed_in | anonymous | phone
    display_name: str | None
    user_id: str | None  # signedinUser.user, "users/{id}"
    earliest_start_at: datetime | None
    latest_end_at: datetime | None  # None while still in the call


@dataclass(frozen=True)
class MeetSession:
    name: str
    start_at: datetime | None
    end_at: datetime | None


T = TypeVar("T")


@dataclass
class Listing(Generic[T]):
    items: list[T] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _time(item: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> datetime | None:
    value = item.get(key)
    if value is None:
        if required:
            raise DataError("is required", path=f"{path}.{key}")
        return None
    if not isinstance(value, str):
        raise DataError(f"must be an RFC 3339 string, got {type(value).__name__}", path=f"{path}.{key}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DataError(f"is not RFC 3339: {value!r}", path=f"{path}.{key}") from None
    if moment.tzinfo is None:
        raise DataError(f"has no offset: {value!r}", path=f"{path}.{key}")
    return moment.astimezone(UTC)


def _name(item: Any, path: str, prefix: str) -> str:
    if not isinstance(item, Mapping):
        raise DataError("must be an object", path=path)
    name = item.get("name")
    if not isinstance(name, str) or not name.startswith(prefix):
        raise DataError(f"name must start with {prefix!r}, got {name!r}", path=path)
    return name


def record_from_api(item: Any, path: str = "conferenceRecord") -> ConferenceRecord:
    name = _name(item, path, "conferenceRecords/")
    space = item.get("space")
    start = _time(item, "startTime", path, required=True)
    assert start is not None
    return ConferenceRecord(
        name=name,
        space_name=space if isinstance(space, str) else None,
        start_at=start,
        end_at=_time(item, "endTime", path),
    )


_KINDS = {"signedinUser": "signed_in", "anonymousUser": "anonymous", "phoneUser": "phone"}


def participant_from_api(item: Any, path: str = "participant") -> MeetParticipant:
    name = _name(item, path, "conferenceRecords/")
    present = [key for key in _KINDS if key in item]
    if len(present) != 1:
        raise DataError(f"needs exactly one of signedinUser, anonymousUser, phoneUser, got {present}", path=path)
    key = present[0]
    user = item[key]
    if not isinstance(user, Mapping):
        raise DataError("must be an object", path=f"{path}.{key}")
    display = user.get("displayName")
    user_id = user.get("user") if key == "signedinUser" else None
    if user_id is not None and (not isinstance(user_id, str) or not user_id.startswith("users/")):
        raise DataError(f"must look like users/{{id}}, got {user_id!r}", path=f"{path}.{key}.user")
    return MeetParticipant(
        name=name,
        kind=_KINDS[key],
        display_name=display if isinstance(display, str) else None,
        user_id=user_id,
        earliest_start_at=_time(item, "earliestStartTime", path),
        latest_end_at=_time(item, "latestEndTime", path),
    )


def session_from_api(item: Any, path: str = "participantSession") -> MeetSession:
    return MeetSession(
        name=_name(item, path, "conferenceRecords/"),
        start_at=_time(item, "startTime", path),
        end_at=_time(item, "endTime", path),
    )


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _items(body: Mapping[str, Any], key: str, what: str) -> list[Any]:
    items = body.get(key, [])
    if not isinstance(items, list):
        raise DataError(f"{key} must be an array", path=what)
    return items


class MeetClient:
    def __init__(self, api: GoogleApi, *, page_size: int | None = None) -> None:
        """``page_size`` lowers every list's page size (tests exercise paging with it)."""
        self._api = api
        self._records_page = min(page_size or RECORDS_PAGE, RECORDS_PAGE)
        self._participants_page = min(page_size or PARTICIPANTS_PAGE, PARTICIPANTS_PAGE)
        self._sessions_page = min(page_size or SESSIONS_PAGE, SESSIONS_PAGE)

    def records(
        self, meeting_code: str, *, started_after: datetime, started_before: datetime, subject: str | None = None
    ) -> Listing[ConferenceRecord]:
        """Conference records of the meeting code that started inside the window (codes are reused)."""
        code = meeting_code.strip().lower()
        if not _CODE.match(code):
            raise DataError(f"not a Meet meeting code: {meeting_code!r}")
        query = (
            f'space.meeting_code = "{code}" AND start_time >= "{_rfc3339(started_after)}"'
            f' AND start_time <= "{_rfc3339(started_before)}"'
        )

        def make(resource: Resource, token: str | None) -> Any:
            return resource.conferenceRecords().list(filter=query, pageSize=self._records_page, pageToken=token)

        listing: Listing[ConferenceRecord] = Listing()
        for body in pages(self._api, make, subject=subject, what=f"meet.conferenceRecords.list {code}"):
            for index, item in enumerate(_items(body, "conferenceRecords", "conferenceRecords")):
                try:
                    listing.items.append(record_from_api(item, f"conferenceRecords[{index}]"))
                except DataError as exc:
                    listing.problems.append(str(exc))
        return listing

    def participants(self, record: str, *, subject: str | None = None) -> Listing[MeetParticipant]:
        def make(resource: Resource, token: str | None) -> Any:
            return (
                resource.conferenceRecords()
                .participants()
                .list(parent=record, pageSize=self._participants_page, pageToken=token)
            )

        listing: Listing[MeetParticipant] = Listing()
        for body in pages(self._api, make, subject=subject, what=f"meet.participants.list {record}"):
            for index, item in enumerate(_items(body, "participants", record)):
                try:
                    listing.items.append(participant_from_api(item, f"{record}.participants[{index}]"))
                except DataError as exc:
                    listing.problems.append(str(exc))
        return listing

    def sessions(self, participant: str, *, subject: str | None = None) -> Listing[MeetSession]:
        def make(resource: Resource, token: str | None) -> Any:
            return (
                resource.conferenceRecords()
                .participants()
                .participantSessions()
                .list(parent=participant, pageSize=self._sessions_page, pageToken=token)
            )

        listing: Listing[MeetSession] = Listing()
        for body in pages(self._api, make, subject=subject, what=f"meet.participantSessions.list {participant}"):
            for index, item in enumerate(_items(body, "participantSessions", participant)):
                try:
                    listing.items.append(session_from_api(item, f"{participant}.participantSessions[{index}]"))
                except DataError as exc:
                    listing.problems.append(str(exc))
        return listing


__all__ = [
    "ConferenceRecord",
    "Listing",
    "MeetClient",
    "MeetParticipant",
    "MeetSession",
    "participant_from_api",
    "record_from_api",
    "session_from_api",
]
