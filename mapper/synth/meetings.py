"""Labelled meetings: invitees, the participants who really joined, and who each one is.

A :class:`World` holds companies (colleagues sharing a domain and an email pattern, and their
rooms) and outsiders.  :func:`make_meeting` draws one meeting from it: invitees with calendar
names as Calendar gives them, no-shows, rejoins, uninvited joiners, name collisions (homonyms
and relatives invited together, joiners sharing an invitee's first name), note-taker bots,
dial-ins, room devices, "Guest" labels — and for every participant the email that is really theirs
(``None`` for bots and dial-ins).  The matcher's benchmark and property tests use it; the
sandbox scenario generator can turn the same meetings into API-shaped data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from mapper.matching.types import Invitee, Meeting, Participant, ParticipantKind
from mapper.synth.emails import pick_pattern
from mapper.synth.locales import faker_for, pick_locale
from mapper.synth.nonpersons import RoomResource, bare_device_name, bot_name, dial_in_name, generic_name, make_room
from mapper.synth.people import SynthPerson, make_externals, make_people
from mapper.synth.render import render_display_name


@dataclass(slots=True)
class Company:
    """Colleagues at one domain, sharing an email pattern, and the company's rooms."""

    domain: str
    pattern: str
    people: list[SynthPerson]
    rooms: list[RoomResource]


@dataclass(slots=True)
class World:
    """Companies and outsiders that meetings are drawn from."""

    companies: list[Company]
    externals: list[SynthPerson]
    user_ids: dict[str, str] = field(default_factory=dict)
    """email → platform user id, so a person has the same id in every meeting."""

    def user_id(self, email: str) -> str:
        """The stable platform id of the person with ``email``."""
        return self.user_ids.setdefault(email, f"users/{100000 + len(self.user_ids)}")


@dataclass(frozen=True, slots=True)
class LabelledParticipant:
    """A participant with the truth: its real email and why it is in the meeting."""

    participant: Participant
    truth: str | None
    """The participant's real email (``None`` for bots and dial-ins)."""
    role: str
    """``invitee``, ``rejoin``, ``uninvited``, ``bot``, ``phone``, ``room``, ``generic`` or ``device``."""
    variant: str
    """The display-name variant (see :data:`mapper.synth.render.VARIANTS`) or the role."""


@dataclass(frozen=True, slots=True)
class LabelledMeeting:
    """A meeting and the truth about each of its participants (same order)."""

    meeting: Meeting
    labels: tuple[LabelledParticipant, ...]


def make_world(
    rng: random.Random,
    *,
    companies: int = 12,
    employees: tuple[int, int] = (40, 250),
    externals: int = 600,
    locales: tuple[str, ...] | None = None,
) -> World:
    """Generate companies (each with a home locale and 55 % of staff from it) and outsiders."""
    made: list[Company] = []
    used_domains: set[str] = set()
    for number in range(companies):
        home = pick_locale(rng, locales)
        fake = faker_for(home.code)
        fake.seed_instance(rng.getrandbits(32))
        domain = fake.domain_name().lower()
        if domain in used_domains or not domain.isascii():
            domain = f"company{number}.example"
        used_domains.add(domain)
        pattern = pick_pattern(rng)
        taken: set[str] = set()
        people: list[SynthPerson] = []
        for _ in range(rng.randint(*employees)):
            mix = (home.code,) if rng.random() < 0.55 else locales
            people.extend(make_people(rng, 1, domain, locales=mix, pattern=pattern, taken=taken))
        rooms = [make_room(rng) for _ in range(rng.randint(2, 6))]
        made.append(Company(domain, pattern, people, rooms))
    partners = {c.domain: c.pattern for c in made}
    outsiders = make_externals(rng, externals, partners, locales=locales)
    return World(made, outsiders)


def _size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.3:
        return rng.randint(1, 3)
    if roll < 0.75:
        return rng.randint(4, 8)
    if roll < 0.95:
        return rng.randint(9, 14)
    return rng.randint(15, 40)


def _namesake(rng: random.Random, person: SynthPerson, other: SynthPerson, how: str) -> SynthPerson:
    """Another person whose name collides with ``person``'s.

    ``how`` = "homonym" (same name, another address), "relative" (same family name, the given
    name of ``other``) or "first_name" (same given name, the family name of ``other``).
    """
    local, _, domain = person.email.partition("@")
    if how == "homonym":
        return replace(person, email=f"{local}{rng.randint(2, 99)}@{domain}")
    if how == "relative":
        given, given_latin = other.given, other.given_latin
        family, family_latin = person.family, person.family_latin
    else:
        given, given_latin = person.given, person.given_latin
        family, family_latin = other.family, other.family_latin
    account = f"{given_latin} {family_latin}"
    return replace(
        person,
        given=given,
        given_latin=given_latin,
        family=family,
        family_latin=family_latin,
        middle=None,
        middle_latin=None,
        email=f"{local}.{other.email.partition('@')[0]}{rng.randint(2, 99)}@{domain}",
        account_name=account,
        calendar_display_name=account if person.calendar_display_name else None,
        nickname=other.nickname if how == "relative" else person.nickname,
    )


