"""Deterministic identifiers shaped like the real APIs' ones.

Every id is a hash of the generation seed and a key naming what it identifies (``"event", 17``),
so ids never depend on the order things were drawn in and two runs with one seed agree.
"""

from __future__ import annotations

import hashlib
import uuid

_BASE32HEX = "0123456789abcdefghijklmnopqrstuv"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


class Ids:
    """Id factory bound to one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _number(self, parts: tuple[object, ...], size: int = 32) -> int:
        text = "\x1f".join(str(part) for part in (self.seed, *parts))
        return int.from_bytes(hashlib.shake_256(text.encode()).digest(size), "big")

    def _chars(self, alphabet: str, length: int, parts: tuple[object, ...]) -> str:
        number = self._number(parts, size=length + 8)
        chars = []
        for _ in range(length):
            number, rest = divmod(number, len(alphabet))
            chars.append(alphabet[rest])
        return "".join(chars)

    def event_id(self, *parts: object) -> str:
        """A Calendar event id: 26 base32hex characters (``[a-v0-9]``)."""
        return self._chars(_BASE32HEX, 26, ("event", *parts))

    def base62(self, *parts: object, length: int = 12) -> str:
        """A Meet-style opaque id (spaces, conference records, sessions)."""
        return self._chars(_BASE62, length, ("b62", *parts))

    def digits(self, *parts: object, length: int = 21) -> str:
        """A numeric id such as a Google account id (never starts with 0)."""
        text = self._chars("0123456789", length, ("num", *parts))
        return "1" + text[1:]

    def meet_code(self, *parts: object) -> str:
        """A Meet meeting code ``abc-defg-hij``."""
        text = self._chars(_LOWER, 10, ("code", *parts))
        return f"{text[:3]}-{text[3:7]}-{text[7:]}"

    def uuid(self, *parts: object) -> str:
        """A random-looking (version 4 layout) UUID string."""
        raw = self._number(("uuid", *parts)).to_bytes(32, "big")[:16]
        return str(uuid.UUID(bytes=raw, version=4))

    def token(self, *parts: object, length: int = 10) -> str:
        """Mixed-case letters and digits (meeting passwords, Teams thread ids)."""
        return self._chars(_BASE62, length, ("tok", *parts))


__all__ = ["Ids"]
