"""The JSON Lines codec of ``mapper match``: one meeting per line in, one result per line out.

Input line::

    {"meeting_id": "m1",
     "invitees": [{"email": "ada@corp.example", "display_name": "Ada Lovelace",
                   "response_status": "accepted", "organizer": false, "resource": false,
                   "optional": false}],
     "participants": [{"id": "p1", "display_name": "Ada L.", "kind": "signed_in",
                       "user_id": "users/1", "email": null, "email_source": null,
                       "stable_id": null}]}

Only ``meeting_id``, ``invitees[].email``, ``participants[].id`` and
``participants[].display_name`` are required; unknown keys are ignored.  Output line::

    {"meeting_id": "m1", "matches": [{"participant_id": "p1", "email": "ada@corp.example",
     "status": "resolved", "method": "name_partial", "confidence": 0.86, "candidates": []}]}

A line that cannot be read becomes ``{"line": N, "error": "path: problem"}`` (with
``meeting_id`` when known); the other lines are still processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from mapper.errors import DataError
from mapper.matching.matcher import match_meeting
from mapper.matching.types import Decision, Invitee, MatchSettings, Meeting, Participant, ParticipantKind, Prior

_KINDS = ", ".join(kind.value for kind in ParticipantKind)
_DEFAULT_SETTINGS = MatchSettings()


def _field(obj: Mapping[str, object], key: str, path: str, *, required: bool = False) -> str | None:
    if key not in obj or obj[key] is None:
        if required:
            raise DataError("missing" if key not in obj else "must be a string, not null", path=f"{path}{key}")
        return None
    value = obj[key]
    if not isinstance(value, str):
        raise DataError("must be a string", path=f"{path}{key}")
    return value


def _flag(obj: Mapping[str, object], key: str, path: str) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise DataError("must be true or false", path=f"{path}{key}")
    return value


def _objects(obj: Mapping[str, object], key: str) -> Sequence[Mapping[str, object]]:
    if key not in obj:
        raise DataError("missing", path=key)
    items = obj[key]
    if not isinstance(items, list):
        raise DataError("must be a list", path=key)
    for at, item in enumerate(items):
        if not isinstance(item, dict):
            raise DataError("must be an object", path=f"{key}[{at}]")
    return items


def _invitee(item: Mapping[str, object], at: int) -> Invitee:
    path = f"invitees[{at}]."
    email = _field(item, "email", path, required=True) or ""
    if "@" not in email:
        raise DataError("must be an email address", path=f"{path}email")
    return Invitee(
        email=email,
        display_name=_field(item, "display_name", path),
        response_status=_field(item, "response_status", path),
        organizer=_flag(item, "organizer", path),
        resource=_flag(item, "resource", path),
        optional=_flag(item, "optional", path),
    )


def _participant(item: Mapping[str, object], at: int) -> Participant:
    path = f"participants[{at}]."
    kind_text = _field(item, "kind", path)
    try:
        kind = ParticipantKind(kind_text) if kind_text else ParticipantKind.UNKNOWN
    except ValueError:
        raise DataError(f"must be one of {_KINDS}", path=f"{path}kind") from None
    return Participant(
        id=_field(item, "id", path, required=True) or "",
        display_name=_field(item, "display_name", path, required=True) or "",
        kind=kind,
        user_id=_field(item, "user_id", path),
        email=_field(item, "email", path),
        email_source=_field(item, "email_source", path),
        stable_id=_field(item, "stable_id", path),
    )


def meeting_from_json(obj: object) -> Meeting:
    """Build a :class:`Meeting` from one decoded input line; :class:`DataError` names the bad path."""
    if not isinstance(obj, dict):
        raise DataError("a line must be a JSON object")
    meeting_id = _field(obj, "meeting_id", "", required=True) or ""
    invitees = [_invitee(item, at) for at, item in enumerate(_objects(obj, "invitees"))]
    participants = [_participant(item, at) for at, item in enumerate(_objects(obj, "participants"))]
    seen: set[str] = set()
    for at, participant in enumerate(participants):
        if participant.id in seen:
            raise DataError(f"duplicate id {participant.id!r}", path=f"participants[{at}].id")
        seen.add(participant.id)
    return Meeting(meeting_id, tuple(participants), tuple(invitees))


def decisions_to_json(meeting_id: str, decisions: Sequence[Decision], *, evidence: bool = False) -> dict[str, object]:
    """The output object of one meeting; with ``evidence`` each match also has evidence and person."""
    matches: list[dict[str, object]] = []
    for d in decisions:
        match: dict[str, object] = {
            "participant_id": d.participant_id,
            "email": d.email,
            "status": d.status.value,
            "method": d.method.value,
            "confidence": round(d.confidence, 4),
            "candidates": [{"email": c.email, "score": round(c.score, 4)} for c in d.candidates],
        }
        if evidence:
            match["person"] = d.person
            match["evidence"] = dict(d.evidence)
        matches.append(match)
    return {"meeting_id": meeting_id, "matches": matches}


@dataclass(frozen=True, slots=True)
class OutputLine:
    """One output line and whether it reports an error."""

    text: str
    error: bool


def match_lines(
    lines: Iterable[str],
    *,
    prior: Prior | None = None,
    settings: MatchSettings = _DEFAULT_SETTINGS,
    evidence: bool = False,
) -> Iterator[OutputLine]:
    """Match every meeting line; blank lines are skipped, bad lines become error lines."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        meeting_id: object = None
        try:
            obj = json.loads(line)
            if isinstance(obj, dict):
                meeting_id = obj.get("meeting_id")
            meeting = meeting_from_json(obj)
        except json.JSONDecodeError as err:
            yield _error(number, f"invalid JSON: {err.msg} (column {err.colno})", None)
            continue
        except DataError as err:
            yield _error(number, str(err), meeting_id if isinstance(meeting_id, str) else None)
            continue
        decisions = match_meeting(meeting, prior, settings)
        out = decisions_to_json(meeting.id, decisions, evidence=evidence)
        yield OutputLine(json.dumps(out, ensure_ascii=False, separators=(",", ":")), False)


def _error(number: int, message: str, meeting_id: str | None) -> OutputLine:
    obj: dict[str, object] = {"line": number, "error": message}
    if meeting_id is not None:
        obj["meeting_id"] = meeting_id
    return OutputLine(json.dumps(obj, ensure_ascii=False), True)


__all__ = ["OutputLine", "decisions_to_json", "match_lines", "meeting_from_json"]