def _status(rng: random.Random) -> str:
    return rng.choices(("accepted", "tentative", "needsAction", "declined"), weights=(70, 8, 14, 8))[0]


def make_meeting(
    rng: random.Random,
    world: World,
    meeting_id: str,
    *,
    people_api_rate: float = 0.35,
    namesake_rate: float = 0.1,
    size: int | None = None,
) -> LabelledMeeting:
    """Draw one labelled meeting from ``world`` (see the module docstring)."""
    company = rng.choice(world.companies)
    internal = rng.sample(company.people, min(size or _size(rng), len(company.people)))
    outside = rng.sample(world.externals, rng.randint(1, 4)) if rng.random() < 0.45 else []
    invited = internal + [p for p in outside if p.email not in {q.email for q in internal}]
    joiners: list[SynthPerson] = []
    if rng.random() < namesake_rate:
        # Hard collisions: a homonym or a relative invited too, or a joiner sharing a first name.
        person, other = rng.choice(invited), rng.choice(company.people)
        how = rng.choice(("homonym", "relative", "first_name"))
        twin = _namesake(rng, person, other, how)
        (joiners if how == "first_name" else invited).append(twin)
    room = rng.choice(company.rooms) if rng.random() < 0.3 else None
    statuses = [_status(rng) for _ in invited]
    invitees = [
        Invitee(p.email, p.calendar_display_name, status, organizer=at == 0)
        for at, (p, status) in enumerate(zip(invited, statuses, strict=True))
    ]
    if room:
        invitees.append(Invitee(room.email, room.display_name, "accepted", resource=True))
    recall_like = rng.random() < 0.3
    labels: list[LabelledParticipant] = []

    def join(person: SynthPerson, role: str, variant: str | None = None) -> None:
        name, used = render_display_name(rng, person, variant)
        signed_in = person.kind == "internal" or rng.random() < 0.5
        kind = ParticipantKind.SIGNED_IN if signed_in else ParticipantKind.ANONYMOUS
        user_id = world.user_id(person.email) if signed_in else None
        email = source = stable = None
        if recall_like:
            kind, user_id = ParticipantKind.UNKNOWN, None
            stable = world.user_id(person.email).replace("users/", "g-") if signed_in and rng.random() < 0.5 else None
        elif signed_in and person.kind == "internal" and rng.random() < people_api_rate:
            email, source = person.email, "people_api"
        participant = Participant("", name, kind, user_id, email, source, stable)
        labels.append(LabelledParticipant(participant, person.email, role, used))
        if rng.random() < 0.08:
            again = name if rng.random() < 0.7 or not signed_in else render_display_name(rng, person)[0]
            twin = Participant("", again, kind, user_id, email, source, stable)
            labels.append(LabelledParticipant(twin, person.email, "rejoin", used))

    for person, status in zip(invited, statuses, strict=True):
        if rng.random() < (0.2 if status == "declined" else 0.87):
            roll = rng.random()
            if roll < 0.01:
                _nameless(labels, person.email, "generic", generic_name(rng))
            elif roll < 0.015:
                _nameless(labels, person.email, "device", bare_device_name(rng))
            else:
                join(person, "invitee")
    if rng.random() < 0.25:
        others = [p for p in company.people if p not in internal] or world.externals
        joiners.extend(rng.sample(others, min(len(others), 1 if rng.random() < 0.7 else 2)))
    for person in joiners:
        join(person, "uninvited")
    if rng.random() < 0.2:
        _nameless(
            labels, None, "bot", bot_name(rng), ParticipantKind.UNKNOWN if recall_like else ParticipantKind.SIGNED_IN
        )
    if rng.random() < 0.1:
        _nameless(
            labels, None, "phone", dial_in_name(rng), ParticipantKind.UNKNOWN if recall_like else ParticipantKind.PHONE
        )
    if room and rng.random() < 0.7:
        kind = rng.choice((ParticipantKind.SIGNED_IN, ParticipantKind.ROOM, ParticipantKind.UNKNOWN))
        _nameless(labels, room.email, "room", rng.choice(room.device_names), kind)
    rng.shuffle(labels)
    numbered = [
        LabelledParticipant(_with_id(lp.participant, f"p{n + 1}"), lp.truth, lp.role, lp.variant)
        for n, lp in enumerate(labels)
    ]
    meeting = Meeting(meeting_id, tuple(lp.participant for lp in numbered), tuple(invitees))
    return LabelledMeeting(meeting, tuple(numbered))


def _nameless(
    labels: list[LabelledParticipant],
    truth: str | None,
    role: str,
    name: str,
    kind: ParticipantKind = ParticipantKind.ANONYMOUS,
) -> None:
    labels.append(LabelledParticipant(Participant("", name, kind), truth, role, role))


def _with_id(p: Participant, participant_id: str) -> Participant:
    return Participant(participant_id, p.display_name, p.kind, p.user_id, p.email, p.email_source, p.stable_id)


__all__ = ["Company", "LabelledMeeting", "LabelledParticipant", "World", "make_meeting", "make_world"]
