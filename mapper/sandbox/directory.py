"""Admin SDK Directory API v1 emulator: ``users.get`` and ``users.list``.

Scenario section ``directory_users``: a list of User resources (``id``, ``primaryEmail``,
``aliases[]``, ``name{...}``, ``emails``, ``isAdmin``, ``customerId``, ``customSchemas``...).

Quirks mirrored (legacy Admin SDK behaviour, unlike One Platform):
- ``userKey`` is the unique id, the primary email or any alias (emails case-insensitive);
  unknown → 404 ``notFound`` "Resource Not Found: userKey".
- ``projection``: ``basic`` (default) hides ``customSchemas``, ``custom`` serves the schemas named
  in ``customFieldMask`` (required then), ``full`` serves everything.
- ``viewType``: ``admin_view`` (default) needs an administrator: a token whose subject (DWD) is a
  scenario user without ``isAdmin``/``isDelegatedAdmin`` gets 403 "Not Authorized to access this
  resource/api"; ``domain_public`` serves only the fields other domain users can see.
- Unknown query parameters are ignored; every user is served with ``kind`` and ``etag``.
- ``users.list`` needs ``customer`` or ``domain`` (400 otherwise), ``maxResults`` 1-500 (default
  100), ``orderBy`` email/familyName/givenName with ``sortOrder``.  ``query`` is not emulated (400).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mapper.sandbox.auth import Token
from mapper.sandbox.envelopes import legacy_error
from mapper.sandbox.http import ApiError, Request, Response, Router
from mapper.sandbox.meet.common import PageTokenError, decode_token, encode_token, keyset_page, method_spec, stable_id
from mapper.sandbox.meet.fields import partial_response
from mapper.sandbox.scenario import at, expect_dict, expect_list, expect_str, fail
from mapper.sandbox.world import EmulatedApi

#: Fields a non-administrator sees with ``viewType=domain_public`` (the public profile).
PUBLIC_FIELDS = frozenset(
    {
        "kind",
        "id",
        "etag",
        "primaryEmail",
        "name",
        "emails",
        "phones",
        "organizations",
        "addresses",
        "locations",
        "relations",
        "websites",
        "externalIds",
        "thumbnailPhotoUrl",
        "thumbnailPhotoEtag",
        "customSchemas",
    }
)
_ORDER_KEYS = {"email": ("primaryEmail",), "familyName": ("name", "familyName"), "givenName": ("name", "givenName")}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


@dataclass
class User:
    id: str
    primary: str  # lower case
    resource: dict[str, Any]


@dataclass
class DirectoryState:
    users: dict[str, User] = field(default_factory=dict)  # by id
    keys: dict[str, str] = field(default_factory=dict)  # lower-case email or alias -> id


def load_directory(section: Any, path: str, base: DirectoryState | None = None) -> DirectoryState:
    """Validate ``directory_users``; with ``base`` (a patch) upsert by ``id`` (or primary email).

    A patched user carrying ``deletionTime`` is removed.
    """
    users = dict(base.users) if base is not None else {}
    by_email = {user.primary: user.id for user in users.values()}
    seen: set[str] = set()
    for index, raw in enumerate(expect_list(section, path)):
        item_path = at(path, index)
        user = _user(raw, item_path, by_email)
        if user.id in seen:
            raise fail(at(item_path, "id"), f'duplicate user id "{user.id}"')
        seen.add(user.id)
        if base is not None and "deletionTime" in user.resource:
            users.pop(user.id, None)
        else:
            users[user.id] = user
    keys: dict[str, str] = {}
    for user in users.values():
        for key in [user.primary, *_aliases(user.resource)]:
            if keys.get(key, user.id) != user.id:
                raise fail(path, f'"{key}" names both user {keys[key]} and user {user.id}')
            keys[key] = user.id
    return DirectoryState(users, keys)


def _user(raw: Any, path: str, by_email: Mapping[str, str]) -> User:
    obj = expect_dict(raw, path)
    primary = expect_str(obj.get("primaryEmail"), at(path, "primaryEmail"))
    if not _EMAIL.fullmatch(primary):
        raise fail(at(path, "primaryEmail"), f"must be an email address, got {primary!r}")
    for key in ("aliases", "nonEditableAliases"):
        for index, alias in enumerate(expect_list(obj.get(key, []), at(path, key))):
            expect_str(alias, at(at(path, key), index))
    if "emails" in obj:
        expect_list(obj["emails"], at(path, "emails"))
    if "name" in obj:
        expect_dict(obj["name"], at(path, "name"))
    user_id = obj.get("id")
    if user_id is None:
        user_id = by_email.get(primary.lower()) or stable_id("user", primary.lower(), length=21, digits=True)
    user_id = expect_str(user_id, at(path, "id"))
    resource = {"kind": "admin#directory#user", **obj, "id": user_id}
    if "etag" not in resource:
        resource["etag"] = '"' + stable_id("etag", json.dumps(resource, sort_keys=True), length=27) + '"'
    return User(user_id, primary.lower(), resource)


def _aliases(resource: Mapping[str, Any]) -> list[str]:
    return [str(alias).lower() for key in ("aliases", "nonEditableAliases") for alias in resource.get(key, [])]


class DirectoryApi(EmulatedApi):
    """``api="directory"``: ``/admin/directory/v1/users[/{userKey}]``; section ``directory_users``."""

    name = "directory"
    sections = ("directory_users",)
    state: DirectoryState

    def load(self, scenario: Mapping[str, Any]) -> None:
        self.state = load_directory(scenario.get("directory_users", []), "directory_users")

    def patch(self, patch: Mapping[str, Any]) -> None:
        """``{"directory_users": [User]}`` upserts by id / primary email; ``deletionTime`` removes."""
        self.state = load_directory(patch["directory_users"], "patch.directory_users", self.state)

    def register(self, router: Router) -> None:
        base = "/admin/directory/v1/users"
        router.add("GET", base, name="directory.users.list", api="directory", handler=self.list_users)
        router.add("GET", base + "/{user_key}", name="directory.users.get", api="directory", handler=self.get_user)

    def get_user(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "directory", method_spec("directory", "directory.users.get").scopes)
        projection, view, mask = self._view_params(request, token)
        key = params["user_key"]
        user_id = key if key in self.state.users else self.state.keys.get(key.lower())
        if user_id is None:
            raise legacy_error(404, "notFound", "Resource Not Found: userKey")
        body = _serve(self.state.users[user_id], projection, view, mask)
        return partial_response(request, body, invalid=_invalid)

    def list_users(self, request: Request, _params: Mapping[str, str]) -> Response:
        token = self.world.tokens.check(request, "directory", method_spec("directory", "directory.users.list").scopes)
        projection, view, mask = self._view_params(request, token)
        customer, domain = request.arg("customer"), request.arg("domain")
        if not customer and not domain:
            raise legacy_error(400, "badRequest", "Bad Request")
        if request.arg("query"):
            raise legacy_error(400, "invalid", "Invalid Input: the sandbox does not emulate users.list query")
        size = _max_results(request.arg("maxResults"))
        order = request.arg("orderBy") or "email"
        if order not in _ORDER_KEYS:
            raise _invalid(f"Invalid value for orderBy: {order}")
        descending = (request.arg("sortOrder") or "ASCENDING").upper() == "DESCENDING"
        users = [u for u in self.state.users.values() if _in_scope(u, customer, domain)]
        if (request.arg("showDeleted") or "").lower() == "true":
            users = []  # deleted users are not kept
        binding = f"directory|{customer}|{domain}|{order}|{descending}"

        def sort_key(user: User) -> tuple[str, str]:
            value: Any = user.resource
            for part in _ORDER_KEYS[order]:
                value = value.get(part, "") if isinstance(value, dict) else ""
            text = str(value).lower()
            return (_invert(text) if descending else text, user.id)

        try:
            page, last = keyset_page(users, sort_key, size, decode_token(request.arg("pageToken"), binding))
        except PageTokenError as exc:
            raise _invalid(str(exc)) from None
        body: dict[str, Any] = {"kind": "admin#directory#users", "etag": '"' + stable_id(binding, length=27) + '"'}
        if page:
            body["users"] = [_serve(user, projection, view, mask) for user in page]
        if last is not None:
            body["nextPageToken"] = encode_token(binding, list(last))
        return partial_response(request, body, invalid=_invalid)

    def _view_params(self, request: Request, token: Token) -> tuple[str, str, list[str]]:
        projection = request.arg("projection") or "basic"
        if projection not in {"basic", "custom", "full"}:
            raise _invalid(f"Invalid value for projection: {projection}")
        view = request.arg("viewType") or "admin_view"
        if view not in {"admin_view", "domain_public"}:
            raise _invalid(f"Invalid value for viewType: {view}")
        mask = [name.strip() for name in (request.arg("customFieldMask") or "").split(",") if name.strip()]
        if projection == "custom" and not mask:
            raise _invalid("Invalid Input: customFieldMask is required when projection is custom")
        if view == "admin_view" and token.subject:
            caller = self.state.keys.get(token.subject.lower())
            resource = self.state.users[caller].resource if caller else None
            if resource is not None and not (resource.get("isAdmin") or resource.get("isDelegatedAdmin")):
                raise legacy_error(403, "forbidden", "Not Authorized to access this resource/api")
        return projection, view, mask


def _serve(user: User, projection: str, view: str, mask: list[str]) -> dict[str, Any]:
    body = dict(user.resource)
    schemas = body.pop("customSchemas", None)
    if isinstance(schemas, dict) and projection != "basic":
        selected = schemas if projection == "full" else {k: v for k, v in schemas.items() if k in mask}
        if selected:
            body["customSchemas"] = selected
    if view == "domain_public":
        body = {key: value for key, value in body.items() if key in PUBLIC_FIELDS}
    return body


def _in_scope(user: User, customer: str | None, domain: str | None) -> bool:
    if domain and not user.primary.endswith("@" + domain.lower()):
        return False
    return not customer or customer == "my_customer" or user.resource.get("customerId") in (None, customer)


def _max_results(raw: str | None) -> int:
    if raw is None or raw == "":
        return 100
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(f"Invalid value '{raw}'. Values must be within the range: [1, 500]") from None
    if not 1 <= value <= 500:
        raise _invalid(f"Invalid value '{value}'. Values must be within the range: [1, 500]")
    return value


def _invert(text: str) -> str:
    """A string whose ascending order is ``text``'s descending order (for one keyset sort key)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in text) + "\U0010ffff"


def _invalid(message: str) -> ApiError:
    return legacy_error(400, "invalid", message)


__all__ = ["PUBLIC_FIELDS", "DirectoryApi", "DirectoryState", "load_directory"]
