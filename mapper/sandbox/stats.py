"""Request counters per API method, served at ``/_sandbox/stats`` so tests and benchmarks can
assert how many calls mapper made."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self._requests: Counter[str] = Counter()
            self._statuses: defaultdict[str, Counter[str]] = defaultdict(Counter)
            self._faults: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def request(self, name: str) -> None:
        with self._lock:
            self._requests[name] += 1

    def status(self, name: str, status: int) -> None:
        with self._lock:
            self._statuses[name][str(status)] += 1

    def fault(self, name: str, kind: str) -> None:
        with self._lock:
            self._faults[name][kind] += 1

    def snapshot(self) -> dict[str, Any]:
        """``{"requests": {method: n}, "statuses": {method: {code: n}}, "faults": {...}, "total": n,
        "by_api": {api: n}}``."""
        with self._lock:
            requests = dict(sorted(self._requests.items()))
            by_api: Counter[str] = Counter()
            for name, count in requests.items():
                by_api[name.split(".")[0]] += count
            return {
                "total": sum(requests.values()),
                "by_api": dict(sorted(by_api.items())),
                "requests": requests,
                "statuses": {name: dict(counts) for name, counts in sorted(self._statuses.items())},
                "faults": {name: dict(counts) for name, counts in sorted(self._faults.items())},
            }


__all__ = ["Stats"]
