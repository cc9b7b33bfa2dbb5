"""Fault injection: per-API rates of 429, 5xx, added latency, expired access tokens, invalidated
sync tokens and truncated / malformed bodies — deterministic under a seed.

Spec syntax (``--faults``)::

    seed=7;*:5xx=0.10,429=0.05,retry_after=0;recall:latency=200ms;calendar:sync410=0.02

Entries are separated by ``;``.  ``API:key=value,...`` sets a rule for one API (``calendar``,
``meet``, ``people``, ``directory``, ``recall``, ``oauth``) or ``*`` for all; a rule for an API
overrides ``*`` key by key.  Keys: ``429``, ``5xx``, ``truncate``, ``malformed``, ``expire`` (401 for
an issued OAuth token, which the client must refresh), ``sync410`` (Calendar only: the sync token
is invalidated), rates in [0, 1]; ``latency`` (``200ms`` or ``0.2s``); ``retry_after`` (seconds
sent with 429, default 1).

Every decision is a pure function of (seed, API method, request fingerprint, how many times that
exact request was seen), so a run is reproducible whatever the thread interleaving, and a retried
request gets a fresh draw.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from dataclasses import dataclass, field, fields, replace

from mapper.errors import ConfigError

APIS = ("calendar", "meet", "people", "directory", "recall", "oauth")


@dataclass(frozen=True)
class FaultRule:
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_truncate: float = 0.0
    rate_malformed: float = 0.0
    rate_expire: float = 0.0
    rate_sync410: float = 0.0
    latency_ms: float = 0.0
    retry_after: float = 1.0  # seconds, sent as an integer Retry-After header


_KEYS = {
    "429": "rate_429",
    "5xx": "rate_5xx",
    "truncate": "rate_truncate",
    "malformed": "rate_malformed",
    "expire": "rate_expire",
    "sync410": "rate_sync410",
    "latency": "latency_ms",
    "retry_after": "retry_after",
}


@dataclass(frozen=True)
class FaultSpec:
    seed: int = 0
    rules: dict[str, dict[str, float]] = field(default_factory=dict)  # api or "*" -> {attr: value}

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Parse the ``--faults`` syntax; raise :class:`ConfigError` naming the bad part."""
        seed = 0
        rules: dict[str, dict[str, float]] = {}
        for entry in filter(None, (part.strip() for part in text.split(";"))):
            if re.fullmatch(r"seed=\d+", entry):
                seed = int(entry.split("=")[1])
                continue
            api, _, body = entry.rpartition(":") if ":" in entry else ("*", "", entry)
            api = api.strip() or "*"
            if api != "*" and api not in APIS:
                raise ConfigError(f"faults: unknown API {api!r} in {entry!r} (expected * or one of {', '.join(APIS)})")
            for item in filter(None, (piece.strip() for piece in body.split(","))):
                key, _, raw = item.partition("=")
                attr = _KEYS.get(key.strip())
                if attr is None:
                    raise ConfigError(f"faults: unknown key {key!r} in {entry!r} (expected one of {', '.join(_KEYS)})")
                rules.setdefault(api, {})[attr] = _value(attr, raw.strip(), item)
        return cls(seed, rules)

    def rule(self, api: str) -> FaultRule:
        merged = {**self.rules.get("*", {}), **self.rules.get(api, {})}
        known = {f.name for f in fields(FaultRule)}
        return replace(FaultRule(), **{k: v for k, v in merged.items() if k in known})

    @property
    def active(self) -> bool:
        return any(any(value for key, value in rule.items() if key != "retry_after") for rule in self.rules.values())


def _value(attr: str, raw: str, item: str) -> float:
    try:
        if attr == "latency_ms":
            match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)?", raw)
            if not match:
                raise ValueError
            number = float(match.group(1))
            return number * 1000 if match.group(2) == "s" else number
        value = float(raw)
    except ValueError:
        raise ConfigError(f"faults: bad value in {item!r}") from None
    if attr.startswith("rate_") and not 0 <= value <= 1:
        raise ConfigError(f"faults: rate must be between 0 and 1 in {item!r}")
    if value < 0:
        raise ConfigError(f"faults: value must not be negative in {item!r}")
    return value


class FaultInjector:
    """Draws the fault (if any) for each request."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self._seen: Counter[str] = Counter()
        self.spec = spec or FaultSpec()

    def set_spec(self, spec: FaultSpec) -> None:
        with self._lock:
            self.spec = spec
            self._seen.clear()

    def draw(self, fingerprint: str) -> tuple[float, float, float]:
        """Three independent uniforms in [0, 1) for this occurrence of this request."""
        with self._lock:
            self._seen[fingerprint] += 1
            occurrence = self._seen[fingerprint]
        digest = hashlib.sha256(f"{self.spec.seed}|{fingerprint}|{occurrence}".encode()).digest()
        return tuple(int.from_bytes(digest[i : i + 8], "big") / 2**64 for i in (0, 8, 16))  # type: ignore[return-value]


__all__ = ["APIS", "FaultInjector", "FaultRule", "FaultSpec"]
