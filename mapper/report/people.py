"""Who was in a meeting: participants of every conference collapsed into persons.

Inside one conference, participants sharing ``mapping.person`` (rejoin duplicates) form one
group; a participant without a group stands alone.  Across the conferences of a meeting (Meet
restarted, Meet + Recall.ai), groups resolved to the same email are one person.  Groups that are
not resolved cannot be linked across conferences and stay separate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from mapper.report.intervals import Span, span, union
from mapper.report.load import SeenConference, SeenParticipant
from mapper.report.model import Candidate
from mapper.store.tables import Mapping

RESOURCE_DOMAIN = "@resource.calendar.google.com"
_STATUS_RANK = {"resolved": 0, "not_a_person": 1, "ambiguous": 2, "unresolved": 3, "pending": 4}
_DEVICE_KINDS = frozenset({"room", "bot"})
_NON_PERSON_KINDS = frozenset({"phone", "room", "bot"})
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Observed:
    """One person (or non-person) as the conferences of a meeting saw them."""

    key: str
    email: str | None  # set when resolved
    status: str  # resolved | ambiguous | unresolved | not_a_person | pending
    method: str | None
    confidence: float | None
    candidates: tuple[Candidate, ...]
    reason: str | None
    names: tuple[str, ...]
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    spans: tuple[Span, ...]  # the union of every session
    first_join: datetime | None  # raw earliest join
    last_leave: datetime | None  # raw latest leave
    non_person: bool


def is_resource_email(email: str | None, resources: Iterable[str] = ()) -> bool:
    """A room or other calendar resource: flagged on the invitation, or Google's resource domain."""
    return bool(email) and (email in set(resources) or str(email).endswith(RESOURCE_DOMAIN))


def observe(conferences: Sequence[SeenConference], resources: Iterable[str] = ()) -> list[Observed]:
    """Every person of the meeting, ordered by first join (then key)."""
    rooms = set(resources)
    merged: dict[str, list[Observed]] = {}
    for conference in conferences:
        groups: dict[str, list[SeenParticipant]] = {}
        prefix = f"{conference.conference.source}:{conference.conference.source_key}"
        for seen in conference.participants:
            mapping = seen.mapping
            group = mapping.person if mapping and mapping.person else f"participant:{seen.participant.source_key}"
            groups.setdefault(f"{prefix}#{group}", []).append(seen)
        for key, members in groups.items():
            decided = _group(key, members, rooms)
            merged.setdefault(f"email:{decided.email}" if decided.email else key, []).append(decided)
    people = [_merge(key, groups) for key, groups in merged.items()]
    return sorted(people, key=lambda p: (p.first_join is None, p.first_join or _NEVER, p.key))


def _group(key: str, members: list[SeenParticipant], rooms: set[str]) -> Observed:
    decided = min(members, key=_decision_order)
    mapping = decided.mapping
    status = mapping.status if mapping else "pending"
    email = mapping.email.lower() if mapping and mapping.email and status == "resolved" else None
    kinds = tuple(sorted({m.participant.kind for m in members}))
    non_person = (
        status == "not_a_person"
        or is_resource_email(email, rooms)
        or set(kinds) <= _DEVICE_KINDS
        or (status != "resolved" and set(kinds) <= _NON_PERSON_KINDS)
    )
    raw = [(start, end) for member in members for start, end in _raw_sessions(member)]
    return Observed(
        key=key,
        email=email,
        status=status,
        method=mapping.method if mapping else None,
        confidence=mapping.confidence if mapping else None,
        candidates=_candidates(m.mapping for m in members),
        reason=_reason(mapping),
        names=_distinct(m.participant.display_name for m in members),
        kinds=kinds,
        sources=(members[0].source,),
        spans=union(span(start, end) for start, end in raw),
        first_join=min((start for start, _ in raw), default=None),
        last_leave=max((end for _, end in raw), default=None),
        non_person=non_person,
    )


def _merge(key: str, groups: list[Observed]) -> Observed:
    if len(groups) == 1:
        return groups[0]
    best = min(groups, key=lambda g: (_STATUS_RANK.get(g.status, 9), -(g.confidence or 0.0)))
    joins = [g.first_join for g in groups if g.first_join]
    leaves = [g.last_leave for g in groups if g.last_leave]
    return Observed(
        key=key,
        email=best.email,
        status=best.status,
        method=best.method,
        confidence=best.confidence,
        candidates=_merge_candidates(c for g in groups for c in g.candidates),
        reason=best.reason,
        names=_distinct(name for g in groups for name in g.names),
        kinds=tuple(sorted({kind for g in groups for kind in g.kinds})),
        sources=tuple(sorted({source for g in groups for source in g.sources})),
        spans=union(part for g in groups for part in g.spans),
        first_join=min(joins, default=None),
        last_leave=max(leaves, default=None),
        non_person=all(g.non_person for g in groups),
    )


def _decision_order(seen: SeenParticipant) -> tuple[int, float, int]:
    mapping = seen.mapping
    if mapping is None:
        return (_STATUS_RANK["pending"], 0.0, seen.participant.id or 0)
    return (_STATUS_RANK.get(mapping.status, 9), -mapping.confidence, seen.participant.id or 0)


def _raw_sessions(seen: SeenParticipant) -> list[tuple[datetime, datetime]]:
    """Session times as stored; an open session ends at ``open_end``; no sessions: join to leave."""
    participant = seen.participant
    found = []
    for session in seen.sessions:
        start = session.start_at or participant.first_join_at
        if start is not None:
            found.append((start, max(start, session.end_at or seen.open_end)))
    if not found and participant.first_join_at is not None:
        start = participant.first_join_at
        found.append((start, max(start, participant.last_leave_at or seen.open_end)))
    return found


def _candidates(mappings: Iterable[Mapping | None]) -> tuple[Candidate, ...]:
    found = []
    for mapping in mappings:
        for item in mapping.candidates if mapping else []:
            if isinstance(item, dict) and isinstance(item.get("email"), str):
                score = item.get("score")
                found.append(Candidate(item["email"].lower(), float(score) if isinstance(score, int | float) else 0.0))
    return _merge_candidates(found)


def _merge_candidates(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    best: dict[str, float] = {}
    for candidate in candidates:
        best[candidate.email] = max(best.get(candidate.email, candidate.score), candidate.score)
    return tuple(Candidate(email, score) for email, score in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])))


def _reason(mapping: Mapping | None) -> str | None:
    """The human sentence behind a decision: ``evidence.reason``, else the method for non-resolved."""
    if mapping is None:
        return "not resolved yet"
    reason = mapping.evidence.get("reason") if isinstance(mapping.evidence, dict) else None
    if isinstance(reason, str) and reason.strip():
        return reason.strip()
    return None if mapping.status == "resolved" else f"method: {mapping.method}"


def _distinct(names: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))


__all__ = ["Observed", "is_resource_email", "observe"]
