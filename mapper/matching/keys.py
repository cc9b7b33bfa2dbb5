"""Blocking keys: the exact-match hypotheses a display name or an email address stands for.

A key is a string in one of five namespaces plus how it was obtained:

- ``N:`` the sorted full-word tokens ("N:doe jane"): the whole name;
- ``I:`` an initial and a word ("I:j|doe"): "J. Doe", jdoe@, "Jane D.";
- ``T:`` one word ("T:jane"): first-name-only names, jane@;
- ``C:`` words written together ("C:janedoe"): "JaneDoe", janedoe@, me@janedoe.com;
- ``X:`` the letters of a non-Latin name without spaces ("X:田中太郎");
- ``J:`` the two initials of a name written as one word and one initial ("Victor B.", v.bedi@).

and a derivation: ``NATIVE`` (what the name *is*), ``PAIR`` (two words of a longer name: middle
names dropped), ``NICK`` (one word swapped for a related nickname) or ``DERIVED`` (an initial,
word or joined form computed from a fuller name).  Two keys only count as a match when at least
one side is ``NATIVE``: "Jane Doe" and "John Doe" both *derive* ``I:j|doe`` and must not match,
while "J. Doe" *is* ``I:j|doe``.  Looking keys up in dicts keeps the common case free of
pairwise comparisons.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, permutations

from anyascii import anyascii

from mapper.matching.nicknames import related_names
from mapper.matching.normalize import fold_variants, script_key

NATIVE = 0
PAIR = 1
NICK = 2
DERIVED = 3

Key = tuple[str, int]

PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le"}
    | {"ter", "ten", "zu", "bin", "binti", "al", "el", "st", "ben", "af", "av", "mac", "mc", "dela"}
)
"""Words that belong to the following family name ("van der Berg", "da Silva", "al Harbi")."""

GENERIC_LOCALS = frozenset(
    {"me", "hi", "hello", "hey", "mail", "email", "contact", "info", "inbox", "office", "post"}
    | {"hallo", "kontakt", "contato", "contacto", "bonjour", "ciao", "hola", "ola", "yo", "main"}
)
"""Email local parts that say nothing about the name, so the domain may (me@janedoe.com)."""

FREE_MAIL = frozenset(
    {"gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail", "icloud", "me"}
    | {"mac", "aol", "proton", "protonmail", "pm", "gmx", "web", "mail", "yandex", "qq", "163"}
    | {"126", "naver", "daum", "hanmail", "orange", "free", "wanadoo", "libero", "seznam", "wp"}
    | {"o2", "interia", "rediffmail", "zoho", "fastmail", "hey", "tutanota", "btinternet", "comcast"}
    | {"sky", "virgilio", "laposte", "sfr", "bol", "uol", "terra", "example", "googlegroups"}
)
"""Second-level domain labels of shared mail services: their domain never names a person."""

_LOCAL_SPLIT = re.compile(r"[._\-]+")
_DIGITS = re.compile(r"\d+")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


def _token_lists(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tokens as given, with particles joined to the next word, and with particles dropped."""
    if len(tokens) <= 2 and not any(t.isdigit() for t in tokens):
        return [tokens]
    tokens = tuple(t for t in tokens if not t.isdigit())
    lists = [tokens]
    if len(tokens) >= 3 and any(t in PARTICLES for t in tokens[1:-1]):
        merged: list[str] = []
        dropped: list[str] = []
        carry = ""
        for position, token in enumerate(tokens):
            if 0 < position < len(tokens) - 1 and token in PARTICLES:
                carry += token
                continue
            merged.append(carry + token)
            dropped.append(token)
            carry = ""
        for variant in (tuple(merged), tuple(dropped)):
            if len(variant) >= 2 and variant not in lists:
                lists.append(variant)
    if 3 <= len(tokens) <= 4:
        # Double given names and compound family names written as one word ("maryann.smith").
        for at in range(len(tokens) - 1):
            joined = (*tokens[:at], tokens[at] + tokens[at + 1], *tokens[at + 2 :])
            if joined not in lists:
                lists.append(joined)
    return lists


def _add(keys: dict[str, int], key: str, derivation: int) -> None:
    known = keys.get(key)
    if known is None or derivation < known:
        keys[key] = derivation


