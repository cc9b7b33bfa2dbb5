"""What the generator needs from :mod:`mapper.synth` beyond what it offers (kept here, not there).

- every domain ends in ``.example`` (RFC 2606): partner companies, personal domains
  (``me@janedoe.example``) and shared mail services (``gmail.example`` keeps the ``gmail`` label
  the matcher knows as a free-mail provider), so no generated address can be somebody's real one;
- namesakes: a second person with exactly the same name, and a person sharing only a given name;
- room display names with Google's feature suffixes (``HQ-3-Boardroom (8) [TV]``);
- the renamings a signed-in user's Meet / Zoom name gets, and Teams' guest badges.
"""

from __future__ import annotations

import dataclasses
import random

from mapper.synth.emails import ascii_part, local_part, unique_address
from mapper.synth.locales import LOCALES, faker_for
from mapper.synth.nonpersons import RoomResource, make_room
from mapper.synth.people import SynthPerson, make_person
from mapper.synth.render import render_display_name

#: Display-name variants a signed-in account shows after its owner renamed it (weights).
RENAMED: dict[str, float] = {
    "nickname": 3,
    "pronouns": 3,
    "emoji": 2,
    "lower_case": 1,
    "first_name_only": 1,
    "middle_name": 1,
    "family_first": 1,
}
#: Teams badges on guests' names: the render variants that produce them.
TEAMS_GUEST: dict[str, float] = {"guest": 6, "external": 3, "unverified": 1}
#: The locales whose names are written in Latin script (for given-name look-alikes).
LATIN_LOCALES = tuple(info.code for info in LOCALES if info.latin and not info.family_first)

_SUFFIXES = ("labs", "works", "group", "systems", "partners", "tech", "co", "digital", "hq", "io")
_FEATURES = (" [TV]", " [VC]", " [Whiteboard]", " [TV, VC]", "")


def registrable_label(domain: str) -> str:
    """``mail.janedoe.co.uk`` → ``janedoe``; ``gmail.com`` → ``gmail``."""
    labels = domain.lower().split(".")
    if len(labels) >= 3 and labels[-2] in {"co", "com", "net", "org", "ac"}:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def example_domain(domain: str) -> str:
    """The ``.example`` twin of a domain (``janedoe.com`` → ``janedoe.example``)."""
    if domain.endswith(".example"):
        return domain
    return f"{registrable_label(domain)}.example"


def rehome(person: SynthPerson, taken: set[str], rng: random.Random) -> SynthPerson:
    """``person`` with an address on the ``.example`` twin of their domain (unique in ``taken``)."""
    local, _, domain = person.email.partition("@")
    target = example_domain(domain)
    if target == domain and person.email not in taken:
        taken.add(person.email)
        return person
    return dataclasses.replace(person, email=unique_address(local, target, taken, rng))


def company_domain(rng: random.Random, taken: set[str]) -> str:
    """A made-up company domain such as ``tonightlabs.example``."""
    fake = faker_for("en_US")
    fake.seed_instance(rng.getrandbits(32))
    while True:
        word = ascii_part(fake.word())
        name = word + rng.choice(_SUFFIXES) if rng.random() < 0.6 or len(word) < 5 else word
        domain = f"{name}.example"
        if domain not in taken and name.isalpha():
            taken.add(domain)
            return domain


def make_rooms(rng: random.Random, count: int) -> list[RoomResource]:
    """``count`` rooms with distinct emails and display names, some with feature suffixes."""
    rooms: list[RoomResource] = []
    emails: set[str] = set()
    names: set[str] = set()
    while len(rooms) < count:
        room = make_room(rng)
        base = room.display_name.replace(" [Zoom Room]", "")
        if room.email in emails or base in names:
            continue
        emails.add(room.email)
        names.add(base)
        suffix = " [Zoom Room]" if room.display_name.endswith("[Zoom Room]") else rng.choice(_FEATURES)
        rooms.append(dataclasses.replace(room, display_name=base + suffix))
    return rooms


def namesake(person: SynthPerson, email: str) -> SynthPerson:
    """Somebody else with exactly ``person``'s name (and calendar name), at ``email``."""
    return dataclasses.replace(person, email=email)


def internal_namesake(
    person: SynthPerson, domain: str, pattern: str, taken: set[str], rng: random.Random
) -> SynthPerson:
    """A colleague with the same name as ``person``: the company pattern plus a digit."""
    local = local_part(pattern, ascii_part(person.given_latin.split(" ")[0]), ascii_part(person.family_latin), rng)
    return namesake(person, unique_address(local, domain, taken, rng))


def given_name_twin(person: SynthPerson, rng: random.Random, taken: set[str], domain: str, pattern: str) -> SynthPerson:
    """A different person (other family name) who shares ``person``'s given name."""
    other = make_person(rng, kind="partner", domain=domain, pattern=pattern, locales=(person.locale,), taken=taken)
    given = person.given_latin
    local = local_part(pattern, ascii_part(given.split(" ")[0]), ascii_part(other.family_latin), rng)
    account = f"{given} {other.family_latin}"
    return dataclasses.replace(
        other,
        given=person.given,
        given_latin=given,
        middle=None,
        middle_latin=None,
        nickname=person.nickname,
        account_name=account,
        calendar_display_name=account if other.calendar_display_name else None,
        email=unique_address(local, domain, taken, rng),
    )


def renamed(rng: random.Random, person: SynthPerson) -> tuple[str, str]:
    """A signed-in account's name after its owner changed it (or the plain name)."""
    variant = rng.choices(list(RENAMED), weights=list(RENAMED.values()))[0]
    return render_display_name(rng, person, variant)


def teams_guest(rng: random.Random, person: SynthPerson) -> tuple[str, str]:
    """How Teams labels a guest: ``Jane Doe (Guest)``, ``Jane Doe External``, ``Jane (Unverified)``."""
    variant = rng.choices(list(TEAMS_GUEST), weights=list(TEAMS_GUEST.values()))[0]
    if variant == "external" and rng.random() < 0.5:
        return f"{person.account_name} External", variant
    if variant == "unverified" and rng.random() < 0.5:
        return f"{person.account_name} Unverified", variant
    return render_display_name(rng, person, variant)


__all__ = [
    "LATIN_LOCALES",
    "RENAMED",
    "TEAMS_GUEST",
    "company_domain",
    "example_domain",
    "given_name_twin",
    "internal_namesake",
    "make_rooms",
    "namesake",
    "registrable_label",
    "rehome",
    "renamed",
    "teams_guest",
]
