"""People v1 (``people.getBatchGet``) and Admin Directory (``users.get``): Google user id → email."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mapper.errors import DataError, NotFoundError
from mapper.sources.google.api import GoogleApi

BATCH_LIMIT = 200  # people.getBatchGet accepts at most 200 resource names


@dataclass(frozen=True)
class Profile:
    user_id: str  # the numeric id (no users/ or people/ prefix)
    email: str | None  # None: the profile exists but shows no email to this caller
    display_name: str | None
    source: str  # people_api | directory


def user_number(user: str) -> str:
    """``users/123`` / ``people/123`` / ``123`` → ``123``."""
    return user.rsplit("/", 1)[-1]


def _primary(entries: Any, value_key: str) -> str | None:
    if not isinstance(entries, list):
        return None
    values = [entry for entry in entries if isinstance(entry, Mapping) and isinstance(entry.get(value_key), str)]
    for entry in values:
        metadata = entry.get("metadata")
        if isinstance(metadata, Mapping) and metadata.get("primary") is True:
            return str(entry[value_key])
    return str(values[0][value_key]) if values else None


def profile_from_person(user_id: str, person: Any, path: str = "person") -> Profile:
    if not isinstance(person, Mapping):
        raise DataError("must be an object", path=path)
    email = _primary(person.get("emailAddresses"), "value")
    return Profile(
        user_id=user_id,
        email=email.strip().lower() if email else None,
        display_name=_primary(person.get("names"), "displayName"),
        source="people_api",
    )


def profile_from_directory_user(user_id: str, user: Any, path: str = "user") -> Profile:
    if not isinstance(user, Mapping):
        raise DataError("must be an object", path=path)
    email = user.get("primaryEmail")
    name = user.get("name")
    full = name.get("fullName") if isinstance(name, Mapping) else None
    return Profile(
        user_id=user_id,
        email=email.strip().lower() if isinstance(email, str) and email else None,
        display_name=full if isinstance(full, str) else None,
        source="directory",
    )


class PeopleClient:
    def __init__(self, api: GoogleApi) -> None:
        self._api = api

    def batch_get(self, user_ids: Sequence[str], *, subject: str | None = None) -> dict[str, Profile | None]:
        """Profiles by numeric id, ≤ 200 per call; None for ids People does not know or show."""
        numbers = list(dict.fromkeys(user_number(user) for user in user_ids))
        found: dict[str, Profile | None] = {}
        for start in range(0, len(numbers), BATCH_LIMIT):
            chunk = numbers[start : start + BATCH_LIMIT]
            names = [f"people/{number}" for number in chunk]

            def request(resource: Any, names: list[str] = names) -> Any:
                return resource.people().getBatchGet(resourceNames=names, personFields="names,emailAddresses")

            body = self._api.execute(request, subject=subject, what=f"people.getBatchGet ({len(names)} names)")
            responses = body.get("responses", [])
            if not isinstance(responses, list):
                raise DataError("responses must be an array", path="people.getBatchGet")
            for index, response in enumerate(responses):
                if not isinstance(response, Mapping):
                    continue
                number = user_number(str(response.get("requestedResourceName") or ""))
                status = response.get("status")
                code = status.get("code", 0) if isinstance(status, Mapping) else 0
                person = response.get("person")
                if code or person is None:
                    found[number] = None
                else:
                    found[number] = profile_from_person(number, person, f"people.getBatchGet.responses[{index}]")
            for number in chunk:
                found.setdefault(number, None)
        return found


class DirectoryClient:
    def __init__(self, api: GoogleApi) -> None:
        self._api = api

    def user(self, user_id: str, *, subject: str | None = None) -> Profile | None:
        """The Directory user with this id, or None when it does not exist for this customer."""
        number = user_number(user_id)
        try:
            body = self._api.execute(
                lambda resource: resource.users().get(userKey=number, viewType="domain_public"),
                subject=subject,
                what=f"directory.users.get {number}",
            )
        except NotFoundError:
            return None
        return profile_from_directory_user(number, body, f"directory.users[{number}]")


__all__ = ["BATCH_LIMIT", "DirectoryClient", "PeopleClient", "Profile", "user_number"]
