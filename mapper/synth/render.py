"""How a person's name shows up in a call: labelled display-name renderings.

:func:`render_display_name` returns the text and the variant actually used (a variant that does
not apply to the person — a nickname for someone without one — falls back to ``"plain"``).
:data:`VARIANTS` maps each variant to its default weight, roughly how often it is seen.
"""

from __future__ import annotations

import random

from anyascii import anyascii

from mapper.synth.people import SynthPerson

VARIANTS: dict[str, float] = {
    "plain": 44,
    "calendar_name": 4,
    "nickname": 4,
    "last_first_comma": 3,
    "family_first": 2,
    "middle_initial": 2,
    "middle_name": 1.5,
    "ascii_folded": 3,
    "native_script": 2,
    "umlaut_spelling": 0.5,
    "lower_case": 3,
    "upper_case": 1,
    "guest": 2,
    "external": 2,
    "unverified": 1,
    "pronouns": 2,
    "company_suffix": 2,
    "emoji": 2,
    "device_owner": 2,
    "first_name_only": 4,
    "initial_last": 1,
    "first_initial": 1.5,
    "email_as_name": 1,
    "typo": 1.5,
    "joined": 0.5,
    "title": 0.5,
}
"""Every rendering variant and its default weight."""

EMOJI = ("🌴", "🎧", "🚀", "☕", "🏳️‍🌈", "🇧🇷", "👋🏽", "✨", "🐶", "🎉")
PRONOUNS = ("(she/her)", "(he/him)", "(they/them)", "she/her", "(he/they)", "(sie/ihr)", "(il/lui)")
DEVICES = ("iPhone", "iPad", "Galaxy S21", "Pixel 7", "MacBook Pro", "Android")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def pick_variant(rng: random.Random, weights: dict[str, float] | None = None) -> str:
    """Draw a variant by weight (:data:`VARIANTS` by default)."""
    table = weights or VARIANTS
    return rng.choices(list(table), weights=list(table.values()))[0]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    edit = rng.random()
    if edit < 0.3:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if edit < 0.6:
        return word[:at] + word[at + 1 :]
    if edit < 0.8:
        return word[:at] + word[at] + word[at:]
    letter = rng.choice("aeiou") if word[at] not in "aeiou" else rng.choice("nrstl")
    return word[:at] + letter + word[at + 1 :]


def _company(person: SynthPerson) -> str:
    label = person.email.rpartition("@")[2].split(".")[0]
    return label.capitalize() or "Acme"


def _render(rng: random.Random, p: SynthPerson, variant: str) -> str | None:
    base = p.account_name
    given, family = p.given_latin, p.family_latin
    first = given.split(" ")[0]
    latin_script = base.isascii() or (anyascii(base) != base and p.given == p.given_latin)
    simple: dict[str, str | None] = {
        "plain": base,
        "calendar_name": p.calendar_display_name,
        "nickname": f"{p.nickname} {family}" if p.nickname else None,
        "last_first_comma": f"{family}, {given}",
        "family_first": f"{family} {given}",
        "middle_initial": f"{given} {(p.middle_latin or rng.choice('ABCDEFGHJKLMNPRSTW'))[0]}. {family}",
        "middle_name": f"{given} {p.middle_latin} {family}" if p.middle_latin else None,
        "ascii_folded": anyascii(f"{given} {family}") if anyascii(f"{given} {family}") != base else None,
        "native_script": p.native_name if p.native_name != base and not p.given.isascii() else None,
        "lower_case": base.lower() if latin_script else None,
        "upper_case": base.upper() if latin_script else None,
        "guest": f"{base} (Guest)",
        "external": f"{base} {rng.choice(('(External)', '[EXT]', '(extern)', 'External'))}",
        "unverified": f"{base} (Unverified)",
        "pronouns": f"{base} {rng.choice(PRONOUNS)}",
        "company_suffix": f"{base} {rng.choice(('|', '-', '@'))} {_company(p)}",
        "first_name_only": first,
        "initial_last": f"{first[0]}. {family}",
        "first_initial": f"{given} {family[0]}.",
        "email_as_name": p.email,
        "joined": f"{first}{family.replace(' ', '')}",
        "title": f"{rng.choice(('Dr.', 'Prof.', 'Dr'))} {given} {family}",
    }
    if variant in simple:
        return simple[variant]
    if variant == "umlaut_spelling":
        spelled = base.translate(_UMLAUTS)
        return spelled if spelled != base else None
    if variant == "emoji":
        mark = rng.choice(EMOJI)
        return f"{mark} {base}" if rng.random() < 0.4 else f"{base} {mark}"
    if variant == "device_owner":
        device = rng.choice(DEVICES)
        style = rng.random()
        if style < 0.6:
            possessive = rng.choice(("'s", "’s", "s"))
            return f"{first}{possessive} {device}"
        return f"{device} {rng.choice(('de', 'von', 'di'))} {first}"
    if variant == "typo":
        if len(family) >= 5 and rng.random() < 0.6:
            return f"{given} {_typo(family, rng)}"
        typo = _typo(first, rng)
        return f"{typo} {family}" if typo != first else None
    raise ValueError(f"unknown variant {variant!r}")


def render_display_name(rng: random.Random, person: SynthPerson, variant: str | None = None) -> tuple[str, str]:
    """Return how ``person`` shows up in a call and the variant used.

    ``variant`` is one of :data:`VARIANTS` (drawn by weight when ``None``).  When it does not
    apply to the person the plain account name is returned with the label ``"plain"``.
    """
    chosen = variant or pick_variant(rng)
    text = _render(rng, person, chosen)
    if not text:
        return person.account_name, "plain"
    return text, chosen


__all__ = ["DEVICES", "EMOJI", "PRONOUNS", "VARIANTS", "pick_variant", "render_display_name"]
