"""Participants that are not (identifiable) people: bots, dial-ins, rooms, generic labels.

All drawn from the ``random.Random`` passed in.  Room resources come with the device names a
room's video system shows in the call ("Boardroom" for "HQ-3-Boardroom (12)").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

GENERIC_NAMES = ("Guest", "Unknown", "Host", "Anonymous", "User", "Zoom user", "Participant", "Speaker")
"""Labels that name nobody; some get a number ("Guest 3", "Speaker 2")."""

BOT_NAMES = (
    "Otter.ai",
    "Fireflies.ai Notetaker",
    "Fathom Notetaker",
    "Read.ai meeting notes",
    "tl;dv Recorder",
    "Avoma Assistant",
    "Meeting Notes",
    "Notetaker",
    "Sembly AI",
    "Tactiq",
    "Jamie AI",
    "Grain Recorder",
    "Fellow Notetaker",
    "Recall.ai Bot",
    "AI Notetaker",
)
"""Note-taker bots as they name themselves in calls."""

BARE_DEVICES = ("iPhone", "iPad", "Galaxy S21", "Pixel 7", "Android", "DESKTOP-8F3K2LQ", "Samsung SM-G991B")
"""Device names that carry no owner name."""

ROOM_KINDS = ("Boardroom", "Huddle", "Focus Room", "Conference Room", "Town Hall", "War Room", "Studio")
SITES = ("HQ", "NYC", "LDN", "BER", "PAR", "SFO", "TYO", "SGP")
_FLOORS = tuple(str(n) for n in range(1, 12))


@dataclass(frozen=True, slots=True)
class RoomResource:
    """A bookable room: its resource email, its calendar name and what its device shows."""

    email: str
    display_name: str
    device_names: tuple[str, ...]


def generic_name(rng: random.Random) -> str:
    """A label that names nobody ("Guest", "Speaker 2")."""
    name = rng.choice(GENERIC_NAMES)
    return f"{name} {rng.randint(1, 12)}" if rng.random() < 0.4 else name


def bot_name(rng: random.Random) -> str:
    """A note-taker bot's display name."""
    return rng.choice(BOT_NAMES)


def dial_in_name(rng: random.Random) -> str:
    """A dial-in participant as Meet / Zoom / Teams show it (mostly masked numbers)."""
    style = rng.random()
    last = f"{rng.randint(0, 9999):04d}"
    if style < 0.35:
        return f"+1 ***-***-{last}"
    if style < 0.55:
        return f"+{rng.choice(('44', '49', '33', '34', '81'))} ** **** {last}"
    if style < 0.7:
        return f"({rng.randint(200, 999)}) ***-**{last[2:]}"
    if style < 0.85:
        return f"Call-in User_{rng.randint(1, 9)}"
    return rng.choice(("Phone user", "Dial-in user", f"+1 {rng.randint(200, 999)} 555 {last}"))


def bare_device_name(rng: random.Random) -> str:
    """A device name without its owner's name."""
    return rng.choice(BARE_DEVICES)


def make_room(rng: random.Random, *, domain_hint: str = "") -> RoomResource:
    """A room resource with a Google-style email and its devices' names."""
    site, floor, kind = rng.choice(SITES), rng.choice(_FLOORS), rng.choice(ROOM_KINDS)
    display = f"{site}-{floor}-{kind.replace(' ', '')} ({rng.choice((4, 6, 8, 10, 12, 20))})"
    if rng.random() < 0.3:
        display += " [Zoom Room]"
    if rng.random() < 0.5:
        local = f"c_{rng.getrandbits(64):016x}"
    else:
        local = f"{domain_hint}{site}-{floor}-{kind}".lower().replace(" ", "")
    email = f"{local}@resource.calendar.google.com"
    devices = (f"{site} {floor} {kind}", f"{site}-{floor}-{kind.replace(' ', '')}", f"{site} {kind}")
    return RoomResource(email, display, devices)


__all__ = [
    "BARE_DEVICES",
    "BOT_NAMES",
    "GENERIC_NAMES",
    "ROOM_KINDS",
    "SITES",
    "RoomResource",
    "bare_device_name",
    "bot_name",
    "dial_in_name",
    "generic_name",
    "make_room",
]
