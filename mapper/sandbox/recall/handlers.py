"""Recall endpoint handlers: bots, recordings, participant events and the three downloads.

Every resource route accepts its path with or without the trailing slash (Recall's own sample
apps call ``GET /api/v1/bot`` and ``DELETE /api/v1/bot/{id}`` without it).  Unknown query
parameters are ignored, as DRF does.  An id that is not a UUID is a 404 like an unknown one
(DRF's ``get_object_or_404`` turns the UUID validation error into ``Http404``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from mapper.sandbox.envelopes import recall_error
from mapper.sandbox.http import Request, Response, Router
from mapper.sandbox.recall import serialize, tokens
from mapper.sandbox.recall.drf import Filters, cursor_page, page_number
from mapper.sandbox.recall.guard import authenticate, waf
from mapper.sandbox.recall.state import ARTIFACT_CODES, STATUS_FILTER_CODES, Artifact, Bot, RecallState, Recording
from mapper.sandbox.recall.urls import PLATFORMS, MeetingUrlError, identity, parse_meeting_url
from mapper.sandbox.world import World

RECORDING_FILTER_CODES = ("processing", "paused", "done", "failed")
_SLASH = "{slash:/?}"


class RecallHandlers:
    def __init__(self, world: World, state: Callable[[], RecallState]) -> None:
        self.world = world
        self.state = state

    def register(self, router: Router) -> None:
        routes: list[tuple[str, str, Callable[[Request, Mapping[str, str]], Response], bool]] = [
            ("/api/v1/bot" + _SLASH, "recall.bot.list", self.list_bots, True),
            ("/api/v1/bot/{bot_id}" + _SLASH, "recall.bot.retrieve", self.retrieve_bot, True),
            ("/api/v1/participant_events" + _SLASH, "recall.participant_events.list", self.list_artifacts, True),
            (
                "/api/v1/participant_events/{artifact_id}" + _SLASH,
                "recall.participant_events.retrieve",
                self.retrieve_artifact,
                True,
            ),
            ("/api/v1/recording" + _SLASH, "recall.recording.list", self.list_recordings, True),
            ("/api/v1/recording/{recording_id}" + _SLASH, "recall.recording.retrieve", self.retrieve_recording, True),
            (
                "/api/v1/recording/{recording_id}/participant" + _SLASH,
                "recall.recording.participant.list",
                self.list_participants,
                True,
            ),
        ]
        for kind in serialize.DOWNLOADS.values():
            routes.append((f"/api/v1/download/{kind}" + _SLASH, f"recall.download.{kind}", self._download(kind), False))
        for pattern, name, handler, needs_key in routes:
            router.add("GET", pattern, name=name, api="recall", handler=self._guarded(handler, needs_key))

    def _guarded(
        self, handler: Callable[[Request, Mapping[str, str]], Response], needs_key: bool
    ) -> Callable[[Request, Mapping[str, str]], Response]:
        def guarded(request: Request, params: Mapping[str, str]) -> Response:
            waf(request)
            if needs_key:
                authenticate(request, self.state().api_key)
            return handler(request, params)

        return guarded

    def _view(self, request: Request) -> serialize.View:
        return serialize.View(request.base_url, self.world.clock.now(), self.state().media_expiry_by_clock)

    # -- bots ---------------------------------------------------------------------------------
    def list_bots(self, request: Request, _params: Mapping[str, str]) -> Response:
        """List Bots: newest scheduled join first, page-number paging, django-filter filters."""
        state, view = self.state(), self._view(request)
        filters = Filters(request)
        after = filters.datetime("join_at_after", "join_at")
        before = filters.datetime("join_at_before", "join_at")
        statuses = set(filters.choices("status", STATUS_FILTER_CODES, "status[]"))
        platforms = set(filters.choices("platform", PLATFORMS, "platform[]"))
        wanted_meeting = None
        if request.arg("meeting_url"):
            try:
                wanted_meeting = identity(parse_meeting_url(str(request.arg("meeting_url"))))
            except MeetingUrlError:
                filters.errors["meeting_url"] = ["Enter a valid meeting URL."]
        metadata = {
            name.removeprefix("metadata__"): values[-1]
            for name, values in request.query.items()
            if name.startswith("metadata__") and len(name) > len("metadata__") and values
        }
        filters.check()

        def keep(bot: Bot) -> bool:
            join_at = None if bot.has_joined or bot.join_at is None else bot.sort_time
            if (after or before) and join_at is None:
                return False
            if join_at is not None and ((after and join_at < after) or (before and join_at > before)):
                return False
            status = "media_expired" if view.expiry(bot) else bot.current_status
            if statuses and status not in statuses:
                return False
            if platforms and bot.meeting_url.get("platform") not in platforms:
                return False
            if wanted_meeting is not None and identity(bot.meeting_url) != wanted_meeting:
                return False
            return state.metadata_matches(bot, metadata)

        bots = sorted(filter(keep, state.bots.values()), key=lambda bot: (-bot.sort_time.timestamp(), bot.id))
        page, envelope = page_number(request, bots, state.page_size)
        return Response.json({**envelope, "results": [serialize.bot_json(bot, view) for bot in page]})

    def retrieve_bot(self, request: Request, params: Mapping[str, str]) -> Response:
        bot = self.state().bots.get(_uuid(params["bot_id"]))
        if bot is None:
            raise recall_error(404, "Not found.")
        return Response.json(serialize.bot_json(bot, self._view(request)))

    # -- participant-events artifacts ---------------------------------------------------------
    def list_artifacts(self, request: Request, _params: Mapping[str, str]) -> Response:
        view = self._view(request)
        filters = Filters(request)
        recording_id = filters.uuid("recording_id")
        after = filters.datetime("created_at_after", "created_at")
        before = filters.datetime("created_at_before", "created_at")
        codes = set(filters.choices("status_code", ARTIFACT_CODES)[-1:])
        filters.check()
        found: list[tuple[Bot, Recording, Artifact]] = []
        for bot, rec in self.state().recordings():
            artifact = rec.artifact
            if artifact is None or (recording_id and rec.id != recording_id):
                continue
            if (after and artifact.created_at < after) or (before and artifact.created_at > before):
                continue
            if codes and serialize.artifact_status(bot, artifact, view).get("code") not in codes:
                continue
            found.append((bot, rec, artifact))
        page, envelope = cursor_page(request, found, lambda item: _newest_first(item[2]), self.state().page_size)
        return Response.json({**envelope, "results": [serialize.artifact_json(*item, view) for item in page]})

    def retrieve_artifact(self, request: Request, params: Mapping[str, str]) -> Response:
        found = self.state().find_artifact(_uuid(params["artifact_id"]))
        if found is None:
            raise recall_error(404, "Not found.")
        return Response.json(serialize.artifact_json(*found, self._view(request)))

    # -- recordings (cheap extras) ------------------------------------------------------------
    def list_recordings(self, request: Request, _params: Mapping[str, str]) -> Response:
        view = self._view(request)
        filters = Filters(request)
        bot_id = filters.uuid("bot_id")
        after = filters.datetime("created_at_after", "created_at")
        before = filters.datetime("created_at_before", "created_at")
        codes = set(filters.choices("status_code", RECORDING_FILTER_CODES)[-1:])
        filters.check()
        found: list[tuple[Bot, Recording]] = []
        for bot, rec in self.state().recordings():
            if (request.arg("bot_id") and bot.id != bot_id) or (after and rec.created_at < after):
                continue
            if (before and rec.created_at > before) or (
                codes and serialize.recording_embed(bot, rec, view)["status"].get("code") not in codes
            ):
                continue
            found.append((bot, rec))
        page, envelope = cursor_page(request, found, lambda item: _newest_first(item[1]), self.state().page_size)
        return Response.json({**envelope, "results": [serialize.recording_json(*item, view) for item in page]})

    def retrieve_recording(self, request: Request, params: Mapping[str, str]) -> Response:
        found = self.state().find_recording(_uuid(params["recording_id"]))
        if found is None:
            raise recall_error(404, "Not found.")
        return Response.json(serialize.recording_json(*found, self._view(request)))

    def list_participants(self, request: Request, params: Mapping[str, str]) -> Response:
        """``GET /api/v1/recording/{id}/participant/`` (newer docs, UNCERTAIN): the participants
        download as a cursor-paged list; empty unless the artifact is ``done``."""
        found = self.state().find_recording(_uuid(params["recording_id"]))
        if found is None:
            raise recall_error(404, "Not found.")
        bot, rec = found
        participants: list[tuple[int, dict[str, Any]]] = []
        view = self._view(request)
        if rec.artifact and serialize.artifact_status(bot, rec.artifact, view).get("code") == "done":
            participants = list(enumerate(rec.artifact.participants))
        page, envelope = cursor_page(request, participants, lambda item: (item[0],), self.state().page_size)
        return Response.json({**envelope, "results": [dict(item) for _, item in page]})

    # -- downloads ----------------------------------------------------------------------------
    def _download(self, kind: str) -> Callable[[Request, Mapping[str, str]], Response]:
        def download(request: Request, _params: Mapping[str, str]) -> Response:
            """A pre-signed download: no Authorization header; a token that does not verify is
            403, a valid token whose media is gone (expired / deleted / not done) is 404."""
            artifact_id = tokens.verify(request.arg("token") or "")
            if artifact_id is None:
                raise recall_error(403, "Invalid or expired download token.")
            found = self.state().find_artifact(artifact_id)
            if found is None:
                raise recall_error(404, "Not found.")
            bot, _rec, artifact = found
            if serialize.artifact_status(bot, artifact, self._view(request)).get("code") != "done":
                raise recall_error(404, "Not found.")
            payload = {
                "participants": artifact.participants,
                "participant_events": artifact.events,
                "speaker_timeline": artifact.speaker_timeline,
            }[kind]
            return Response.json(payload)

        return download


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return ""


def _newest_first(resource: Recording | Artifact) -> tuple[int, str]:
    """DRF ``CursorPagination``'s default ordering, ``-created`` (ties broken by id)."""
    return (-round(resource.created_at.timestamp() * 1_000_000), resource.id)


__all__ = ["RecallHandlers"]
