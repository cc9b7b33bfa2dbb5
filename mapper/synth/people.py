"""Synthetic people: multi-locale names from Faker, their email addresses and calendar names.

>>> import random
>>> people = make_people(random.Random(7), 3, "acme.example")
>>> all(p.email.endswith("@acme.example") for p in people)
True

Everything is drawn from the ``random.Random`` passed in (Faker is seeded from it), so the same
seed gives the same people.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anyascii import anyascii

from mapper.synth.emails import (
    ascii_part,
    free_mail_address,
    local_part,
    personal_domain_address,
    pick_pattern,
    unique_address,
)
from mapper.synth.locales import BY_CODE, LocaleInfo, faker_for, pick_locale, romanize
from mapper.synth.nicknames import NICKNAMES


@dataclass(frozen=True, slots=True)
class SynthPerson:
    """One generated person.

    ``given`` / ``middle`` / ``family`` are in the locale's script; the ``*_latin`` fields are
    their romanisation (equal, accents included, for Latin-script locales).  ``account_name`` is
    the name their Google / Zoom account shows; ``calendar_display_name`` is what Calendar gives
    as the attendee's ``displayName`` (``None`` when Calendar gives none).
    """

    given: str
    family: str
    middle: str | None
    given_latin: str
    family_latin: str
    middle_latin: str | None
    locale: str
    family_first: bool
    email: str
    account_name: str
    calendar_display_name: str | None
    nickname: str | None
    kind: str
    """``"internal"`` (the company's domain), ``"partner"``, ``"personal"`` or ``"free_mail"``."""

    @property
    def latin_name(self) -> str:
        """Given and family name in Latin script, given name first."""
        return f"{self.given_latin} {self.family_latin}"

    @property
    def native_name(self) -> str:
        """The name in the locale's script and order (family first where customary)."""
        return native_name(self.locale, self.given, self.middle, self.family)


def native_name(locale: str, given: str, middle: str | None, family: str) -> str:
    """Write a name in the locale's script and order ("王小明", "田中 太郎", "Nguyễn Văn An")."""
    info = BY_CODE[locale]
    if info.family_first:
        joiner = "" if locale in ("zh_CN", "ko_KR") else " "
        return joiner.join(p for p in (family, middle, given) if p)
    return " ".join(p for p in (given, middle, family) if p)


_BRACKETED = re.compile(r"\s*\([^)]*\)")


def _names(info: LocaleInfo, rng: random.Random) -> tuple[str, str, str | None, str, str, str | None]:
    fake = faker_for(info.code)
    fake.seed_instance(rng.getrandbits(32))
    female = rng.random() < 0.5
    if info.code == "ja_JP":
        family, _, family_latin = fake.last_name_pair()
        given, _, given_latin = fake.first_name_female_pair() if female else fake.first_name_male_pair()
        return given, family, None, given_latin, family_latin, None
    given = fake.first_name_female() if female else fake.first_name_male()
    family = _BRACKETED.sub("", fake.last_name_female() if female else fake.last_name_male()).strip()
    middle: str | None = None
    if info.middle and rng.random() < (0.8 if info.code == "vi_VN" else 0.35):
        gendered = "middle_name_female" if female else "middle_name_male"
        middle = getattr(fake, gendered)() if hasattr(fake, gendered) else fake.middle_name()
    elif info.latin and rng.random() < 0.08:
        middle = fake.first_name_female() if female else fake.first_name_male()
    if info.latin:
        return given, family, middle, given, family, middle
    return (
        given,
        family,
        middle,
        romanize(given, info.code, rng),
        romanize(family, info.code, rng, family=True),
        romanize(middle, info.code, rng) if middle else None,
    )


def _account_name(info: LocaleInfo, person: dict[str, str | None], rng: random.Random) -> str:
    given_latin, family_latin = person["given_latin"] or "", person["family_latin"] or ""
    if not info.latin and rng.random() < 0.6:
        return str(person["native"])
    if info.family_first and info.latin and rng.random() < 0.6:
        return str(person["native"])
    middle = person["middle_latin"] if rng.random() < 0.3 else None
    return " ".join(p for p in (given_latin, middle, family_latin) if p)


def _nickname(given_latin: str, rng: random.Random) -> str | None:
    options = NICKNAMES.get(anyascii(given_latin).lower().split(" ")[0].split("-")[0])
    return rng.choice(options).capitalize() if options else None


def make_person(
    rng: random.Random,
    *,
    kind: str = "internal",
    domain: str | None = None,
    pattern: str | None = None,
    locales: Sequence[str] | None = None,
    taken: set[str] | None = None,
    calendar_name_rate: float = 0.6,
) -> SynthPerson:
    """Generate one person.

    ``kind`` "internal" / "partner" need ``domain`` (and use ``pattern``, drawn when ``None``);
    "personal" makes a personal domain; "free_mail" an address at a shared mail service.
    ``taken`` holds the addresses already used, so collisions get digits.
    """
    info = pick_locale(rng, tuple(locales) if locales else None)
    given, family, middle, given_latin, family_latin, middle_latin = _names(info, rng)
    taken = taken if taken is not None else set()
    first, last = ascii_part(given_latin.split(" ")[0]), ascii_part(family_latin)
    if kind in ("internal", "partner"):
        if domain is None:
            raise ValueError(f"a {kind} person needs a domain")
        local = local_part(pattern or pick_pattern(rng), first, last, rng)
        email = unique_address(local, domain, taken, rng)
    elif kind == "personal":
        email = personal_domain_address(first, last, taken, rng)
    else:
        email = free_mail_address(first, last, info.code, taken, rng)
    fields: dict[str, str | None] = {"given_latin": given_latin, "family_latin": family_latin}
    fields["middle_latin"] = middle_latin
    fields["native"] = native_name(info.code, given, middle, family)
    account = _account_name(BY_CODE[info.code], fields, rng)
    calendar: str | None = None
    if rng.random() < calendar_name_rate:
        calendar = account if rng.random() < 0.85 else f"{given_latin} {family_latin}"
    return SynthPerson(
        given,
        family,
        middle,
        given_latin,
        family_latin,
        middle_latin,
        info.code,
        info.family_first,
        email,
        account,
        calendar,
        _nickname(given_latin, rng),
        kind,
    )


def make_people(
    rng: random.Random,
    n: int,
    domain: str,
    *,
    locales: Sequence[str] | None = None,
    pattern: str | None = None,
    taken: set[str] | None = None,
    calendar_name_rate: float = 0.65,
) -> list[SynthPerson]:
    """Generate ``n`` colleagues at ``domain`` sharing one email pattern (drawn when ``None``)."""
    pattern = pattern or pick_pattern(rng)
    taken = taken if taken is not None else set()
    return [
        make_person(
            rng,
            kind="internal",
            domain=domain,
            pattern=pattern,
            locales=locales,
            taken=taken,
            calendar_name_rate=calendar_name_rate,
        )
        for _ in range(n)
    ]


def make_externals(
    rng: random.Random,
    n: int,
    partner_patterns: Mapping[str, str],
    *,
    locales: Sequence[str] | None = None,
    taken: set[str] | None = None,
    calendar_name_rate: float = 0.3,
) -> list[SynthPerson]:
    """Generate ``n`` people from outside: partner companies (domain → their email pattern),
    personal domains and shared mail services."""
    taken = taken if taken is not None else set()
    domains = sorted(partner_patterns)
    people = []
    for _ in range(n):
        roll = rng.random()
        kind = "partner" if roll < 0.6 and domains else ("personal" if roll < 0.7 else "free_mail")
        domain = rng.choice(domains) if kind == "partner" else None
        people.append(
            make_person(
                rng,
                kind=kind,
                domain=domain,
                pattern=partner_patterns[domain] if domain else None,
                locales=locales,
                taken=taken,
                calendar_name_rate=calendar_name_rate,
            )
        )
    return people


__all__ = ["SynthPerson", "make_externals", "make_people", "make_person", "native_name"]
