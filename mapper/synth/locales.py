"""The locales of the synthetic population and how each writes and romanises names.

Names come from Faker (MIT) only.  Non-Latin names are romanised the way people of that locale
usually spell them in email addresses: Faker's own romanisation for Japanese, pinyin for
Chinese, Revised Romanisation with the customary family-name spellings for Korean (Kim, Lee,
Park — not Gim, I, Bak), and anyascii for the rest (with the common "x"/"ks" and "iy"/"y"
alternatives for Cyrillic, so that not every romanisation is the one the matcher would guess).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii
from faker import Faker

_LETTERS = re.compile(r"[^A-Za-z\-]")


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    """How one locale writes names."""

    code: str
    weight: float
    """Share of the population drawn from this locale (relative)."""
    family_first: bool = False
    """Whether the family name is written first (Japanese, Chinese, Korean, Vietnamese, Hungarian)."""
    latin: bool = True
    """Whether names are written in Latin script."""
    middle: bool = False
    """Whether Faker gives a middle name / patronymic (Russian, Ukrainian, Vietnamese)."""


LOCALES: tuple[LocaleInfo, ...] = (
    LocaleInfo("en_US", 18),
    LocaleInfo("en_GB", 7),
    LocaleInfo("de_DE", 7),
    LocaleInfo("fr_FR", 6),
    LocaleInfo("es_ES", 5),
    LocaleInfo("pt_BR", 5),
    LocaleInfo("it_IT", 4),
    LocaleInfo("pl_PL", 3),
    LocaleInfo("nl_NL", 3),
    LocaleInfo("sv_SE", 2),
    LocaleInfo("tr_TR", 3),
    LocaleInfo("cs_CZ", 1),
    LocaleInfo("hu_HU", 1, family_first=True),
    LocaleInfo("ru_RU", 3, latin=False, middle=True),
    LocaleInfo("uk_UA", 2, latin=False, middle=True),
    LocaleInfo("el_GR", 1, latin=False),
    LocaleInfo("ja_JP", 4, family_first=True, latin=False),
    LocaleInfo("zh_CN", 6, family_first=True, latin=False),
    LocaleInfo("ko_KR", 3, family_first=True, latin=False),
    LocaleInfo("en_IN", 5),
    LocaleInfo("hi_IN", 1, latin=False),
    LocaleInfo("ar_AA", 2, latin=False),
    LocaleInfo("vi_VN", 3, family_first=True, middle=True),
)
"""Every locale of the population, with its relative weight."""

BY_CODE = {info.code: info for info in LOCALES}

KOREAN_FAMILY_SPELLING = {
    "Gim": "Kim",
    "I": "Lee",
    "Ri": "Lee",
    "Bak": "Park",
    "Choe": "Choi",
    "Jeong": "Jung",
    "Gang": "Kang",
    "Jo": "Cho",
    "Yun": "Yoon",
    "Im": "Lim",
    "O": "Oh",
    "Sin": "Shin",
    "Gwon": "Kwon",
    "An": "Ahn",
    "Go": "Ko",
    "Mun": "Moon",
    "Yu": "Yoo",
    "Sim": "Shim",
    "No": "Roh",
    "Gwak": "Kwak",
    "Seong": "Sung",
    "Ju": "Joo",
    "U": "Woo",
    "Gu": "Koo",
}
"""Customary spellings of Korean family names (as opposed to strict Revised Romanisation)."""


@cache
def faker_for(code: str) -> Faker:
    """Return the (shared) Faker of a locale; callers seed it before use."""
    return Faker(code)


def pick_locale(rng: random.Random, locales: tuple[str, ...] | None = None) -> LocaleInfo:
    """Draw a locale by weight (from ``locales`` only, when given)."""
    pool = [BY_CODE[c] for c in locales] if locales else list(LOCALES)
    return rng.choices(pool, weights=[info.weight for info in pool])[0]


def _cyrillic(text: str, rng: random.Random) -> str:
    latin = anyascii(text)
    if rng.random() < 0.25:
        latin = latin.replace("ks", "x").replace("iy", "y").replace("Iu", "Yu").replace("ia", "ya")
    return latin


def romanize(text: str, locale: str, rng: random.Random, *, family: bool = False) -> str:
    """Romanise one name part of ``locale`` the way an email address would spell it."""
    if not text:
        return text
    if locale == "ko_KR":
        latin = anyascii(text)
        if family:
            return KOREAN_FAMILY_SPELLING.get(latin, latin)
        if len(text) == 2 and rng.random() < 0.3:
            return "-".join(anyascii(ch) for ch in text).capitalize()
        return latin.capitalize()
    if locale == "zh_CN":
        return anyascii(text).capitalize()
    if locale in ("ru_RU", "uk_UA"):
        return _cyrillic(text, rng)
    latin = " ".join(_LETTERS.sub("", word) for word in anyascii(text).split())
    return latin.title() if locale in ("ar_AA", "hi_IN", "el_GR") else latin


__all__ = ["BY_CODE", "KOREAN_FAMILY_SPELLING", "LOCALES", "LocaleInfo", "faker_for", "pick_locale", "romanize"]
