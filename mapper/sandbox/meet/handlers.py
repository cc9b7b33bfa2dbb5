"""Meet REST API v2 emulator: conference records, participants, participant sessions, spaces.

Every request is authenticated with the method's discovery scopes, then checked for unknown
query parameters (One Platform answers 400); errors use the AIP-193 envelope.  Lists page with
opaque keyset tokens bound to their filter, honour ``fields`` (``totalSize`` only on request) and
sort newest first.  What exists at the current moment is decided in :mod:`.views`.

Scope ``meetings.space.created`` alone reaches only spaces created by the calling app; scenario
spaces never are, so such a token sees empty lists and 403 on gets (as on a foreign space).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mapper.sandbox.auth import Token
from mapper.sandbox.envelopes import rpc_error
from mapper.sandbox.http import ApiError, Request, Response, Router
from mapper.sandbox.meet.common import (
    PageTokenError,
    decode_token,
    encode_token,
    keyset_page,
    method_spec,
    page_size,
    reject_unknown_params,
)
from mapper.sandbox.meet.fields import partial_response
from mapper.sandbox.meet.filters import FilterError, Kind, parse_filter, required_equalities
from mapper.sandbox.meet.state import MeetState, Participant, Record, load_meet
from mapper.sandbox.meet.views import (
    View,
    participant_view,
    record_view,
    session_view,
    space_for_code,
    space_view,
)
from mapper.sandbox.world import EmulatedApi

_READ_ALL = frozenset({"https://www.googleapis.com/auth/meetings.space.readonly"})
_READ_ALL_SPACES = _READ_ALL | {"https://www.googleapis.com/auth/meetings.space.settings"}

RECORD_FIELDS = {
    "space.meeting_code": Kind.STRING_CI,
    "space.name": Kind.STRING,
    "start_time": Kind.TIME,
    "end_time": Kind.TIME,
}
PARTICIPANT_FIELDS = {"earliest_start_time": Kind.TIME, "latest_end_time": Kind.TIME}
SESSION_FIELDS = {"start_time": Kind.TIME, "end_time": Kind.TIME}

_NOT_FOUND = "Requested entity was not found."


class MeetApi(EmulatedApi):
    """``api="meet"``: routes under ``/v2/``; scenario section ``meet``."""

    name = "meet"
    sections = ("meet",)
    state: MeetState
    #: (the state it was built for, records by lower-case meeting code, records by space name)
    _index: tuple[MeetState, dict[str, list[Record]], dict[str, list[Record]]] | None = None

    # -- scenario ----------------------------------------------------------------------------
    def load(self, scenario: Mapping[str, Any]) -> None:
        self.state = load_meet(scenario.get("meet", {}), "meet")

    def patch(self, patch: Mapping[str, Any]) -> None:
        """Upsert spaces and records by ``name``; ``delete`` removes names (see docs/sandbox/meet-people.md)."""
        self.state = load_meet(patch["meet"], "patch.meet", self.state)

    def register(self, router: Router) -> None:
        records = "/v2/conferenceRecords"
        participant = records + "/{record}/participants/{participant}"
        routes: list[tuple[str, str, Callable[[Request, Mapping[str, str]], Response]]] = [
            (records, "meet.conferenceRecords.list", self.list_records),
            (records + "/{record}", "meet.conferenceRecords.get", self.get_record),
            (records + "/{record}/participants", "meet.conferenceRecords.participants.list", self.list_participants),
            (participant, "meet.conferenceRecords.participants.get", self.get_participant),
            (
                participant + "/participantSessions",
                "meet.conferenceRecords.participants.participantSessions.list",
                self.list_sessions,
            ),
            (
                participant + "/participantSessions/{session}",
                "meet.conferenceRecords.participants.participantSessions.get",
                self.get_session,
            ),
            ("/v2/spaces/{space}", "meet.spaces.get", self.get_space),
        ]
        for pattern, method_id, handler in routes:
            router.add("GET", pattern, name=method_id, api="meet", handler=handler)

    # -- conference records ------------------------------------------------------------------
    def list_records(self, request: Request, _params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.list")
        predicate = _filter(request, RECORD_FIELDS)
        now = self.world.clock.now()
        views: list[View] = []
        if _sees_all(token, _READ_ALL):
            for record in self._candidates(request.arg("filter")):
                view = record_view(self.state, record, now)
                if view is not None and predicate(view.values):
                    views.append(view)
        body = self._page(request, views, "conferenceRecords", "records", default=25, maximum=100)
        return _respond(request, body)

    def _candidates(self, text: str | None) -> Iterable[Record]:
        """The records a filter can possibly match, through a per-state index on meeting code and
        space (the full filter still decides; see :func:`required_equalities`)."""
        required = required_equalities(text)
        if not required:
            return self.state.records.values()
        if self._index is None or self._index[0] is not self.state:
            by_code: dict[str, list[Record]] = {}
            by_space: dict[str, list[Record]] = {}
            for record in self.state.records.values():
                by_space.setdefault(record.space, []).append(record)
                code = self.state.spaces[record.space].code
                if code:
                    by_code.setdefault(code.lower(), []).append(record)
            self._index = (self.state, by_code, by_space)
        _state, by_code, by_space = self._index
        candidates: list[Record] | None = None
        if "space.meeting_code" in required:
            candidates = by_code.get(required["space.meeting_code"].lower(), [])
        if "space.name" in required:
            named = by_space.get(required["space.name"], [])
            candidates = named if candidates is None else [r for r in candidates if r in named]
        return candidates if candidates is not None else self.state.records.values()

    def get_record(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.get")
        _record, view = self._record(token, params["record"])
        return _respond(request, view.resource)

    # -- participants ------------------------------------------------------------------------
    def list_participants(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.participants.list")
        record, _view = self._record(token, params["record"])
        predicate = _filter(request, PARTICIPANT_FIELDS)
        now = self.world.clock.now()
        views = [
            view
            for view in (participant_view(p, now) for p in record.participants)
            if view is not None and predicate(view.values)
        ]
        body = self._page(request, views, "participants", record.name, default=100, maximum=250)
        body["totalSize"] = len(views)
        return _respond(request, body, default_hidden=("totalSize",))

    def get_participant(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.participants.get")
        _participant, view = self._participant(token, params)
        return _respond(request, view.resource)

    # -- participant sessions ----------------------------------------------------------------
    def list_sessions(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.participants.participantSessions.list")
        participant, _view = self._participant(token, params)
        predicate = _filter(request, SESSION_FIELDS)
        now = self.world.clock.now()
        views = [
            view
            for view in (session_view(s, now) for s in participant.sessions)
            if view is not None and predicate(view.values)
        ]
        body = self._page(request, views, "participantSessions", participant.name, default=100, maximum=250)
        return _respond(request, body)

    def get_session(self, request: Request, params: Mapping[str, str]) -> Response:
        token = self._begin(request, "meet.conferenceRecords.participants.participantSessions.get")
        participant, _view = self._participant(token, params)
        name = f"{participant.name}/participantSessions/{params['session']}"
        now = self.world.clock.now()
        for session in participant.sessions:
            if session.name == name:
                view = session_view(session, now)
                if view is not None:
                    return _respond(request, view.resource)
        raise rpc_error(404, _NOT_FOUND)

    # -- spaces ------------------------------------------------------------------------------
    def get_space(self, request: Request, params: Mapping[str, str]) -> Response:
        """``spaces/{id}`` (case-sensitive) or ``spaces/{meetingCode}`` (case-insensitive alias)."""
        token = self._begin(request, "meet.spaces.get")
        key = params["space"]
        now = self.world.clock.now()
        space = self.state.spaces.get("spaces/" + key) or space_for_code(self.state, key, now)
        if space is None:
            raise rpc_error(404, _NOT_FOUND)
        if not _sees_all(token, _READ_ALL_SPACES):
            raise _permission_denied(f"spaces/{key}")
        return _respond(request, space_view(self.state, space, now))

    # -- helpers -----------------------------------------------------------------------------
    def _begin(self, request: Request, method_id: str) -> Token:
        spec = method_spec("meet", method_id)
        token = self.world.tokens.check(request, "meet", spec.scopes)
        reject_unknown_params(request, spec)
        return token

    def _record(self, token: Token, record_id: str) -> tuple[Record, View]:
        """The record and its current view; 404 when unknown, not started or expired."""
        name = "conferenceRecords/" + record_id
        record = self.state.records.get(name)
        view = record_view(self.state, record, self.world.clock.now()) if record is not None else None
        if record is None or view is None:
            raise rpc_error(404, _NOT_FOUND)
        if not _sees_all(token, _READ_ALL):
            raise _permission_denied(name)
        return record, view

    def _participant(self, token: Token, params: Mapping[str, str]) -> tuple[Participant, View]:
        record, _view = self._record(token, params["record"])
        name = f"{record.name}/participants/{params['participant']}"
        now = self.world.clock.now()
        for participant in record.participants:
            if participant.name == name:
                view = participant_view(participant, now)
                if view is not None:
                    return participant, view
        raise rpc_error(404, _NOT_FOUND)

    def _page(
        self, request: Request, views: list[View], key: str, parent: str, *, default: int, maximum: int
    ) -> dict[str, Any]:
        size = page_size(request, default=default, maximum=maximum)
        binding = f"meet|{key}|{parent}|{request.arg('filter') or ''}"
        try:
            after = decode_token(request.arg("pageToken"), binding)
            page, last = keyset_page(views, lambda view: view.sort_key, size, after)
        except PageTokenError as exc:
            raise rpc_error(400, str(exc)) from None
        body: dict[str, Any] = {}
        if page:  # proto3 JSON omits empty repeated fields
            body[key] = [view.resource for view in page]
        if last is not None:
            body["nextPageToken"] = encode_token(binding, list(last))
        return body


def _filter(request: Request, fields: Mapping[str, Kind]) -> Callable[[Mapping[str, Any]], bool]:
    try:
        return parse_filter(request.arg("filter"), fields)
    except FilterError as exc:
        raise rpc_error(400, str(exc)) from None


def _sees_all(token: Token, full_access: frozenset[str]) -> bool:
    """False for a token limited to ``meetings.space.created`` (app-created spaces only)."""
    return token.scopes is None or bool(token.scopes & full_access)


def _permission_denied(name: str) -> ApiError:
    return rpc_error(403, f'Permission denied on resource "{name}" (or it might not exist).')


def _invalid(message: str) -> ApiError:
    return rpc_error(400, message)


def _respond(request: Request, body: dict[str, Any], default_hidden: tuple[str, ...] = ()) -> Response:
    return partial_response(request, body, invalid=_invalid, default_hidden=default_hidden)


__all__ = ["PARTICIPANT_FIELDS", "RECORD_FIELDS", "SESSION_FIELDS", "MeetApi"]
