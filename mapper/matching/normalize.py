"""Name normalisation: decorations off, "Last, First" turned round, folded to lower-case ASCII.

The steps, in order (docs/MATCHING.md explains why):

1. Unicode NFKC; emoji, symbols and invisible characters removed.
2. Decorations removed: anything in brackets ("(Guest)", "[EXT]", "(she/her)"), pronouns
   written without brackets ("she/her"), everything after a separator (" | Acme", " - Acme",
   " @ Acme"), trailing decoration words ("External", "Unverified"; "Guest" only in brackets,
   since Guest and Gast are also family names).
3. "Last, First Middle" becomes "First Middle Last"; suffixes after commas ("Jr.", "PhD") go.
4. Folding to ASCII with anyascii ("José" → "jose", "Иван" → "ivan", "김민준" → "kim minjun"),
   with runs of Han / Hangul split into family name + given name; apostrophes vanish
   ("O'Brien" → "obrien"), other punctuation separates tokens; case is dropped.
5. Leading titles ("Dr.", "Prof.", "Herr") and, from three tokens on, trailing suffixes
   ("Jr", "III") are dropped.

:func:`normalize_name` is idempotent.  :func:`fold_variants` also returns the German / Nordic
spelling ("Müller" → "mueller") and the conventional Korean family-name spelling ("gim" → "kim").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|<[^<>]*>|（[^（）]*）|【[^【】]*】")
_OPEN_BRACKET = re.compile(r"[(\[{<（【].*$")
_PRONOUNS = re.compile(
    r"(?i)(?<![\w])(?:she|he|they|ze|xe|zie|sie|er|il|elle|ella|él|ele|iel)\s*/\s*"
    r"(?:her|him|them|hers|his|their|theirs|zir|hir|xem|ihr|ihm|ihn|sie|lui|elle|ella|él|ele|dela|dele|iel)"
    r"(?:\s*/\s*\w+)*(?![\w])"
)
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|@|/|·|•)\s+|\s*\|\s*|\s+(?:-|–|—)\s*$")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200f\u2060-\u206f]")
_DROP_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc", "Me"})
_SPLIT = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`ʼ´‘]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_HAN}]{{2,}}|[{_HANGUL}]{{2,}}")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\s]")

DECORATION_WORDS = frozenset(
    {
        "external",
        "ext",
        "extern",
        "externe",
        "externo",
        "externa",
        "unverified",
        "nonverified",
    }
)
"""Folded words dropped from the end of a name when a name remains before them."""

TITLES = frozenset(
    {
        "dr",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "sir",
        "dame",
        "herr",
        "frau",
        "mme",
        "mlle",
        "dott",
        "dottssa",
        "ing",
        "dipl",
        "sr",
        "sra",
        "srta",
        "pan",
        "pani",
        "univ",
    }
)
"""Folded titles dropped from the start of a name."""

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa", "dds", "rn", "msc", "bsc"})
"""Folded suffixes dropped after a comma, or from the end of a name of three tokens or more."""

_CN_COMPOUND_FAMILY = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "歐陽",
        "司徒",
        "諸葛",
    ]
)
KOREAN_FAMILY = {
    "gim": "kim",
    "i": "lee",
    "ri": "lee",
    "bak": "park",
    "choe": "choi",
    "jeong": "jung",
    "gang": "kang",
    "jo": "cho",
    "yun": "yoon",
    "jang": "jang",
    "im": "lim",
    "o": "oh",
    "seo": "seo",
    "sin": "shin",
    "gwon": "kwon",
    "an": "ahn",
    "jeon": "jeon",
    "go": "ko",
    "mun": "moon",
    "baek": "baek",
    "heo": "heo",
    "yu": "yoo",
    "sim": "shim",
    "no": "roh",
    "gwak": "kwak",
    "seong": "sung",
    "ju": "joo",
    "u": "woo",
    "gu": "koo",
    "ryu": "ryu",
    "eom": "um",
    "gil": "kil",
    "gong": "kong",
}
"""Revised Romanization of common Korean family names → the spelling most people use."""

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ø": "oe", "Ø": "Oe"})
_UMLAUTS |= str.maketrans({"å": "aa", "Å": "Aa"})


def _strip_symbols(text: str) -> str:
    if text.isascii():
        return text if text.isprintable() else "".join(ch if ch.isprintable() else " " for ch in text)
    text = _VARIATION_SELECTORS.sub("", unicodedata.normalize("NFKC", text))
    return "".join(" " if unicodedata.category(ch) in _DROP_CATEGORIES else ch for ch in text)


def strip_decorations(text: str) -> str:
    """Remove emoji, bracketed notes, pronouns and " | Company" tails; keep the name's script.

    >>> strip_decorations("Jane Doe (she/her) | Acme 🚀")
    'Jane Doe'
    """
    text = _strip_symbols(text)
    text = _PRONOUNS.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _BRACKETS.sub(" ", text)
    text = _OPEN_BRACKET.sub(" ", text)
    parts = [part for part in _SEPARATOR.split(text) if part.strip(" -–—|@/")]
    text = parts[0] if parts else ""
    return " ".join(text.split())


def _reorder_commas(text: str) -> str:
    if "," not in text:
        return text
    parts = [part.strip() for part in text.split(",")]
    kept = [part for part in parts if part and "".join(_SPLIT.split(_fold_plain(part))) not in SUFFIXES]
    parts = kept or [part for part in parts if part]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    return " ".join(parts)


def _split_cjk(match: re.Match[str]) -> str:
    run = match.group(0)
    cut = 2 if run[:2] in _CN_COMPOUND_FAMILY else 1
    return f" {run[:cut]}\u0000{run[cut:]} "


def _fold_plain(text: str) -> str:
    return anyascii(text).lower()


def _fold(text: str, *, umlauts: bool) -> str:
    if not text.isascii():
        text = _CJK_RUN.sub(_split_cjk, text)
        if umlauts:
            text = text.translate(_UMLAUTS)
        pieces = []
        for piece in text.split(" "):
            family, sep, given = piece.partition("\u0000")
            if sep:
                folded_family = anyascii(family).lower()
                if umlauts and "\uac00" <= family[0] <= "\ud7af":
                    folded_family = KOREAN_FAMILY.get(folded_family, folded_family)
                pieces.append(f"{folded_family} {anyascii(given).lower()}")
            else:
                pieces.append(anyascii(piece).lower())
        text = " ".join(pieces)
    else:
        text = text.lower()
    return _APOSTROPHES.sub("", text)


def _trim(tokens: list[str]) -> list[str]:
    """Drop leading titles, trailing decoration words and suffixes, until nothing changes."""
    tokens = [t for t in tokens if t]
    size = -1
    while size != len(tokens):
        size = len(tokens)
        while len(tokens) > 1 and tokens[0] in TITLES:
            tokens.pop(0)
        while len(tokens) > 1 and tokens[-1] in DECORATION_WORDS:
            tokens.pop()
        while len(tokens) > 2 and tokens[-1] in SUFFIXES:
            tokens.pop()
    return tokens


@lru_cache(maxsize=65536)
def cleaned(text: str) -> str:
    """The display name without decorations and with "Last, First" turned round (still Unicode)."""
    return _reorder_commas(strip_decorations(text))


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Return the canonical form of a display name: lower-case ASCII words in display order.

    Decorations are removed, "Last, First" is turned round and every script is folded to ASCII.
    Idempotent: ``normalize_name(normalize_name(s)) == normalize_name(s)`` (the result has no
    brackets, separators, commas or capitals left, and its titles and suffixes are gone).

    >>> normalize_name("Müller, José (External) 🎉")
    'jose muller'
    """
    return " ".join(_trim(_SPLIT.split(_fold(cleaned(text), umlauts=False))))


