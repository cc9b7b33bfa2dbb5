"""People v1 Person and Admin Directory User resources for the organisation's users.

A Person is ``people/{id}`` with the same numeric id Meet shows as ``users/{id}``.  Invisible
users get a Person without ``emailAddresses`` (as when the profile hides it) but are in the
Directory; People-only users are missing from ``directory_users``.  Rooms' robot accounts and
outside contacts are in neither.
"""

from __future__ import annotations

import random
from typing import Any

from mapper.sandbox.generate.org import Member, Org
from mapper.synth.emails import ascii_part, local_part


def _name_parts(member: Member) -> tuple[str, str, str]:
    """(display name, given, family) as the profile holds them (native script when the account uses it)."""
    person = member.person
    if person.account_name == person.native_name and person.given != person.given_latin:
        return person.account_name, person.given, person.family
    return person.account_name, person.given_latin, person.family_latin


def person_resource(member: Member) -> dict[str, Any]:
    """The People API Person of a user (``personFields=names,emailAddresses,metadata``)."""
    assert member.google_id is not None
    source = {"type": "DOMAIN_PROFILE", "id": member.google_id}
    display, given, family = _name_parts(member)
    resource: dict[str, Any] = {
        "resourceName": f"people/{member.google_id}",
        "etag": f"%Eg{member.google_id[-8:]}",
        "metadata": {"sources": [{**source, "etag": f"#{member.google_id[-6:]}"}], "objectType": "PERSON"},
        "names": [
            {
                "metadata": {"primary": True, "source": source, "sourcePrimary": True},
                "displayName": display,
                "familyName": family,
                "givenName": given,
                "displayNameLastFirst": f"{family}, {given}",
                "unstructuredName": display,
            }
        ],
    }
    if member.visibility != "invisible":
        resource["emailAddresses"] = [
            {
                "metadata": {"primary": True, "verified": True, "source": source, "sourcePrimary": True},
                "value": member.email,
            }
        ]
    return resource


def directory_user(member: Member, org: Org, alias: str | None) -> dict[str, Any]:
    """The Admin Directory User of a user (``projection=basic``)."""
    _display, given, family = _name_parts(member)
    user: dict[str, Any] = {
        "kind": "admin#directory#user",
        "id": member.google_id,
        "primaryEmail": member.email,
        "name": {"givenName": given, "familyName": family, "fullName": f"{given} {family}"},
        "isAdmin": False,
        "suspended": False,
        "archived": False,
        "customerId": org.customer_id,
        "orgUnitPath": f"/Departments/D{member.department + 1:02d}",
        "emails": [{"address": member.email, "primary": True}],
    }
    if alias:
        user["aliases"] = [alias]
        user["emails"].append({"address": alias})
    return user


def people_section(org: Org) -> list[dict[str, Any]]:
    return [person_resource(member) for member in org.users]


def directory_section(org: Org, rng: random.Random) -> list[dict[str, Any]]:
    """Directory users (all but the People-only ones); about one in twenty has an alias."""
    taken = {member.email for member in org.users}
    users = []
    for member in org.users:
        if member.visibility == "people_only":
            continue
        alias = None
        if rng.random() < 0.05:
            first = ascii_part(member.person.given_latin.split(" ")[0])
            candidate = f"{local_part('first.last', first, ascii_part(member.person.family_latin), rng)}@{org.domain}"
            if candidate not in taken:
                alias = candidate
                taken.add(candidate)
        users.append(directory_user(member, org, alias))
    return users


__all__ = ["directory_section", "directory_user", "people_section", "person_resource"]
