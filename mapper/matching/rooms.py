"""Room devices matched to the room resources invited to the meeting.

A room device is named after its room, more or less: "Boardroom" for the resource
"HQ-3-Boardroom (12)", "NYC 5 Huddle" for "NYC-5-Huddle (4) [Zoom]".  The brackets (capacity,
equipment) go with normalisation; then the device's words must equal the resource's words
(score 0.95), be contained in them or contain them (0.88), or be a close spelling
(token-set ratio ≥ 90: 0.80).  One clear best resource → ``room_resource``; several equally
good → ``ambiguous``; none → ``not_a_person``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from mapper.matching.keys import split_email
from mapper.matching.normalize import normalize_name
from mapper.matching.types import Invitee

RESOURCE_DOMAIN = "resource.calendar.google.com"
_NOISE = frozenset({"room", "conference", "meeting", "the", "zoom", "meet", "teams", "rm"})


def is_resource(invitee: Invitee) -> bool:
    """Whether the invitee is a room or other resource (flag, or Google's resource domain)."""
    return invitee.resource or invitee.email.strip().lower().endswith("@" + RESOURCE_DOMAIN)


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    return frozenset(normalize_name(text).split())


@lru_cache(maxsize=4096)
def room_names(invitee: Invitee) -> tuple[frozenset[str], ...]:
    """The word sets a resource is known by: its calendar name and a readable email local part."""
    names = []
    if invitee.display_name:
        names.append(_words(invitee.display_name))
    local, _ = split_email(invitee.email)
    if local and not local.startswith("c_") and any(c.isalpha() for c in local):
        names.append(_words(local.replace("_", " ").replace(".", " ").replace("-", " ")))
    return tuple(n for n in names if n)


def _letters(words: frozenset[str] | list[str]) -> str:
    return "".join(ch for ch in "".join(words) if ch.isalpha())


@lru_cache(maxsize=65536)
def room_score(device: str, invitee: Invitee) -> float:
    """How well a device name fits a room resource, on the matcher's confidence scale."""
    words = _words(device)
    if not words:
        return 0.0
    ordered = normalize_name(device).split()
    best = 0.0
    for name in room_names(invitee):
        if words == name:
            return 0.95
        meaningful = (words & name) - _NOISE
        if meaningful and (words <= name or name <= words):
            best = max(best, 0.88)
            continue
        own = _letters(ordered)
        theirs = [_letters(sorted(name)), *_ordered_letters(invitee)]
        if own and own in theirs:
            best = max(best, 0.88)
        elif fuzz.token_set_ratio(" ".join(sorted(words)), " ".join(sorted(name))) >= 90:
            best = max(best, 0.80)
    return best


@lru_cache(maxsize=4096)
def _ordered_letters(invitee: Invitee) -> list[str]:
    forms = []
    if invitee.display_name:
        forms.append(_letters(normalize_name(invitee.display_name).split()))
    local, _ = split_email(invitee.email)
    forms.append("".join(ch for ch in local if ch.isalpha()))
    return forms


@dataclass(frozen=True, slots=True)
class RoomMatch:
    """The best resources for one device: their indexes into the invitees and scores, best first."""

    ranked: tuple[tuple[int, float], ...]


def match_room(device_names: Sequence[str], invitees: Sequence[Invitee], margin: float) -> RoomMatch:
    """Rank the resource invitees for a room device; ``ranked`` is empty when none fits."""
    scores: dict[int, float] = {}
    for index, invitee in enumerate(invitees):
        if not is_resource(invitee):
            continue
        score = max((room_score(name, invitee) for name in device_names), default=0.0)
        if score > 0:
            scores[index] = score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if ranked:
        top = ranked[0][1]
        ranked = [item for item in ranked if item[1] > top - margin]
    return RoomMatch(tuple(ranked))


def looks_like_room(display_name: str, resources: Sequence[Invitee]) -> bool:
    """Whether a display name fits one of the room resources well (score ≥ 0.88)."""
    return any(room_score(display_name, resource) >= 0.88 for resource in resources)


__all__ = ["RESOURCE_DOMAIN", "RoomMatch", "is_resource", "looks_like_room", "match_room", "room_names", "room_score"]
