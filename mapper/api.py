"""The Python API: ``Mapper.open(config)`` then look mappings up, or correct them.

from mapper import Mapper

with Mapper.open("mapper.toml") as m:
    for row in m.meeting_code("abc-defg-hij", on="2025-03-03"):
        print(row.display_name, row.email, row.status, row.method, row.confidence)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from mapper import lookup
from mapper.clock import Clock, clock_for
from mapper.config import Settings, load_config
from mapper.errors import DataError
from mapper.lookup import Attendance, ParticipantMapping
from mapper.matching import MatchSettings
from mapper.pipeline.corrections import correct
from mapper.store import ensure_migrated, make_engine, session_scope

Day = date | str | None
Moment = datetime | date | str


def _day(value: Day) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _moment(value: Moment) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise DataError(f"naive datetime {value.isoformat()}: give a timezone (UTC)")
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DataError(f"not a date or RFC 3339 time: {value!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class Mapper:
    """Read access to the resolved mappings of one store, and corrections."""

    def __init__(self, settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None) -> None:
        self.settings = settings
        self._owns_engine = engine is None
        self.engine = engine or make_engine(settings.database.url)
        self.clock = clock or clock_for(settings.clock.now)
        ensure_migrated(self.engine)

    @classmethod
    def open(cls, config: str | Path | Settings | None = None, *, clock: Clock | None = None) -> Mapper:
        """Open the store a config file (or ``$MAPPER_CONFIG``, or a :class:`Settings`) names."""
        settings = config if isinstance(config, Settings) else load_config(config)
        return cls(settings, clock=clock)

    def close(self) -> None:
        """Release the database connections (only those of an engine this object created)."""
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Mapper:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def participant(self, key: str) -> ParticipantMapping | None:
        """One participant by source key (Meet participant name or ``recall:{bot}:{id}``)."""
        with Session(self.engine) as session:
            return lookup.participant(session, key)

    def conference(self, source_key: str) -> list[ParticipantMapping]:
        """Every participant of a conference (``conferenceRecords/{id}`` or a Recall bot id)."""
        with Session(self.engine) as session:
            return lookup.conference(session, source_key)

    def event(self, event_id: str, on: Day = None) -> list[ParticipantMapping]:
        """Every participant of the conferences linked to a calendar event (optionally on a day, UTC)."""
        with Session(self.engine) as session:
            return lookup.event(session, event_id, _day(on))

    def meeting_code(self, code: str, on: Day = None) -> list[ParticipantMapping]:
        """Every participant of the conferences with this Meet code / platform meeting id."""
        with Session(self.engine) as session:
            return lookup.meeting_code(session, code, _day(on))

    def recall_bot(self, bot_id: str, on: Day = None) -> list[ParticipantMapping]:
        """Every participant a Recall.ai bot saw."""
        with Session(self.engine) as session:
            return lookup.recall_bot(session, bot_id, _day(on))

    def attended(self, email: str, start: Moment, end: Moment) -> list[Attendance]:
        """The conferences ``email`` attended that started in ``[start, end)`` (dates are UTC midnights)."""
        with Session(self.engine) as session:
            return lookup.attended(session, email, _moment(start), _moment(end))

    def correct(
        self,
        participant_key: str,
        *,
        email: str | None = None,
        not_a_person: bool = False,
        by: str,
        note: str | None = None,
    ) -> ParticipantMapping:
        """Say who a participant is (or that it is not a person); applied at once, never overwritten."""
        settings = MatchSettings(
            fuzzy_threshold=self.settings.matching.fuzzy_threshold,
            ambiguity_margin=self.settings.matching.ambiguity_margin,
        )
        with session_scope(self.engine) as session:
            correct(
                session,
                participant_key,
                email=email,
                not_a_person=not_a_person,
                by=by,
                note=note,
                now=self.clock.now(),
                settings=settings,
            )
        found = self.participant(participant_key)
        assert found is not None
        return found


__all__ = ["Mapper"]
