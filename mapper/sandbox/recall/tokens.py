"""Signed download tokens, shaped like the Django ``signing`` tokens in Recall's download URLs.

A real URL looks like ``…/api/v1/download/participants?token=eyJpZCI6ImE3YWU5…%3A1tOqjv%3Aapjf…``:
urlsafe base64 of ``{"id": "<artifact id>"}``, a base62 timestamp and an HMAC signature, joined
by ``:``.  The sandbox signs the same way (HMAC-SHA256 with a fixed sandbox secret), so a token is
opaque to clients, cannot be edited to reach another artifact, and stays stable across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

_SECRET = hashlib.sha256(b"mapper-sandbox-recall-download-urls").digest()
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sign(artifact_id: str, issued: datetime) -> str:
    payload = _b64(json.dumps({"id": artifact_id}, separators=(",", ":")).encode())
    value = f"{payload}:{_base62(int(issued.timestamp()))}"
    return f"{value}:{_signature(value)}"


def verify(token: str) -> str | None:
    """The artifact id a token was issued for, or None if it is malformed or not ours."""
    value, _, signature = token.rpartition(":")
    if not value or not hmac.compare_digest(signature, _signature(value)):
        return None
    payload = value.partition(":")[0]
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) else None


def _signature(value: str) -> str:
    return _b64(hmac.new(_SECRET, value.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _base62(number: int) -> str:
    digits = ""
    number = max(number, 0)
    while True:
        number, rest = divmod(number, 62)
        digits = _ALPHABET[rest] + digits
        if number == 0:
            return digits


__all__ = ["sign", "verify"]
