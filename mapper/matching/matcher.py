"""``match_meeting``: one decision per participant, level by level.

Levels, in order (splink style: the first level that decides, decides):

1. correction (a human said so)
2. not a person: note-taker bots, dial-in lines; room devices → room resources
3. exact email: People API, directory, known / Recall email (uninvited attendees included)
4. learned People user id, 5. stable platform id seen before, 6. an email typed as the name
7. learned display name (only when it points at exactly one unclaimed invitee)
8. names: exact normalised name, partial names, nicknames, email patterns, fuzzy — scored
   for all remaining persons × unclaimed invitees and assigned globally (see
   :mod:`mapper.matching.assign`), abstaining when the best choice is not clearly best.

Pure: no I/O, no clock, deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from mapper.matching.assign import Outcome as RowOutcome
from mapper.matching.assign import RowResult, assign
from mapper.matching.classify import Category, Classification, classify_name
from mapper.matching.groups import Group, collapse
from mapper.matching.keys import email_tokens
from mapper.matching.levels import (
    CONFIDENCE,
    Outcome,
    from_correction,
    from_identifiers,
    group_category,
    non_person,
    typed_email,
)
from mapper.matching.prior import CorrectionIndex, learned_by_name
from mapper.matching.rooms import is_resource, looks_like_room
from mapper.matching.score import RULES, score_matrix
from mapper.matching.types import (
    Candidate,
    Decision,
    Invitee,
    MatchSettings,
    Meeting,
    Method,
    Participant,
    ParticipantKind,
    Prior,
    Status,
    normalize_email,
)

_EMPTY_PRIOR = Prior()
_DEFAULT_SETTINGS = MatchSettings()


def _dedupe(invitees: Sequence[Invitee]) -> list[Invitee]:
    seen: dict[str, int] = {}
    out: list[Invitee] = []
    for invitee in invitees:
        email = normalize_email(invitee.email)
        if not email:
            continue
        at = seen.get(email)
        if at is None:
            seen[email] = len(out)
            out.append(invitee)
        elif not out[at].display_name and invitee.display_name:
            old = out[at]
            out[at] = Invitee(
                old.email, invitee.display_name, old.response_status, old.organizer, old.resource, old.optional
            )
    return out


def _classify(participant: Participant, resources: Sequence[Invitee]) -> Classification:
    result = classify_name(participant.display_name, participant.kind)
    if (
        resources
        and result.category is Category.PERSON
        and participant.kind is not ParticipantKind.ANONYMOUS
        and looks_like_room(participant.display_name, resources)
    ):
        return Classification(Category.ROOM, (participant.display_name,), "resource_name")
    return result


def _match_names(classes: Sequence[Classification], members: Sequence[int]) -> list[str]:
    names: list[str] = []
    for index in members:
        cls = classes[index]
        if cls.category is Category.PERSON:
            names.extend(cls.names)
        elif cls.category is Category.EMAIL:
            names.append(" ".join(email_tokens(cls.names[0])))
    return [n for n in dict.fromkeys(names) if n.strip()]


def _confidence(result: RowResult, margin: float) -> float:
    """Damp a score by how close the best competitor came (see docs/MATCHING.md)."""
    closeness = result.competitor - (result.score - 2 * margin)
    return max(0.0, result.score - max(0.0, closeness) / 2)


def _name_outcome(
    result: RowResult,
    rule_code: int,
    row_scores: Mapping[int, float],
    pool: Sequence[Invitee],
    emails: Sequence[str],
    margin: float,
) -> Outcome:
    if result.outcome is RowOutcome.RESOLVED:
        rule = RULES[rule_code]
        invitee = pool[result.column]
        evidence: dict[str, object] = {
            "level": rule.method.value,
            "rule": rule.rule,
            "source": rule.source,
            "matched": invitee.display_name if rule.source == "display_name" else emails[result.column],
            "score": round(result.score, 4),
            "runner_up": round(result.competitor, 4),
        }
        return Outcome(
            emails[result.column],
            Status.RESOLVED,
            rule.method,
            round(_confidence(result, margin), 4),
            evidence=evidence,
        )
    candidates = tuple(Candidate(emails[c], round(float(row_scores[c]), 4)) for c in result.candidates)
    if result.outcome is RowOutcome.AMBIGUOUS:
        close = max(1, sum(1 for c in candidates if c.score >= result.score - margin))
        evidence = {"level": "ambiguous", "score": round(result.score, 4), "runner_up": round(result.competitor, 4)}
        return Outcome(
            None, Status.AMBIGUOUS, Method.AMBIGUOUS, round(result.score / max(close, 2), 4), candidates, evidence
        )
    evidence = {"level": "none", "reason": "below_threshold" if candidates else "no_candidate"}
    if result.competitor:
        evidence["reason"] = "taken_by_better_match"
    confidence = round(candidates[0].score, 4) if candidates else 0.0
    return Outcome(None, Status.UNRESOLVED, Method.NONE, confidence, candidates, evidence)


def _decisions(
    participants: Sequence[Participant], groups: Sequence[Group], outcomes: Sequence[Outcome]
) -> list[Decision]:
    decisions: list[Decision | None] = [None] * len(participants)
    for group, outcome in zip(groups, outcomes, strict=True):
        person = participants[group.first].id
        evidence = dict(outcome.evidence)
        if len(group.members) > 1:
            evidence["members"] = [participants[m].id for m in group.members]
        frozen = MappingProxyType(evidence)
        for index in group.members:
            decisions[index] = Decision(
                participant_id=participants[index].id,
                email=outcome.email,
                status=outcome.status,
                method=outcome.method,
                confidence=outcome.confidence,
                candidates=outcome.candidates,
                evidence=frozen,
                person=person,
            )
    return [d for d in decisions if d is not None]


def match_meeting(
    meeting: Meeting, prior: Prior | None = None, settings: MatchSettings = _DEFAULT_SETTINGS
) -> list[Decision]:
    """Decide, for every participant of ``meeting``, which invitee email (if any) is theirs.

    Returns one :class:`Decision` per participant, in input order.  Rejoin duplicates share a
    decision and a ``person`` id.  Pure and deterministic.
    """
    prior = prior or _EMPTY_PRIOR
    participants = list(meeting.participants)
    invitees = _dedupe(meeting.invitees)
    emails = [normalize_email(i.email) for i in invitees]
    invited = frozenset(emails)
    resources = [i for i in invitees if is_resource(i)]
    classes = [_classify(p, resources) for p in participants]
    groups = collapse(participants, classes)
    corrections = CorrectionIndex(prior.corrections, invited) if prior.corrections else None
    margin = settings.ambiguity_margin
    outcomes: list[Outcome | None] = [None] * len(groups)
    categories = [group_category(classes, g.members) for g in groups]
    claimed: set[str] = set()

    for at, group in enumerate(groups):
        members = group.members
        outcome = (
            from_correction(corrections, participants, members)
            or non_person(categories[at], classes, participants, members, invitees, margin)
            or from_identifiers(prior, participants, members)
            or typed_email(classes, members, invited, uninvited=False)
        )
        if outcome is not None:
            outcomes[at] = outcome
            if outcome.email is not None and outcome.status is Status.RESOLVED:
                claimed.add(outcome.email)

    people = [(i, e) for i, e in zip(invitees, emails, strict=True) if not (resources and is_resource(i))]
    available = {e for _, e in people} - claimed
    names_of = {at: _match_names(classes, groups[at].members) for at in range(len(groups)) if outcomes[at] is None}
    for at, names in names_of.items():
        learned = learned_by_name(prior, names, available) if names else None
        if learned is not None:
            email, key = learned
            available.discard(email)
            claimed.add(email)
            evidence: dict[str, object] = {"level": "learned", "via": "display_name", "name": key}
            outcomes[at] = Outcome(
                email, Status.RESOLVED, Method.LEARNED, CONFIDENCE["learned_name"], evidence=evidence
            )

    pending = [at for at in names_of if outcomes[at] is None and names_of[at]]
    pool = [i for i, e in people if e not in claimed]
    pool_emails = [e for _, e in people if e not in claimed]
    if pending:
        matrix = score_matrix([names_of[at] for at in pending], [i.display_name for i in pool], pool_emails)
        results = assign(
            matrix.scores,
            threshold=settings.fuzzy_threshold,
            margin=margin,
            max_candidates=settings.max_candidates,
        )
        for row, (at, result) in enumerate(zip(pending, results, strict=True)):
            rule = matrix.rules[row].get(result.column, 0)
            outcome = _name_outcome(result, rule, matrix.scores[row], pool, pool_emails, margin)
            if outcome.status is not Status.RESOLVED:
                fallback = typed_email(classes, groups[at].members, invited, uninvited=True)
                outcome = fallback or outcome
            outcomes[at] = outcome

    final: list[Outcome] = []
    for at, outcome in enumerate(outcomes):
        if outcome is None:
            reason = "device_name" if categories[at] is Category.DEVICE else "no_name"
            if categories[at] is Category.GENERIC:
                reason = next((classes[m].reason for m in groups[at].members if classes[m].reason), "generic_name")
            outcome = Outcome(None, Status.UNRESOLVED, Method.NONE, 0.0, evidence={"level": "none", "reason": reason})
        final.append(outcome)
    return _decisions(participants, groups, final)


__all__ = ["match_meeting"]
