"""What a participant's display name says about it before any invitee is looked at.

A name is one of: a person's name (possibly inside a device name: "John's iPhone" → "John"),
an email address typed as a name, a note-taker bot ("Otter.ai", "Fireflies.ai Notetaker"), a
dial-in line ("+1 ***-***-4417", "Call-in User_2"), a room device ("Boardroom", "Conference
Room 4B"), a generic label ("Guest", "Speaker 2", "Unknown") or a bare device ("Galaxy S21").
Room devices are matched to room resource invitees later, in :mod:`mapper.matching.rooms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from mapper.matching.normalize import cleaned, normalize_name
from mapper.matching.types import ParticipantKind


class Category(StrEnum):
    """The kinds of display names :func:`classify_name` tells apart."""

    PERSON = "person"
    EMAIL = "email"
    BOT = "bot"
    PHONE = "phone"
    ROOM = "room"
    GENERIC = "generic"
    DEVICE = "device"


@dataclass(frozen=True, slots=True)
class Classification:
    """The category of a display name and the name(s) to match for a person.

    ``names`` holds the texts to match: the display name itself, a device owner's name ("John's
    iPhone" → "John"; "Johns iPhone" → "Johns" and "John"), or the typed email address.
    """

    category: Category
    names: tuple[str, ...] = ()
    reason: str = ""


BOT_WORDS = frozenset(
    {"notetaker", "notetakers", "bot", "recorder", "transcriber", "transcription", "copilot"}
    | {"companion", "scribe", "recording", "notes", "assistant"}
)
BOT_BRANDS = frozenset(
    {"otter", "otterai", "fireflies", "firefliesai", "fathom", "tldv", "avoma", "sembly", "notta"}
    | {"meetgeek", "tactiq", "supernormal", "airgram", "bluedot", "circleback", "krisp", "nyota"}
    | {"jiminny", "leexi", "modjo", "claap", "noota", "laxis", "readai", "recallai", "gong", "chorus"}
    | {"read", "fellow", "grain", "jamie", "vowel", "rewatch", "bubbles", "recall", "zoom", "gemini"}
)
"""Note-taker brands; the ambiguous ones (gong, read, jamie …) only count next to "ai" / bot words."""
_UNAMBIGUOUS_BRANDS = frozenset(
    {"otter", "otterai", "fireflies", "firefliesai", "fathom", "tldv", "avoma", "sembly", "notta"}
    | {"meetgeek", "tactiq", "supernormal", "airgram", "bluedot", "circleback", "krisp", "nyota"}
    | {"jiminny", "leexi", "modjo", "claap", "noota", "laxis", "readai", "recallai", "tldv"}
)
_BOT_FILLER = frozenset({"ai", "app", "io", "by", "the", "meeting", "notes", "note", "taker", "s", "co"})

_PHONE_CHARS = re.compile(r"^[\s+()\-.\d*x•·#_/]+$")
_PHONE_WORDS = re.compile(
    r"^(?:phone|telephone|tel|dial ?in|dialin|call ?in|caller|pstn|telefon|telefono|telephone user"
    r"|phone user|call in user|dial in user|anruf|anrufer|appelant)(?: user)?(?: \d+)*$"
)
_GENERIC = re.compile(
    r"^(?:guest|host|co ?host|unknown|anonymous|anon|user|participant|attendee|speaker|visitor"
    r"|presenter|moderator|organi[sz]er|meeting|test|me|you|someone|nobody|admin|zoom|teams|google"
    r"|meet|invitado|invite|gast|ospite|convidado|participante|teilnehmer|utilisateur|usuario|new"
    r"|external|interpreter|audience|viewer|member|everyone|unidentified)"
    r"(?: (?:user|participant|guest|speaker|person|attendee))?(?: [a-z]| \d+)*$"
)
DEVICE_WORDS = frozenset(
    {"iphone", "ipad", "ipod", "galaxy", "pixel", "android", "phone", "macbook", "imac", "mac"}
    | {"laptop", "tablet", "computer", "pc", "surface", "samsung", "device", "huawei", "xiaomi"}
    | {"redmi", "oneplus", "nokia", "moto", "motorola", "chromebook", "thinkpad", "desktop", "oppo"}
    | {"vivo", "realme", "lenovo", "dell", "hp", "asus", "sm", "mobile", "smartphone", "handy"}
)
_MODEL_WORDS = frozenset({"pro", "max", "plus", "mini", "ultra", "note", "lite", "se", "air", "fold", "flip"})
_DEVICE_ALT = "|".join(sorted(DEVICE_WORDS - {"sm", "dell", "hp", "vivo"}, key=len, reverse=True))
_OWNER_FIRST = re.compile(rf"(?i)^(?P<owner>.+?)(?P<poss>['’`ʼ]s|s['’`ʼ]|['’`ʼ])?\s+(?:{_DEVICE_ALT})\b.*$")
_OWNER_LAST = re.compile(
    rf"(?i)^(?:{_DEVICE_ALT})\b(?:\s+[\w\-]*\d[\w\-]*|\s+(?:pro|max|plus|mini|ultra|note|se|air))*"
    r"\s+(?:de|von|di|van|da|do|od|av|från|fra|від|от|of|du|del|della)\s+(?P<owner>.+)$"
)
ROOM_WORDS = frozenset(
    {"room", "boardroom", "conference", "conf", "huddle", "salle", "sala", "raum", "auditorium"}
    | {"besprechungsraum", "konferenzraum", "meetingroom", "townhall", "lobby", "boardrm", "zaal"}
)
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")


def _is_bot(tokens: list[str], raw: str) -> bool:
    words = set(tokens)
    if "".join(tokens) in _UNAMBIGUOUS_BRANDS:
        return True
    if words & BOT_WORDS and (words & BOT_BRANDS or len(tokens) <= 3):
        return True
    brands = words & BOT_BRANDS
    if not brands or not words <= BOT_BRANDS | _BOT_FILLER | BOT_WORDS:
        return False
    return bool(brands & _UNAMBIGUOUS_BRANDS) or ".ai" in raw or "ai" in words


def _is_device(tokens: list[str]) -> bool:
    if not tokens or tokens[0] not in DEVICE_WORDS:
        return False
    return all(t in DEVICE_WORDS or t in _MODEL_WORDS or any(c.isdigit() for c in t) for t in tokens[1:])


def _device_owner(text: str) -> tuple[str, ...]:
    match = _OWNER_LAST.match(text)
    if match:
        return (match.group("owner"),)
    match = _OWNER_FIRST.match(text)
    if not match:
        return ()
    owner = match.group("owner").strip()
    if match.group("poss") is None and owner.lower().endswith("s") and len(owner) > 3:
        return (owner, owner[:-1])
    return (owner,)


@lru_cache(maxsize=65536)
def classify_name(display_name: str, kind: ParticipantKind = ParticipantKind.UNKNOWN) -> Classification:
    """Classify a display name (and the platform's participant kind) before matching.

    >>> classify_name("John's iPhone").names
    ('John',)
    >>> classify_name("+1 ***-***-4417").category
    <Category.PHONE: 'phone'>
    """
    raw = display_name.strip()
    lowered = raw.casefold()
    normalized = normalize_name(raw)
    tokens = normalized.split()
    if kind is ParticipantKind.PHONE:
        return Classification(Category.PHONE, reason="kind_phone")
    if kind is ParticipantKind.BOT or _is_bot(tokens, lowered):
        return Classification(Category.BOT, reason="kind_bot" if kind is ParticipantKind.BOT else "bot_name")
    if raw and (_PHONE_CHARS.match(raw) and sum(c.isdigit() or c == "*" for c in raw) >= 3):
        return Classification(Category.PHONE, reason="phone_number")
    if _PHONE_WORDS.match(normalized):
        return Classification(Category.PHONE, reason="dial_in_label")
    if _EMAIL.match(raw):
        return Classification(Category.EMAIL, names=(raw.lower(),), reason="email_as_name")
    if kind is ParticipantKind.ROOM or set(tokens) & ROOM_WORDS:
        return Classification(
            Category.ROOM, names=(raw,), reason="kind_room" if kind is ParticipantKind.ROOM else "room_name"
        )
    if not tokens:
        return Classification(Category.GENERIC, reason="empty_name")
    if _GENERIC.match(normalized):
        return Classification(Category.GENERIC, reason="generic_name")
    if _is_device(tokens):
        return Classification(Category.DEVICE, reason="device_name")
    owner = _device_owner(cleaned(raw))
    if owner:
        return Classification(Category.PERSON, names=owner, reason="device_owner")
    return Classification(Category.PERSON, names=(raw,), reason="")


__all__ = ["BOT_BRANDS", "BOT_WORDS", "DEVICE_WORDS", "ROOM_WORDS", "Category", "Classification", "classify_name"]