def _tokens_keys(tokens: tuple[str, ...], keys: dict[str, int], *, nicknames: bool) -> None:
    full = [t for t in tokens if len(t) > 1]
    initials = [t for t in tokens if len(t) == 1]
    if len(full) >= 2:
        _add(keys, "N:" + " ".join(sorted(full)), NATIVE)
        if len(full) <= 5:
            for pair in combinations(full, 2):
                _add(keys, "N:" + " ".join(sorted(pair)), PAIR)
        else:
            _add(keys, "N:" + " ".join(sorted((full[0], full[-1]))), PAIR)
        if nicknames:
            # Given names stand first or last (family-name-first orders); never a particle.
            for position in {0, len(full) - 1}:
                token = full[position]
                if token in PARTICLES:
                    continue
                for other in related_names(token):
                    swapped = [*full[:position], other, *full[position + 1 :]]
                    _add(keys, "N:" + " ".join(sorted(swapped)), NICK)
        head = full[:4]
        for a, b in permutations(head, 2):
            _add(keys, f"I:{a[0]}|{b}", DERIVED)
            _add(keys, f"C:{a}{b}", DERIVED)
        if len(full) >= 3:
            _add(keys, "C:" + "".join(full), DERIVED)
            _add(keys, "C:" + "".join(reversed(full)), DERIVED)
        for token in full:
            _add(keys, "T:" + token, DERIVED)
    elif len(full) == 1:
        word = full[0]
        if initials:
            # "J. Doe" / "j.doe@": the word is most likely a family name, so it is no "T:" key
            # (a participant showing one word shows a given name far more often).
            for initial in initials:
                _add(keys, f"I:{initial}|{word}", NATIVE)
            if len(tokens) == 2:
                # "Victor B." and "v.bedi@": the two initials in writing order.
                _add(keys, f"J:{tokens[0][0]}{tokens[1][0]}", NATIVE)
        else:
            _add(keys, "T:" + word, NATIVE)
            _add(keys, "C:" + word, NATIVE)


@lru_cache(maxsize=65536)
def name_keys(display_name: str, nicknames: bool = True) -> tuple[Key, ...]:
    """Return the keys of a display name (every spelling variant, particles joined and dropped).

    Nickname keys are only needed on one side of a comparison (the relation is symmetric), so
    the matcher asks for them for participants and not for invitees.
    """
    keys: dict[str, int] = {}
    for variant in fold_variants(display_name):
        for tokens in _token_lists(variant):
            _tokens_keys(tokens, keys, nicknames=nicknames)
    script = script_key(display_name)
    if script:
        _add(keys, "X:" + script, NATIVE)
    return tuple(keys.items())


@lru_cache(maxsize=65536)
def split_email(email: str) -> tuple[str, str]:
    """Return the folded local part (``+tag`` and digits removed) and the domain of ``email``."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if not local.isascii():
        local = anyascii(local).lower()
    return _DIGITS.sub("", local), domain


def domain_label(domain: str) -> str:
    """Return the registrable label of a domain ("mail.janedoe.co.uk" → "janedoe")."""
    labels = [label for label in domain.split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def email_tokens(email: str, *, personal: bool = True) -> tuple[str, ...]:
    """Return the name words an email address spells (local part, or a personal domain).

    With ``personal`` (the domain is nobody else's in this meeting) the domain can name the
    person too: ``me@janedoe.com`` → ("janedoe",), ``jane@janedoe.com`` → ("jane", "doe").
    """
    local, domain = split_email(email)
    parts = tuple(p for p in _LOCAL_SPLIT.split(local) if p)
    if not personal:
        return parts
    label = domain_label(domain)
    usable = label.isalpha() and label not in FREE_MAIL and len(label) > 2
    if not parts or (len(parts) == 1 and parts[0] in GENERIC_LOCALS):
        return (label,) if usable else ()
    if usable and len(parts) == 1 and label != parts[0]:
        word = parts[0]
        if label.startswith(word) and len(label) - len(word) >= 2:
            return (word, label[len(word) :])
        if label.endswith(word) and len(label) - len(word) >= 2:
            return (label[: -len(word)], word)
    return parts


@lru_cache(maxsize=65536)
def email_keys(email: str, personal: bool = True) -> tuple[Key, ...]:
    """Return the keys an email address stands for under the usual company patterns.

    ``jane.doe`` / ``doe.jane`` / ``jane_doe`` → ``N:doe jane``; ``jdoe`` → ``I:j|doe`` (and the
    ``firstl`` reading ``I:e|jdo``, and for longer words ``T:`` of that reading, so ``janed`` fits a
    bare "Jane"); ``jane`` → ``T:jane``; ``janedoe`` → ``C:janedoe``; with
    ``personal`` also ``me@janedoe.com`` → ``C:janedoe`` and ``jane@janedoe.com`` → ``N:doe jane``.
    """
    keys: dict[str, int] = {}
    parts = email_tokens(email, personal=personal)
    if len(parts) >= 2:
        for tokens in _token_lists(parts):
            _tokens_keys(tokens, keys, nicknames=False)
        if all(len(p) > 1 for p in parts):
            _add(keys, "C:" + "".join(parts), DERIVED)
    elif len(parts) == 1 and len(parts[0]) > 1:
        word = parts[0]
        _add(keys, "T:" + word, NATIVE)
        _add(keys, "C:" + word, NATIVE)
        if len(word) >= 3:
            _add(keys, f"I:{word[0]}|{word[1:]}", NATIVE)
            _add(keys, f"I:{word[-1]}|{word[:-1]}", NATIVE)
        if len(word) >= 5:
            # the ``firstl`` reading seen from a first name alone: "priscilap" fits "Priscila"
            _add(keys, "T:" + word[:-1], DERIVED)
    return tuple(keys.items())


__all__ = [
    "DERIVED",
    "FREE_MAIL",
    "GENERIC_LOCALS",
    "NATIVE",
    "NICK",
    "PAIR",
    "PARTICLES",
    "Key",
    "domain_label",
    "email_keys",
    "email_tokens",
    "name_keys",
    "split_email",
]