@lru_cache(maxsize=65536)
def fold_variants(text: str) -> tuple[tuple[str, ...], ...]:
    """Return the token lists of a display name: the plain folding first, then spelling variants.

    The second variant, when different, spells umlauts the German way ("Müller" → "mueller"),
    "ø"/"å" the Nordic way and Korean family names the usual way ("김" → "kim", not "gim"); a
    last one joins hyphenated words ("Klaus-Günter" → "klausgunter").
    """
    plain = tuple(normalize_name(text).split())
    variants = [plain] if plain else []
    clean = cleaned(text)
    if not clean.isascii():
        tokens = tuple(_trim(_SPLIT.split(_fold(clean, umlauts=True))))
        if tokens and tokens not in variants:
            variants.append(tokens)
    if "-" in clean:
        joined = tuple(_trim(_SPLIT.split(_fold(clean.replace("-", ""), umlauts=False))))
        if joined and joined not in variants:
            variants.append(joined)
    return tuple(variants)


_LOOSE = (
    ("x", "ks"),
    ("ph", "f"),
    ("kh", "h"),
    ("ck", "k"),
    ("th", "t"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("ou", "u"),
)
_DOUBLES = re.compile(r"([a-z])\1+")


def loose(text: str) -> str:
    """A coarse spelling of folded text for approximate comparison across transliterations.

    "aleksandr" / "alexander", "dmitriy" / "dmitry", "yuliya" / "iuliia" come closer:
    x → ks, y / j → i, w → v, ph → f, kh → h, th → t, doubled letters single.
    """
    for old, new in _LOOSE:
        text = text.replace(old, new)
    return _DOUBLES.sub(r"\1", text)


@lru_cache(maxsize=65536)
def script_key(text: str) -> str | None:
    """Return the name's non-Latin letters without spaces, or ``None`` for Latin-script names.

    Two names written in the same non-Latin script compare exactly on this key even when
    their spacing differs ("田中太郎" / "田中 太郎").
    """
    clean = cleaned(text)
    if clean.isascii() or not _NON_LATIN.search(clean):
        return None
    return "".join(ch for ch in clean.casefold() if ch.isalnum())


__all__ = [
    "DECORATION_WORDS",
    "KOREAN_FAMILY",
    "SUFFIXES",
    "TITLES",
    "cleaned",
    "fold_variants",
    "loose",
    "normalize_name",
    "script_key",
    "strip_decorations",
]
