"""Email addresses the way organisations and people make them.

A company picks one local-part pattern (:data:`COMPANY_PATTERNS`) and adds digits on
collisions (``jane.doe2``); people outside it use partner companies' patterns, a personal domain
(``me@janedoe.com``) or a shared mail service (``jane.doe87@gmail.com``, sometimes with a
``+tag``).  Local parts are lower-case ASCII.
"""

from __future__ import annotations

import random
import re

from anyascii import anyascii

COMPANY_PATTERNS: dict[str, float] = {
    "first.last": 40,
    "flast": 14,
    "first": 7,
    "first_last": 6,
    "firstl": 4,
    "last.first": 5,
    "firstlast": 8,
    "f.last": 8,
    "last": 3,
    "first-last": 5,
}
"""Local-part patterns of company addresses and how often companies choose each."""

FREE_MAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "": ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me"),
    "de_DE": ("gmx.de", "web.de", "t-online.de", "gmail.com"),
    "fr_FR": ("orange.fr", "free.fr", "laposte.net", "gmail.com"),
    "ru_RU": ("yandex.ru", "mail.ru", "gmail.com"),
    "uk_UA": ("ukr.net", "gmail.com"),
    "zh_CN": ("qq.com", "163.com", "126.com"),
    "ko_KR": ("naver.com", "daum.net", "gmail.com"),
    "ja_JP": ("yahoo.co.jp", "gmail.com", "icloud.com"),
    "pl_PL": ("wp.pl", "o2.pl", "gmail.com"),
    "it_IT": ("libero.it", "gmail.com"),
    "pt_BR": ("uol.com.br", "bol.com.br", "gmail.com"),
    "cs_CZ": ("seznam.cz", "gmail.com"),
}
"""Shared mail services by locale (``""`` for everywhere)."""

PERSONAL_LOCALS = ("me", "hello", "hi", "contact", "mail")
"""Local parts used on personal domains (me@janedoe.com), besides the given name."""

_CLEAN = re.compile(r"[^a-z0-9\-]+")


def ascii_part(text: str) -> str:
    """Lower-case ASCII form of a name part for an address ("Müller" → "muller", "O'Neil" → "oneil")."""
    return _CLEAN.sub("", anyascii(text).lower().replace(" ", "-"))


def pick_pattern(rng: random.Random) -> str:
    """Draw a company's local-part pattern."""
    return rng.choices(list(COMPANY_PATTERNS), weights=list(COMPANY_PATTERNS.values()))[0]


def local_part(pattern: str, given: str, family: str, rng: random.Random) -> str:
    """Build a local part from ASCII name parts (hyphenated parts are sometimes joined)."""
    first = given.split("-")[0] if rng.random() < 0.3 else given
    last = family.replace("-", "") if rng.random() < 0.5 else family
    first, last = first.replace("-", ""), last or first
    return {
        "first.last": f"{first}.{last}",
        "flast": f"{first[:1]}{last}",
        "first": first,
        "first_last": f"{first}_{last}",
        "firstl": f"{first}{last[:1]}",
        "last.first": f"{last}.{first}",
        "firstlast": f"{first}{last}",
        "f.last": f"{first[:1]}.{last}",
        "last": last,
        "first-last": f"{first}-{last}",
    }[pattern]


def unique_address(local: str, domain: str, taken: set[str], rng: random.Random) -> str:
    """Return ``local@domain``, with digits added when the address is already taken."""
    address = f"{local}@{domain}"
    number = 2
    while address in taken:
        suffix = str(number) if rng.random() < 0.7 else str(rng.randint(10, 99))
        address = f"{local}{suffix}@{domain}"
        number += 1
    taken.add(address)
    return address


def free_mail_address(given: str, family: str, locale: str, taken: set[str], rng: random.Random) -> str:
    """An address at a shared mail service, often with digits and sometimes a ``+tag``."""
    domains = FREE_MAIL_DOMAINS.get(locale, ()) + FREE_MAIL_DOMAINS[""]
    domain = rng.choice(domains)
    style = rng.random()
    if style < 0.4:
        local = local_part("first.last", given, family, rng)
    elif style < 0.7:
        local = local_part("firstlast", given, family, rng) + str(rng.randint(1, 99))
    elif style < 0.85:
        local = local_part("flast", given, family, rng) + str(rng.randint(1, 999))
    else:
        local = local_part("first_last", given, family, rng)
    if rng.random() < 0.05:
        local += rng.choice(("+work", "+meet", "+cal"))
    return unique_address(local, domain, taken, rng)


def personal_domain_address(given: str, family: str, taken: set[str], rng: random.Random) -> str:
    """An address on the person's own domain: ``me@janedoe.com`` or ``jane@janedoe.com``."""
    domain = f"{given.replace('-', '')}{family.replace('-', '')}.{rng.choice(('com', 'net', 'io', 'me'))}"
    local = given.replace("-", "") if rng.random() < 0.4 else rng.choice(PERSONAL_LOCALS)
    return unique_address(local, domain, taken, rng)


__all__ = [
    "COMPANY_PATTERNS",
    "FREE_MAIL_DOMAINS",
    "PERSONAL_LOCALS",
    "ascii_part",
    "free_mail_address",
    "local_part",
    "personal_domain_address",
    "pick_pattern",
    "unique_address",
]
