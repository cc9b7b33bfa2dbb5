"""The organisation: users in teams and departments, rooms, partner companies and outside contacts.

Users share the company's domain and email pattern; about half come from the company's home
locale.  A few users are *invisible* to the People API (their Person has no ``emailAddresses``;
only the Directory knows them) and a few exist only in People (not in ``directory_users``).  Two
colleagues share one name (``jane.doe`` and ``jane.doe2``); outside, two contacts share a name
and two share a given name, so meetings can put look-alikes side by side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.names import (
    LATIN_LOCALES,
    company_domain,
    given_name_twin,
    internal_namesake,
    make_rooms,
    namesake,
    rehome,
)
from mapper.synth.emails import ascii_part, free_mail_address, pick_pattern
from mapper.synth.locales import pick_locale
from mapper.synth.nonpersons import RoomResource
from mapper.synth.people import SynthPerson, make_externals, make_person


@dataclass(slots=True)
class Member:
    """Anyone who can be invited: a user of the company or an outside contact."""

    index: int
    person: SynthPerson
    internal: bool
    google_id: str | None = None
    """Numeric Google account id (``users/{id}`` in Meet, ``people/{id}`` in People)."""
    team: int = -1
    department: int = -1
    partner: str | None = None
    visibility: str = "people"
    """Internal users: ``people`` (People gives the email), ``invisible`` (Person without
    ``emailAddresses``; Directory only), ``people_only`` (absent from ``directory_users``)."""
    zoom_id: str | None = None
    teams_id: str | None = None
    meet_static_id: str | None = None

    @property
    def email(self) -> str:
        return self.person.email


@dataclass(frozen=True, slots=True)
class Room:
    resource: RoomResource
    google_id: str
    """The room device's robot account (``users/{id}`` in Meet; unknown to People)."""


@dataclass(frozen=True, slots=True)
class Partner:
    domain: str
    pattern: str
    tenant_id: str
    google: bool
    """Whether the partner uses Google accounts (its people join Meet signed in)."""


@dataclass(slots=True)
class Org:
    domain: str
    pattern: str
    customer_id: str
    users: list[Member]
    teams: list[list[int]]
    """User indices per team, manager first."""
    departments: list[list[int]]
    """Team indices per department."""
    rooms: list[Room]
    partners: dict[str, Partner]
    externals: list[Member]
    namesakes: list[tuple[int, int]] = field(default_factory=list)
    """Pairs of user indices with the same name."""
    external_namesakes: list[tuple[int, int]] = field(default_factory=list)
    given_twins: list[tuple[int, int]] = field(default_factory=list)
    """Pairs of external indices sharing a given name."""

    def team_of(self, user: int) -> list[int]:
        return self.teams[self.users[user].team]

    def department_of(self, user: int) -> list[int]:
        return [u for team in self.departments[self.users[user].department] for u in self.teams[team]]


