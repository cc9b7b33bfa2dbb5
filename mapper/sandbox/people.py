"""People API v1 emulator: ``people.get`` and ``people.getBatchGet``.

Scenario section ``people``: a list of Person resources (``resourceName`` ``people/{id}``,
``names[]``, ``emailAddresses[]``, ``metadata``...).  A Meet participant ``users/{id}`` is the
person ``people/{id}`` (same id), as Meet documents the id to be interoperable with People.

Quirks mirrored:
- ``personFields`` is required (400 with Google's message), unknown paths are 400, and only the
  requested fields plus ``resourceName`` and ``etag`` are served; the deprecated
  ``requestMask.includeField`` (``person.names``) is accepted instead.
- ``sources`` (repeatable ReadSourceType, default PROFILE + CONTACT) is validated; field values
  whose ``metadata.source.type`` the requested sources do not yield are left out
  (PROFILE yields ACCOUNT, PROFILE and DOMAIN_PROFILE).
- A person whose email the caller may not see is simply a Person without ``emailAddresses``.
- ``people/me`` is the person whose primary email is the token's subject (DWD); none → 404.
- batchGet: 1..200 names, answers in request order with a per-item ``status`` (code 5 NOT_FOUND,
  code 3 INVALID_ARGUMENT for a name that is not ``people/...``) inside a 200; a name listed in a
  person's ``metadata.previousResourceNames`` resolves to that person, so ``requestedResourceName``
  differs from ``person.resourceName``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mapper.sandbox.auth import Token
from mapper.sandbox.envelopes import rpc_error
from mapper.sandbox.http import ApiError, Request, Response, Router
from mapper.sandbox.meet.common import camel, method_spec, reject_unknown_params, stable_id
from mapper.sandbox.meet.fields import partial_response
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, fail
from mapper.sandbox.world import EmulatedApi

PERSON_FIELDS = (
    "addresses",
    "ageRanges",
    "biographies",
    "birthdays",
    "calendarUrls",
    "clientData",
    "coverPhotos",
    "emailAddresses",
    "events",
    "externalIds",
    "genders",
    "imClients",
    "interests",
    "locales",
    "locations",
    "memberships",
    "metadata",
    "miscKeywords",
    "names",
    "nicknames",
    "occupations",
    "organizations",
    "phoneNumbers",
    "photos",
    "relations",
    "sipAddresses",
    "skills",
    "urls",
    "userDefined",
)

#: Which ``Source.type`` values each ReadSourceType yields.
READ_SOURCES = {
    "READ_SOURCE_TYPE_PROFILE": frozenset({"ACCOUNT", "PROFILE", "DOMAIN_PROFILE"}),
    "READ_SOURCE_TYPE_CONTACT": frozenset({"CONTACT"}),
    "READ_SOURCE_TYPE_DOMAIN_CONTACT": frozenset({"DOMAIN_CONTACT"}),
    "READ_SOURCE_TYPE_OTHER_CONTACT": frozenset({"OTHER_CONTACT"}),
}
DEFAULT_SOURCES = READ_SOURCES["READ_SOURCE_TYPE_PROFILE"] | READ_SOURCES["READ_SOURCE_TYPE_CONTACT"]
MAX_BATCH = 200

_DOCS = "Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get."
_MASK_REQUIRED = f"personFields mask is required. Please specify one or more valid paths. {_DOCS}"
_NOT_FOUND = "Requested entity was not found."
_PERSON_NAME = re.compile(r"people/[^/]+")


@dataclass
class Person:
    name: str
    resource: dict[str, Any]
    primary_email: str | None  # lower case


@dataclass
class PeopleState:
    people: dict[str, Person] = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)  # previous resource name -> current


def load_people(section: Any, path: str, base: PeopleState | None = None) -> PeopleState:
    """Validate a ``people`` section; with ``base`` (a patch) upsert by ``resourceName``.

    A patched person with ``metadata.deleted: true`` is removed.
    """
    people = dict(base.people) if base is not None else {}
    paths: dict[str, str] = {}
    for index, raw in enumerate(expect_list(section, path)):
        item_path = at(path, index)
        person = _person(raw, item_path, index)
        if person.name in paths:
            raise fail(at(item_path, "resourceName"), f'duplicate person "{person.name}"')
        paths[person.name] = item_path
        if base is not None and person.resource.get("metadata", {}).get("deleted") is True:
            people.pop(person.name, None)
        else:
            people[person.name] = person
    previous: dict[str, str] = {}
    for person in people.values():
        meta_path = at(at(paths.get(person.name, f"people[{person.name}]"), "metadata"), "previousResourceNames")
        for index, old in enumerate(person.resource.get("metadata", {}).get("previousResourceNames", [])):
            if old in people or old in previous:
                raise fail(at(meta_path, index), f'"{old}" already names another person')
            previous[old] = person.name
    return PeopleState(people, previous)


def _person(raw: Any, path: str, index: int) -> Person:
    obj = expect_dict(raw, path)
    emails: list[tuple[bool, str]] = []
    for position, item in enumerate(expect_list(obj.get("emailAddresses", []), at(path, "emailAddresses"))):
        email = expect_dict(item, at(at(path, "emailAddresses"), position))
        value = expect_str(email.get("value"), at(at(at(path, "emailAddresses"), position), "value"))
        meta = expect_dict(email.get("metadata", {}), at(at(at(path, "emailAddresses"), position), "metadata"))
        emails.append((meta.get("primary") is True, value.lower()))
    for key in PERSON_FIELDS:
        if key not in ("metadata", "emailAddresses") and key in obj:
            for position, item in enumerate(expect_list(obj[key], at(path, key))):
                expect_dict(item, at(at(path, key), position))
    metadata = expect_dict(obj.get("metadata", {}), at(path, "metadata"))
    previous_path = at(at(path, "metadata"), "previousResourceNames")
    for position, old in enumerate(expect_list(metadata.get("previousResourceNames", []), previous_path)):
        if not _PERSON_NAME.fullmatch(expect_str(old, at(previous_path, position))):
            raise fail(at(previous_path, position), f'must be "people/{{id}}", got {old!r}')
    primary = next((value for is_primary, value in emails if is_primary), emails[0][1] if emails else None)
    name = obj.get("resourceName")
    if name is None:
        name = "people/" + stable_id("person", primary or str(index), length=21, digits=True)
    name = expect_str(name, at(path, "resourceName"))
    if not _PERSON_NAME.fullmatch(name):
        raise fail(at(path, "resourceName"), f'must be "people/{{id}}", got {name!r}')
    resource = {**obj, "resourceName": name}
    if "etag" not in resource:
        resource["etag"] = "%" + stable_id("etag", json.dumps(resource, sort_keys=True), length=28)
    return Person(name, resource, primary)


class PeopleApi(EmulatedApi):
    """``api="people"``: ``/v1/people/{id}`` and ``/v1/people:batchGet``; scenario section ``people``."""

    name = "people"
    sections = ("people",)
    state: PeopleState

    def load(self, scenario: Mapping[str, Any]) -> None:
        self.state = load_people(scenario.get("people", []), "people")

    def patch(self, patch: Mapping[str, Any]) -> None:
        """``{"people": [Person]}`` upserts by resourceName; ``metadata.deleted: true`` removes."""
        self.state = load_people(patch["people"], "patch.people", self.state)

    def register(self, router: Router) -> None:
        router.add("GET", "/v1/people:batchGet", name="people.people.getBatchGet", api="people", handler=self.batch_get)
        router.add("GET", "/v1/people/{person}", name="people.people.get", api="people", handler=self.get)

    def get(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "people.people.get")
        fields = _person_fields(request)
        sources = _sources(request)
        person = self._resolve("people/" + params["person"], token)
        if person is None:
            raise rpc_error(404, _NOT_FOUND)
        return partial_response(request, _serve(person, fields, sources), invalid=_invalid)

    def batch_get(self, request: Request, _params: Mapping[str, str]) -> Response:
        token = self._begin(request, "people.people.getBatchGet")
        fields = _person_fields(request)
        sources = _sources(request)
        names = request.args("resourceNames")
        if not names:
            raise rpc_error(400, "resourceNames is required: specify one or more people resource names.")
        if len(names) > MAX_BATCH:
            raise rpc_error(400, f"Too many resourceNames: {len(names)}; at most {MAX_BATCH} are allowed.")
        responses: list[dict[str, Any]] = []
        for name in names:
            if not _PERSON_NAME.fullmatch(name):
                message = f'Resource name "{name}" is not a valid people resource name.'
                responses.append(_item(name, 3, message, 400))
                continue
            person = self._resolve(name, token)
            if person is None:
                responses.append(_item(name, 5, _NOT_FOUND, 404))
            else:
                responses.append(
                    {
                        "requestedResourceName": name,
                        "person": _serve(person, fields, sources),
                        "status": {},
                        "httpStatusCode": 200,
                    }
                )
        return partial_response(request, {"responses": responses}, invalid=_invalid)

    def _begin(self, request: Request, method_id: str) -> Token:
        spec = method_spec("people", method_id)
        token = self.world.tokens.check(request, "people", spec.scopes)
        reject_unknown_params(request, spec)
        return token

    def _resolve(self, name: str, token: Token) -> Person | None:
        if name == "people/me":
            subject = (token.subject or "").lower()
            if not subject:
                return None
            return next((p for p in self.state.people.values() if p.primary_email == subject), None)
        current = self.state.previous.get(name, name)
        return self.state.people.get(current)


def _item(name: str, code: int, message: str, http_status: int) -> dict[str, Any]:
    return {"requestedResourceName": name, "status": {"code": code, "message": message}, "httpStatusCode": http_status}


def _person_fields(request: Request) -> list[str]:
    raw = request.arg("personFields")
    prefix = ""
    if raw is None and request.arg("requestMask.includeField") is not None:
        raw, prefix = request.arg("requestMask.includeField"), "person."
    paths = [path.strip() for path in (raw or "").split(",") if path.strip()]
    if not paths:
        raise rpc_error(400, _MASK_REQUIRED)
    fields: list[str] = []
    for path in paths:
        name = camel(path[len(prefix) :] if prefix and path.startswith(prefix) else path)
        if name not in PERSON_FIELDS or (prefix and not path.startswith(prefix)):
            raise rpc_error(400, f'Invalid personFields mask path: "{path}". {_DOCS}')
        if name not in fields:
            fields.append(name)
    return fields


def _sources(request: Request) -> frozenset[str]:
    values = request.args("sources")
    allowed: set[str] = set()
    for index, value in enumerate(values):
        if value == "READ_SOURCE_TYPE_UNSPECIFIED":
            continue
        if value not in READ_SOURCES:
            kind = "type.googleapis.com/google.people.v1.ReadSourceType"
            raise rpc_error(400, f"Invalid value at 'sources[{index}]' ({kind}), \"{value}\"")
        allowed |= READ_SOURCES[value]
    return frozenset(allowed) or DEFAULT_SOURCES


def _serve(person: Person, fields: list[str], sources: frozenset[str]) -> dict[str, Any]:
    """The person with only the requested fields (plus resourceName and etag)."""
    out: dict[str, Any] = {"resourceName": person.name, "etag": person.resource["etag"]}
    for key in fields:
        value = person.resource.get(key)
        if value is None:
            continue
        if key == "metadata" and isinstance(value, dict):
            value = dict(value)
            if isinstance(value.get("sources"), list):
                value["sources"] = [s for s in value["sources"] if _visible(s, sources)]
        elif isinstance(value, list):
            value = [item for item in value if _visible(item.get("metadata", {}).get("source"), sources)]
            if not value:
                continue
        out[key] = value
    return out


def _visible(source: Any, sources: frozenset[str]) -> bool:
    kind = source.get("type") if isinstance(source, dict) else None
    return kind is None or kind in sources


def _invalid(message: str) -> ApiError:
    return rpc_error(400, message)


__all__ = ["MAX_BATCH", "PERSON_FIELDS", "READ_SOURCES", "PeopleApi", "PeopleState", "load_people"]
