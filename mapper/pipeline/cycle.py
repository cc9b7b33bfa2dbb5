"""One cycle of every step: sync calendars → collect Meet and Recall → resolve.

A step that fails as a whole (say Recall refuses the key) is recorded and the cycle goes on; item
failures inside a step are listed by the step.  Only errors that make the cycle impossible
(configuration, an un-migrated store) escape.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import col

from mapper.clock import Clock, clock_for
from mapper.config import Settings
from mapper.errors import MapperError
from mapper.pipeline.resolve import resolve_conferences
from mapper.sources.factory import Sources
from mapper.store import ensure_migrated, make_engine, session_scope
from mapper.store.tables import CalendarEvent, Conference, Participant
from mapper.store.tables import Mapping as MappingRow
from mapper.sync.calendars import sync_calendars
from mapper.sync.context import JobContext, NoProgress, Progress, StepResult
from mapper.sync.meet import collect_meet


def build_context(
    settings: Settings,
    *,
    clock: Clock | None = None,
    progress: Progress | None = None,
    sources: Sources | None = None,
) -> JobContext:
    """A job context for ``settings``: the store (must be migrated), the clock, every client."""
    engine = make_engine(settings.database.url, echo=settings.database.echo)
    ensure_migrated(engine)
    return JobContext(
        engine=engine,
        settings=settings,
        clock=clock or clock_for(settings.clock.now),
        sources=sources or Sources(settings),
        progress=progress or NoProgress(),
    )


@contextmanager
def open_context(
    settings: Settings, *, clock: Clock | None = None, progress: Progress | None = None
) -> Iterator[JobContext]:
    """:func:`build_context` for one piece of work: every connection is closed afterwards."""
    ctx = build_context(settings, clock=clock, progress=progress)
    try:
        yield ctx
    finally:
        ctx.sources.close()
        ctx.engine.dispose()


def _recall_step(ctx: JobContext) -> StepResult:
    from mapper.sync.recall import sync_recall

    return sync_recall(ctx)


Step = Callable[[JobContext], StepResult]


def steps(settings: Settings) -> list[tuple[str, Step]]:
    """The cycle's steps in order (Recall only when enabled, Meet only when enabled)."""
    chosen: list[tuple[str, Step]] = [("calendars", sync_calendars)]
    if settings.meet.enabled:
        chosen.append(("meet", collect_meet))
    if settings.recall.enabled:
        chosen.append(("recall", _recall_step))
    chosen.append(("resolve", resolve_conferences))
    return chosen


@dataclass
class CycleReport:
    steps: list[StepResult] = field(default_factory=list)
    failed_steps: dict[str, str] = field(default_factory=dict)
    api_calls: dict[str, int] = field(default_factory=dict)
    store: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        return [
            *(f"{name}: {error}" for name, error in self.failed_steps.items()),
            *(problem for step in self.steps for problem in step.problems),
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "seconds": round(self.seconds, 3),
            "steps": {step.step: dict(step.counts) for step in self.steps},
            "failed_steps": self.failed_steps,
            "api_calls": self.api_calls,
            "store": self.store,
            "problems": self.problems,
        }


def run_cycle(ctx: JobContext) -> CycleReport:
    started = time.monotonic()
    report = CycleReport()
    for name, step in steps(ctx.settings):
        try:
            report.steps.append(step(ctx))
        except MapperError as exc:
            report.failed_steps[name] = str(exc)
    report.api_calls = ctx.sources.counter.calls()
    report.store = store_summary(ctx)
    report.seconds = time.monotonic() - started
    return report


def store_summary(ctx: JobContext) -> dict[str, int]:
    """What the store holds now: events, conferences, participants and mappings by status."""
    with session_scope(ctx.engine) as session:
        counts: Counter[str] = Counter()
        counts["events"] = int(
            session.execute(
                select(func.count(func.distinct(col(CalendarEvent.meeting_key)))).where(
                    col(CalendarEvent.status) != "cancelled"
                )
            ).scalar_one()
        )
        counts["conferences"] = int(session.execute(select(func.count()).select_from(Conference)).scalar_one())
        counts["participants"] = int(session.execute(select(func.count()).select_from(Participant)).scalar_one())
        for status, count in session.execute(
            select(col(MappingRow.status), func.count()).group_by(col(MappingRow.status))
        ).all():
            counts[str(status)] = int(count)
        counts["pending"] = counts["participants"] - sum(
            counts[s] for s in ("resolved", "ambiguous", "unresolved", "not_a_person")
        )
    return dict(counts)


__all__ = ["CycleReport", "build_context", "open_context", "run_cycle", "steps", "store_summary"]
