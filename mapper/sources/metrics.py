"""Counting the API calls mapper makes (every HTTP attempt, retries included)."""

from __future__ import annotations

import threading
from collections import Counter


class CallCounter:
    """Thread-safe counts of HTTP attempts per API method (``calendar.events.list`` ...)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()

    def call(self, method: str) -> None:
        with self._lock:
            self._calls[method] += 1

    def failure(self, method: str) -> None:
        with self._lock:
            self._failures[method] += 1

    def calls(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._calls.items()))

    def failures(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._failures.items()))

    def by_service(self) -> dict[str, int]:
        """Calls summed per service (the part before the first dot)."""
        totals: Counter[str] = Counter()
        for method, count in self.calls().items():
            totals[method.split(".")[0]] += count
        return dict(sorted(totals.items()))


__all__ = ["CallCounter"]
