"""Store → report: one :class:`~mapper.report.model.MeetingReport` per meeting, then the range figures.

Entry point: :func:`build_report` (an engine, a :class:`~mapper.report.query.ReportQuery`, a clock).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from mapper.clock import Clock
from mapper.report.load import LoadedMeeting, load_meetings
from mapper.report.model import Category, Conflict, MeetingReport, PersonRow, Report, Section
from mapper.report.people import Observed, is_resource_email, observe
from mapper.report.query import ReportQuery
from mapper.report.summary import coverage, people_summary, series_summary
from mapper.store.engine import session_scope
from mapper.store.tables import Invitee

_SECTION_ORDER = list(Section)


def build_report(engine: Engine, query: ReportQuery, *, clock: Clock) -> Report:
    """The reconciliation report of every meeting starting in the query's range."""
    now = clock.now()
    with session_scope(engine) as session:
        loaded = load_meetings(session, query, now)
    meetings = tuple(meeting_report(meeting) for meeting in loaded)
    return Report(
        generated_at=now,
        start=query.start,
        end=query.end,
        filters=query.filters,
        meetings=meetings,
        people=people_summary(meetings),
        series=series_summary(meetings),
        coverage=coverage(loaded),
    )


def meeting_report(loaded: LoadedMeeting) -> MeetingReport:
    """Every invitee and every observed person of one meeting, categorised."""
    resources = {i.email for i in loaded.invitees if i.resource or is_resource_email(i.email)}
    observed = observe(loaded.conferences, resources)
    sources = tuple(sorted({c.conference.source for c in loaded.conferences}))
    both = {"meet", "recall"} <= set(sources)
    by_email = {person.email: person for person in observed if person.email}
    rows: list[PersonRow] = []
    used: set[str] = set()
    for invitee in loaded.invitees:
        person = by_email.get(invitee.email)
        if person is not None and (person.non_person == (invitee.email in resources)):
            used.add(person.key)
        else:
            person = None
        rows.append(_invitee_row(invitee, person, invitee.email in resources, bool(loaded.conferences), both))
    taken = {row.person_key for row in rows}
    for person in observed:
        if person.key not in used:  # a device that resolved to a person invitee's email keeps its own row
            key = person.key if person.key not in taken else f"{person.key}#device"
            rows.append(replace(_observed_row(person, both), person_key=key))
    rows = _with_candidate_hints(rows)
    rows.sort(key=lambda row: _SECTION_ORDER.index(row.section))
    return replace(
        _meeting_header(loaded),
        sources=sources,
        conferences=tuple(f"{c.conference.source}:{c.conference.source_key}" for c in loaded.conferences),
        rows=tuple(rows),
        conflict=_conflict(observed) if both else None,
    )


def _invitee_row(invitee: Invitee, person: Observed | None, resource: bool, observed: bool, both: bool) -> PersonRow:
    declined = invitee.response_status == "declined"
    if resource:
        category = Category.NON_PERSON
    elif not observed:
        category = Category.NOT_OBSERVED
    elif person is not None:
        optional = Category.OPTIONAL_ATTENDED if invitee.optional else Category.ATTENDED
        category = Category.DECLINED_ATTENDED if declined else optional
    else:
        category = Category.DECLINED if declined else Category.NO_SHOW
    base = PersonRow(
        person_key=f"email:{invitee.email}",
        category=category,
        email=invitee.email,
        display_name=invitee.display_name,
        invited=True,
        response_status=invitee.response_status,
        optional=invitee.optional,
        organizer=invitee.organizer,
        kinds=("room",) if resource else (),
    )
    if person is None:
        return base
    return _with_observation(base, person, both)


def _observed_row(person: Observed, both: bool) -> PersonRow:
    if person.non_person:
        category = Category.NON_PERSON
    elif person.email:
        category = Category.UNINVITED
    else:
        category = {"ambiguous": Category.AMBIGUOUS, "pending": Category.PENDING}.get(
            person.status, Category.UNRESOLVED
        )
    base = PersonRow(person_key=person.key, category=category, email=person.email)
    return _with_observation(base, person, both)


def _with_observation(row: PersonRow, person: Observed, both: bool) -> PersonRow:
    return replace(
        row,
        display_name=row.display_name or next(iter(person.names), None),
        participant_names=person.names,
        attended=True,
        first_join=person.first_join,
        last_leave=person.last_leave,
        seconds_present=round(sum(part.seconds for part in person.spans)),
        spans=person.spans,
        mapping_status=person.status,
        method=person.method,
        confidence=person.confidence,
        candidates=person.candidates,
        reason=person.reason,
        kinds=tuple(sorted({*row.kinds, *person.kinds})),
        seen_by=person.sources,
        source_conflict=both and bool(person.email) and not person.non_person and len(person.sources) == 1,
    )


def _with_candidate_hints(rows: list[PersonRow]) -> list[PersonRow]:
    """A no-show who is a candidate of an unidentified participant may have been there: say so."""
    hints: dict[str, list[str]] = {}
    for row in rows:
        if row.section is Section.UNIDENTIFIED:
            for candidate in row.candidates:
                hints.setdefault(candidate.email, []).append(f"{row.label} ({row.category.value})")
    result = []
    for row in rows:
        if row.category is Category.NO_SHOW and row.email in hints:
            names = ", ".join(hints[row.email or ""])
            row = replace(row, reason=f"candidate of unidentified participant {names}")
        result.append(row)
    return result


def _conflict(observed: list[Observed]) -> Conflict:
    people = [p for p in observed if not p.non_person]
    emails = {source: {p.email for p in people if p.email and source in p.sources} for source in ("meet", "recall")}
    return Conflict(
        meet_persons=sum(1 for p in people if "meet" in p.sources),
        recall_persons=sum(1 for p in people if "recall" in p.sources),
        meet_only=tuple(sorted(e for e in emails["meet"] - emails["recall"] if e)),
        recall_only=tuple(sorted(e for e in emails["recall"] - emails["meet"] if e)),
    )


def _meeting_header(loaded: LoadedMeeting) -> MeetingReport:
    conferences = [c.conference for c in loaded.conferences]
    platform = next((c.platform for c in conferences if c.platform), None)
    code = next((c.meeting_code for c in conferences if c.meeting_code), None)
    if loaded.copies is not None:
        event = loaded.copies.canonical
        return MeetingReport(
            meeting_id=event.meeting_key or f"event:{loaded.copies.calendar_id}/{event.event_id}",
            title=event.summary,
            start=event.start_at,
            end=event.end_at,
            scheduled=True,
            calendar=loaded.copies.calendar_id,
            organizer=event.organizer_email,
            platform=event.conference_platform or platform,
            meeting_code=event.conference_id or code,
            series_id=event.recurring_event_id,
        )
    first = conferences[0]
    return MeetingReport(
        meeting_id=f"conference:{first.source}:{first.source_key}",
        title=None,
        start=min((c.start_at for c in conferences if c.start_at), default=None),
        end=max((c.end_at for c in conferences if c.end_at), default=None),
        scheduled=False,
        platform=platform,
        meeting_code=code,
    )


__all__ = ["build_report", "meeting_report"]