def make_org(rng: random.Random, ids: Ids, users: int) -> Org:
    """Draw the whole organisation for ``users`` users (at least 2)."""
    taken_domains: set[str] = set()
    domain = company_domain(rng, taken_domains)
    pattern = pick_pattern(rng)
    home = pick_locale(rng).code
    taken: set[str] = set()
    pairs = max(1, users // 300) if users >= 12 else 0
    people: list[SynthPerson] = []
    for _ in range(users - pairs):
        mix = (home,) if rng.random() < 0.55 else None
        people.append(make_person(rng, kind="internal", domain=domain, pattern=pattern, locales=mix, taken=taken))
    sakes = [
        (at, internal_namesake(people[at], domain, pattern, taken, rng)) for at in rng.sample(range(len(people)), pairs)
    ]
    members = [Member(i, p, True) for i, p in enumerate(people)]
    teams = _teams(rng, len(members))
    team_of = {user: number for number, team in enumerate(teams) for user in team}
    namesakes = []
    for at, twin in sakes:
        members.append(Member(len(members), twin, True))
        teams[team_of[at]].append(len(members) - 1)
        namesakes.append((at, len(members) - 1))
    for number, team in enumerate(teams):
        for user in team:
            members[user].team = number
    departments = _chunks(rng, list(range(len(teams))), 3, 7)
    for number, department in enumerate(departments):
        for team_number in department:
            for user in teams[team_number]:
                members[user].department = number
    _identities(rng, ids, members)
    partners = _partners(rng, ids, max(3, min(30, users // 40)), taken_domains)
    externals, ext_sakes, twins = _externals(rng, ids, max(12, users * 6 // 5), partners, taken)
    rooms = [Room(r, ids.digits("room", r.email)) for r in make_rooms(rng, max(3, users // 15))]
    customer = "C0" + ids.token("customer", length=7)
    return Org(
        domain, pattern, customer, members, teams, departments, rooms, partners, externals, namesakes, ext_sakes, twins
    )


def _chunks(rng: random.Random, items: list[int], low: int, high: int) -> list[list[int]]:
    out: list[list[int]] = []
    at = 0
    while at < len(items):
        size = rng.randint(low, high)
        if len(items) - at - size < low:
            size = len(items) - at
        out.append(items[at : at + size])
        at += size
    return out


def _teams(rng: random.Random, count: int) -> list[list[int]]:
    order = list(range(count))
    rng.shuffle(order)
    return _chunks(rng, order, 4, 9) if count >= 4 else [order]


def _identities(rng: random.Random, ids: Ids, members: list[Member]) -> None:
    """Google, Zoom and Meet-static ids of the users, and who is invisible / People-only."""
    for member in members:
        member.google_id = ids.digits("user", member.email)
        member.zoom_id = ids.digits("zoom", member.email, length=8)
        member.meet_static_id = ids.base62("static", member.email, length=16)
    rest = rng.sample(range(len(members)), len(members))
    invisible = max(1, len(members) * 4 // 100) if len(members) >= 10 else 0
    only = max(1, len(members) * 3 // 100) if len(members) >= 10 else 0
    for user in rest[:invisible]:
        members[user].visibility = "invisible"
    for user in rest[invisible : invisible + only]:
        members[user].visibility = "people_only"


def _partners(rng: random.Random, ids: Ids, count: int, taken: set[str]) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for _ in range(count):
        domain = company_domain(rng, taken)
        partners[domain] = Partner(domain, pick_pattern(rng), ids.uuid("tenant", domain), rng.random() < 0.25)
    return partners


def _externals(
    rng: random.Random, ids: Ids, count: int, partners: dict[str, Partner], taken: set[str]
) -> tuple[list[Member], list[tuple[int, int]], list[tuple[int, int]]]:
    patterns = {domain: p.pattern for domain, p in partners.items()}
    people = [rehome(p, taken, rng) for p in make_externals(rng, count, patterns, taken=set(taken))]
    sakes: list[tuple[int, int]] = []
    twins: list[tuple[int, int]] = []
    pairs = 1 + count // 400
    domains = sorted(partners)
    for _ in range(pairs):
        at = rng.randrange(len(people))
        base = people[at]
        first, last = ascii_part(base.given_latin.split(" ")[0]), ascii_part(base.family_latin)
        local = free_mail_address(first, last, base.locale, set(), rng).partition("@")[0]
        other = namesake(base, local + "@" + "gmail.example")
        if other.email in taken:
            continue
        taken.add(other.email)
        people.append(other)
        sakes.append((at, len(people) - 1))
    for _ in range(pairs):
        domain = rng.choice(domains)
        base = make_person(
            rng, kind="partner", domain=domain, pattern=patterns[domain], locales=LATIN_LOCALES, taken=taken
        )
        domain = rng.choice(domains)
        people.append(base)
        people.append(given_name_twin(base, rng, taken, domain, patterns[domain]))
        twins.append((len(people) - 2, len(people) - 1))
    members = []
    for index, person in enumerate(people):
        domain = person.email.partition("@")[2]
        partner = partners.get(domain)
        member = Member(index, person, False, partner=partner.domain if partner else None)
        google = partner.google if partner else (person.kind == "free_mail" and rng.random() < 0.4)
        member.google_id = ids.digits("user", person.email) if google else None
        member.meet_static_id = ids.base62("static", person.email, length=16) if google else None
        member.zoom_id = ids.digits("zoom", person.email, length=8) if rng.random() < 0.5 else None
        member.teams_id = f"8:orgid:{ids.uuid('teams', person.email)}" if partner else None
        members.append(member)
    return members, sakes, twins


__all__ = ["Member", "Org", "Partner", "Room", "make_org"]
