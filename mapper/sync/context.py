"""What every sync / resolve step receives: the store, the settings, the clock, the clients, and
somewhere to report progress; and what every step returns."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine

from mapper.clock import Clock
from mapper.config import Settings
from mapper.sources.factory import Sources


class Progress(Protocol):
    def start(self, task: str, total: int | None) -> None: ...
    def advance(self, task: str, amount: int = 1) -> None: ...


class NoProgress:
    def start(self, task: str, total: int | None) -> None:
        pass

    def advance(self, task: str, amount: int = 1) -> None:
        pass


@dataclass
class JobContext:
    engine: Engine
    settings: Settings
    clock: Clock
    sources: Sources
    progress: Progress = field(default_factory=NoProgress)
    stop: threading.Event = field(default_factory=threading.Event)  # set on SIGTERM: finish the item, then stop

    def stopping(self) -> bool:
        """True once a shutdown was asked for: steps return between items (each item is atomic)."""
        return self.stop.is_set()


@dataclass
class StepResult:
    """Counts and item-level problems of one step; a problem never stops the rest of the step."""

    step: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def merge(self, other: StepResult) -> None:
        self.counts.update(other.counts)
        self.problems.extend(other.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


__all__ = ["JobContext", "NoProgress", "Progress", "StepResult"]
