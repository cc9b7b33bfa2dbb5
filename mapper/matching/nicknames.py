"""Given-name nicknames (Bob/Robert, Liz/Elizabeth) from the shipped Apache-2.0 table.

The table is ``data/nicknames.csv`` from the *nicknames* project by Carlton Northern, Nick
Crews and contributors (see ``data/NICKNAMES-NOTICE.md``).  Only direct relations count, in
either direction: "bob" is related to "robert" because ``robert,has_nickname,bob``; "bob" and
"rob" are *not* related through "robert" (two hops connect too much: bill, bob and fred would
all meet through "robert").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib.resources import files


@cache
def nickname_table() -> Mapping[str, frozenset[str]]:
    """Return name → names directly related to it as nickname or formal name (lower-case ASCII)."""
    text = files("mapper.matching").joinpath("data").joinpath("nicknames.csv").read_text(encoding="utf-8")
    related: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["relationship"] != "has_nickname":
            continue
        formal, nick = row["name1"].strip().lower(), row["name2"].strip().lower()
        if not formal.isalpha() or not nick.isalpha() or formal == nick:
            continue
        related.setdefault(formal, set()).add(nick)
        related.setdefault(nick, set()).add(formal)
    return {name: frozenset(names) for name, names in related.items()}


def related_names(name: str) -> frozenset[str]:
    """Return the names directly related to ``name`` ("bob" → {"robert", "bert", "bobby", …})."""
    return nickname_table().get(name, frozenset())


def are_nicknames(a: str, b: str) -> bool:
    """Whether two folded given names are the same name or directly related nicknames."""
    return a == b or b in related_names(a)


__all__ = ["are_nicknames", "nickname_table", "related_names"]
