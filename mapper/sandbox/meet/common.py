"""Helpers shared by the One Platform emulators (Meet v2, People v1) and Admin Directory.

- :func:`method_spec` reads a method's OAuth scopes and query parameters from the discovery
  document bundled with google-api-python-client, so the emulators accept exactly what Google does.
- :func:`reject_unknown_params` mirrors One Platform's 400 for a query parameter the request
  message has no field for (Calendar and the Admin SDK ignore such parameters instead).
- Page tokens are opaque urlsafe-base64 JSON holding the sort key of the last item served and a
  hash of the query they belong to: a token replayed with another filter is refused, and new
  items added between pages never shift what comes next (keyset paging).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from mapper.sandbox.envelopes import rpc_error
from mapper.sandbox.http import Request

T = TypeVar("T")

#: Accepted (and ignored) by every Google endpoint.
STANDARD_PARAMS = frozenset(
    {
        "$.xgafv",
        "access_token",
        "alt",
        "callback",
        "fields",
        "key",
        "oauth_token",
        "prettyPrint",
        "quotaUser",
        "uploadType",
        "upload_protocol",
    }
)

_DOCUMENTS = {
    "meet": "meet.v2.json",
    "people": "people.v1.json",
    "directory": "admin.directory_v1.json",
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class MethodSpec:
    """What a discovery method accepts: its OAuth scopes and its query parameter names."""

    scopes: frozenset[str]
    query_params: frozenset[str]


@cache
def _document(api: str) -> dict[str, Any]:
    import googleapiclient

    folder = Path(str(googleapiclient.__file__)).parent / "discovery_cache" / "documents"
    data: dict[str, Any] = json.loads((folder / _DOCUMENTS[api]).read_text(encoding="utf-8"))
    return data


@cache
def method_spec(api: str, method_id: str) -> MethodSpec:
    """Scopes and query parameters of ``method_id`` (e.g. ``meet.conferenceRecords.list``)."""

    def walk(resources: dict[str, Any]) -> dict[str, Any] | None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                if method.get("id") == method_id:
                    return dict(method)
            found = walk(resource.get("resources", {}))
            if found is not None:
                return found
        return None

    method = walk(_document(api).get("resources", {}))
    if method is None:
        raise KeyError(f"{method_id} is not in the {api} discovery document")
    params = {name for name, spec in method.get("parameters", {}).items() if spec.get("location") == "query"}
    return MethodSpec(frozenset(method.get("scopes", ())), frozenset(params) | STANDARD_PARAMS)


def reject_unknown_params(request: Request, spec: MethodSpec) -> None:
    """One Platform (Meet, People) answers an unbindable query parameter with 400."""
    for name in request.query:
        if name not in spec.query_params:
            raise rpc_error(
                400,
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message.",
            )


def page_size(request: Request, *, default: int, maximum: int, field: str = "page_size") -> int:
    """``pageSize``: unset or 0 → ``default``; above ``maximum`` → coerced; negative or not a number → 400."""
    raw = request.arg("pageSize")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise rpc_error(400, f"Invalid value at '{field}' (TYPE_INT32), \"{raw}\"") from None
    if value < 0:
        raise rpc_error(400, f"Invalid {field}: must not be negative, got {value}.")
    if value == 0:
        return default
    return min(value, maximum)


def encode_token(binding: str, after: list[Any]) -> str:
    """An opaque page token: ``after`` = sort key of the last item served, bound to the query."""
    payload = json.dumps({"q": _binding_hash(binding), "a": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


class PageTokenError(ValueError):
    """The page token is malformed or belongs to another query."""


def decode_token(token: str | None, binding: str) -> list[Any] | None:
    """The ``after`` key inside ``token`` (``None`` for the first page); raise :class:`PageTokenError`."""
    if not token:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise PageTokenError("Invalid page token.") from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), list):
        raise PageTokenError("Invalid page token.")
    if data.get("q") != _binding_hash(binding):
        raise PageTokenError("The page token does not match the request: use it with the same filter and parent.")
    after: list[Any] = data["a"]
    return after


def keyset_page(
    items: Sequence[T], key: Callable[[T], tuple[Any, ...]], size: int, after: list[Any] | None
) -> tuple[list[T], tuple[Any, ...] | None]:
    """One page of ``items`` in ``key`` order, starting after the key ``after``.

    Returns the page and the key to put in the next page token (``None`` on the last page).
    """
    ordered = sorted(items, key=key)
    start = 0
    if after is not None:
        try:
            start = next((i for i, item in enumerate(ordered) if key(item) > tuple(after)), len(ordered))
        except TypeError:  # a forged token whose key has other types
            raise PageTokenError("Invalid page token.") from None
    page = list(ordered[start : start + size])
    more = start + size < len(ordered)
    return page, (key(page[-1]) if more and page else None)


def _binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()[:16]


def stable_id(*parts: str, length: int = 12, digits: bool = False) -> str:
    """A deterministic id from ``parts`` (base62 like Meet ids, or all digits like Google account ids)."""
    alphabet = "0123456789" if digits else _BASE62
    number = int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, rest = divmod(number, len(alphabet))
        chars.append(alphabet[rest])
    text = "".join(chars)
    return ("1" + text[1:]) if digits else text


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with a ``Z`` suffix, fractional seconds only when present (as Google writes them)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def epoch_us(moment: datetime) -> int:
    """Integer microseconds since the epoch (exact, JSON-friendly sort keys)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def camel(name: str) -> str:
    """``next_page_token`` → ``nextPageToken`` (One Platform accepts both spellings in masks)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


__all__ = [
    "STANDARD_PARAMS",
    "MethodSpec",
    "PageTokenError",
    "camel",
    "decode_token",
    "encode_token",
    "epoch_us",
    "format_time",
    "keyset_page",
    "method_spec",
    "page_size",
    "reject_unknown_params",
    "stable_id",
]
