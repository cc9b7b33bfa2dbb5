"""Rejoin duplicates collapse into one person before anything is matched.

Participants are the same person when they share a stable platform id, a user id or an exact
email, or when they show the same normalised name (in any word order, with or without middle
initials, or written as one word: "Tom Mendez" / "Mendez Tom" / "Tom E. Mendez" / "TomMendez")
— unless the name is generic ("Guest",
"iPhone", a phone number, a bot) or the two sides carry conflicting identifiers (two signed-in
"Alex Chen" with different user ids are two people).  A group's id is the id of its first
participant in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mapper.matching.classify import Category, Classification
from mapper.matching.normalize import normalize_name
from mapper.matching.types import Participant, normalize_email

_NAME_COLLAPSE = frozenset({Category.PERSON, Category.EMAIL, Category.ROOM})


@dataclass(slots=True)
class Group:
    """One person (or device) behind one or more participants."""

    members: list[int]
    """Indexes into the meeting's participants, in input order."""

    @property
    def first(self) -> int:
        """The index of the group's first participant."""
        return self.members[0]


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _identifiers(p: Participant) -> tuple[str | None, str | None, str | None]:
    return p.user_id or None, p.stable_id or None, normalize_email(p.email) if p.email else None


def _name_keys(display_name: str) -> tuple[str, ...]:
    """Same-person keys of a name: its words in any order, and its words written together."""
    tokens = normalize_name(display_name).split()
    if not tokens:
        return ()
    full = [t for t in tokens if len(t) > 1] if len(tokens) > 2 else tokens
    return (" ".join(sorted(full or tokens)), "+" + "".join(tokens))


def collapse(participants: Sequence[Participant], classes: Sequence[Classification]) -> list[Group]:
    """Group rejoin duplicates; groups come in the order of their first participant."""
    size = len(participants)
    uf = _UnionFind(size)
    seen: dict[tuple[int, str], int] = {}
    for index, participant in enumerate(participants):
        for slot, value in enumerate(_identifiers(participant)):
            if value is not None:
                first = seen.setdefault((slot, value), index)
                if first != index:
                    uf.union(first, index)
    ids: dict[int, list[set[str]]] = {}
    for index, participant in enumerate(participants):
        sets = ids.setdefault(uf.find(index), [set(), set(), set()])
        for slot, value in enumerate(_identifiers(participant)):
            if value is not None:
                sets[slot].add(value)
    by_name: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for index, participant in enumerate(participants):
        if classes[index].category not in _NAME_COLLAPSE:
            continue
        for name in _name_keys(participant.display_name):
            first = by_name.setdefault(name, index)
            if first != index:
                pairs.append((first, index))
    for first, index in pairs:
        ra, rb = uf.find(first), uf.find(index)
        if ra == rb:
            continue
        a, b = ids[ra], ids[rb]
        if any(a[slot] and b[slot] and a[slot] != b[slot] for slot in range(3)):
            continue
        uf.union(ra, rb)
        merged = [a[slot] | b[slot] for slot in range(3)]
        ids[uf.find(ra)] = merged
    groups: dict[int, Group] = {}
    for index in range(size):
        root = uf.find(index)
        group = groups.get(root)
        if group is None:
            groups[root] = Group([index])
        else:
            group.members.append(index)
    return sorted(groups.values(), key=lambda g: g.first)


__all__ = ["Group", "collapse"]
