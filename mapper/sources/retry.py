"""Retries for every external call: 429 / 5xx / connection errors, exponential backoff with full
jitter, ``Retry-After`` honoured, a bounded number of tries.

Clients classify a failure into a :class:`Retryable` (try again, maybe after ``retry_after``) or
any other exception (give up at once); :func:`with_retries` runs the loop.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from mapper.errors import UpstreamError

T = TypeVar("T")
log = logging.getLogger("mapper.sources")

#: Never sleep longer than this for one Retry-After, whatever the server asks.
MAX_RETRY_AFTER = 120.0


class Retryable(Exception):  # noqa: N818  (a signal, not an error for users)
    """A transient failure: the call may be repeated."""

    def __init__(self, final: UpstreamError, retry_after: float | None = None) -> None:
        super().__init__(str(final))
        self.final = final  # raised if no try is left
        self.retry_after = retry_after


@dataclass
class RetryPolicy:
    max_tries: int = 6
    backoff: float = 0.5
    backoff_max: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before try ``attempt + 1`` (``attempt`` counts from 1)."""
        if retry_after is not None:
            # Honour the server, with a little jitter so parallel workers don't stampede.
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER) + self.rng.uniform(0, self.backoff / 4)
        return self.rng.uniform(0, min(self.backoff_max, self.backoff * 2 ** (attempt - 1)))


def with_retries(call: Callable[[], T], policy: RetryPolicy, *, what: str) -> T:
    """Run ``call`` until it succeeds, raises a non-retryable error, or tries run out."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return call()
        except Retryable as exc:
            if attempt >= policy.max_tries:
                final = exc.final
                raise final from None
            wait = policy.delay(attempt, exc.retry_after)
            log.debug("%s: %s; retry %d/%d in %.2fs", what, exc, attempt, policy.max_tries - 1, wait)
            policy.sleep(wait)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds form; an HTTP date counts as unknown)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


__all__ = ["MAX_RETRY_AFTER", "RetryPolicy", "Retryable", "parse_retry_after", "with_retries"]
