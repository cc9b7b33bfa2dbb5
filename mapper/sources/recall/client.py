"""Recall.ai over HTTP: bots, their participant-events artifacts and the downloads behind them.

One ``httpx.Client`` carries ``Authorization: Token <key>`` to the configured region (or the
``recall.base_url`` override, e.g. the sandbox); a second one, without that header, fetches the
pre-signed download URLs.  Both take an ``httpx`` transport, so the client can also run in-process.
Every attempt is counted under the sandbox's method names; 429 / 5xx / connection errors / invalid
JSON are retried (``Retry-After`` honoured) and what finally fails is one of mapper's
:class:`~mapper.errors.UpstreamError` family.  The API key never appears in a message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from mapper.config import Settings
from mapper.errors import AuthError, DataError, NotFoundError, RateLimitedError, UpstreamError
from mapper.sources.metrics import CallCounter
from mapper.sources.recall.convert import (
    Artifact,
    Bot,
    ParticipantEvent,
    RecallParticipant,
    artifact_from_api,
    artifacts_state,
    bot_from_api,
    event_from_api,
    participant_from_api,
)
from mapper.sources.recall.paging import Fetch, pages
from mapper.sources.retry import Retryable, RetryPolicy, parse_retry_after, with_retries

SERVICE = "recall"
T = TypeVar("T")


class ArtifactNotReadyError(UpstreamError):
    """Recall is still processing the bot's participant data (no download URLs yet): try later."""


class RecallClient:
    """Typed access to the Recall.ai endpoints mapper reads.  Thread-safe."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        timeout: float = 30.0,
        counter: CallCounter | None = None,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.counter = counter or CallCounter()
        self._policy = policy or RetryPolicy()
        self._api = httpx.Client(
            base_url=self.base_url + "/",
            headers={"Authorization": f"Token {api_key}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )
        # Pre-signed download URLs carry their own token: never send the API key with them.
        self._downloads = httpx.Client(
            headers={"Accept": "application/json"}, timeout=timeout, transport=transport, follow_redirects=True
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        counter: CallCounter | None = None,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> RecallClient:
        """A client for ``settings.recall`` (key, region / base URL) with ``settings.http`` limits."""
        http = settings.http
        return cls(
            settings.recall_api_key(),
            base_url=settings.recall.effective_base_url,
            timeout=http.timeout_seconds,
            counter=counter,
            policy=policy
            or RetryPolicy(
                max_tries=http.max_tries, backoff=http.backoff_seconds, backoff_max=http.backoff_max_seconds
            ),
            transport=transport,
        )

    def close(self) -> None:
        self._api.close()
        self._downloads.close()

    def __enter__(self) -> RecallClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- bots ------------------------------------------------------------------------------------
    def bots(
        self,
        *,
        join_at_after: datetime | None = None,
        join_at_before: datetime | None = None,
        status: Sequence[str] = (),
        platform: Sequence[str] = (),
        problems: list[str] | None = None,
    ) -> Iterator[Bot]:
        """List Bots (page-number paging, every page followed).  A malformed bot is described in
        ``problems`` and skipped when a list is given; otherwise it raises :class:`DataError`."""
        params: dict[str, Any] = {}
        if join_at_after is not None:
            params["join_at_after"] = _iso(join_at_after)
        if join_at_before is not None:
            params["join_at_before"] = _iso(join_at_before)
        if status:
            params["status"] = list(status)
        if platform:
            params["platform"] = list(platform)
        items = pages(self._fetcher("recall.bot.list"), "api/v1/bot/", params, base_url=self.base_url, what="bots")
        for index, item in enumerate(items):
            bot = _convert(bot_from_api, item, f"bots[{index}]", problems, hint=_id_hint(item))
            if bot is not None:
                yield bot

    def bot(self, bot_id: str) -> Bot:
        """Retrieve Bot (fresh download URLs included)."""
        body = self._get("recall.bot.retrieve", f"api/v1/bot/{_segment(bot_id)}/", label=f"bot {bot_id}")
        return bot_from_api(body, f"bot {bot_id}")

    # -- participant data ----------------------------------------------------------------------
    def participant_event_artifacts(
        self, *, recording_id: str | None = None, problems: list[str] | None = None
    ) -> Iterator[Artifact]:
        """List Participant Events (cursor paging): the artifacts of one recording, or of all."""
        params = {"recording_id": recording_id} if recording_id else None
        fetch = self._fetcher("recall.participant_events.list")
        items = pages(fetch, "api/v1/participant_events/", params, base_url=self.base_url, what="participant_events")
        for index, item in enumerate(items):
            artifact = _convert(artifact_from_api, item, f"participant_events[{index}]", problems)
            if artifact is not None:
                yield artifact

    def artifacts(self, bot: Bot) -> list[Artifact]:
        """The bot's downloadable participant-events artifacts, one per recording.

        Raises :class:`ArtifactNotReadyError` while Recall is still processing any of them; returns
        ``[]`` when there is nothing to download (no recording, failed, deleted, media expired)."""
        found: list[Artifact] = []
        for recording in bot.recordings:
            if recording.participant_events is not None:
                found.append(recording.participant_events)
            elif recording.id:  # not embedded in media_shortcuts: ask the list endpoint
                found.extend(self.participant_event_artifacts(recording_id=recording.id))
        state = artifacts_state(found)
        if state == "processing":
            raise ArtifactNotReadyError(
                f"bot {bot.id}: participant data not ready yet (still processing)", service=SERVICE
            )
        if state != "ready" or bot.status == "media_expired":
            return []
        return [a for a in found if a.status not in {"failed", "deleted"}]

    def participants(
        self, bot: Bot, *, artifacts: Sequence[Artifact] | None = None, problems: list[str] | None = None
    ) -> list[RecallParticipant]:
        """The participants download of every recording (merged by in-meeting id, latest wins)."""
        merged: dict[str, RecallParticipant] = {}
        for artifact in self.artifacts(bot) if artifacts is None else artifacts:
            if not artifact.participants_url:
                continue
            body = self._download("recall.download.participants", artifact.participants_url, bot.id)
            for participant in _converted_array(participant_from_api, body, f"bot {bot.id} participants", problems):
                merged[participant.id] = participant
        return list(merged.values())

    def participant_events(
        self, bot: Bot, *, artifacts: Sequence[Artifact] | None = None, problems: list[str] | None = None
    ) -> list[ParticipantEvent]:
        """The participant-events download of every recording (repeated event ids dropped)."""
        events: list[ParticipantEvent] = []
        seen: set[str] = set()
        for artifact in self.artifacts(bot) if artifacts is None else artifacts:
            if not artifact.participant_events_url:
                continue
            body = self._download("recall.download.participant_events", artifact.participant_events_url, bot.id)
            for event in _converted_array(event_from_api, body, f"bot {bot.id} participant_events", problems):
                if event.id is not None:
                    if event.id in seen:
                        continue
                    seen.add(event.id)
                events.append(event)
        return events

    # -- transport -------------------------------------------------------------------------------
    def _fetcher(self, method: str) -> Fetch:
        def fetch(url: str, params: Mapping[str, Any] | None) -> Any:
            return self._get(method, url, params, label=method)

        return fetch

    def _get(self, method: str, url: str, params: Mapping[str, Any] | None = None, *, label: str) -> Any:
        return with_retries(lambda: self._once(self._api, method, url, params, label), self._policy, what=label)

    def _download(self, method: str, url: str, bot_id: str) -> Any:
        # The label names the bot, never the URL: it carries a token.
        label = f"{method} (bot {bot_id})"
        return with_retries(lambda: self._once(self._downloads, method, url, None, label), self._policy, what=label)

    def _once(self, client: httpx.Client, method: str, url: str, params: Mapping[str, Any] | None, label: str) -> Any:
        self.counter.call(method)
        try:
            response = client.get(url, params=params)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            self.counter.failure(method)
            raise DataError(f"{label}: not a usable http(s) URL") from None
        except httpx.RequestError as exc:  # timeouts, refused / reset connections, protocol errors
            self.counter.failure(method)
            raise Retryable(
                UpstreamError(f"{label}: connection failed ({type(exc).__name__})", service=SERVICE)
            ) from None
        if response.status_code >= 400:
            self.counter.failure(method)
            raise translate(response, label, download=client is self._downloads, base_url=self.base_url)
        try:
            return response.json()
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            self.counter.failure(method)
            raise Retryable(UpstreamError(f"{label}: response body is not valid JSON", service=SERVICE)) from None


def translate(response: httpx.Response, label: str, *, download: bool = False, base_url: str = "") -> Exception:
    """An error response as mapper's exception; transient ones come back as :class:`Retryable`."""
    status = response.status_code
    html = _is_html(response)
    detail = "" if html else _detail(response)
    text = f"{label}: HTTP {status}" + (f" {detail}" if detail else "")
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status == 429:
        return Retryable(RateLimitedError(text, service=SERVICE, status=status, retry_after=retry_after), retry_after)
    if status >= 500:
        return Retryable(UpstreamError(text, service=SERVICE, status=status, retry_after=retry_after), retry_after)
    if status == 403 and html:
        return UpstreamError(
            f"{label}: HTTP 403 from Recall.ai's web application firewall (an HTML page, not an API answer): "
            "the request was blocked before it reached the API",
            service=SERVICE,
            status=status,
            reason="waf",
        )
    if download and status in (401, 403):
        return UpstreamError(
            f"{text} (the pre-signed download link was refused; it may have expired)", service=SERVICE, status=status
        )
    if status == 401:
        host = urlsplit(base_url).hostname or base_url
        return AuthError(
            f"{text}: the API key was refused by {host}; check recall.api_key (or the variable named by "
            "recall.api_key_env) and recall.region: a key only works in the region where it was created",
            service=SERVICE,
            status=status,
        )
    if status == 403:
        return AuthError(text, service=SERVICE, status=status)
    if status == 404:
        return NotFoundError(text, service=SERVICE, status=status)
    return UpstreamError(text, service=SERVICE, status=status)


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").lower()
    return "html" in kind or response.content.lstrip()[:1] == b"<"


def _detail(response: httpx.Response) -> str:
    """Recall's ``{"detail": "..."}`` (or a short rendering of any other JSON body)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, Mapping) and isinstance(body.get("detail"), str):
        return str(body["detail"])[:200]
    return json.dumps(body, ensure_ascii=False)[:200]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _segment(value: str) -> str:
    if not value or "/" in value or value in {".", ".."} or "?" in value or "#" in value:
        raise DataError(f"not a Recall id: {value[:60]!r}")
    return value


def _id_hint(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, Mapping) else None
    return str(value)[:60] if isinstance(value, str | int) else None


def _convert(
    converter: Callable[[Any, str], T], item: Any, path: str, problems: list[str] | None, *, hint: str | None = None
) -> T | None:
    """``converter(item, path)``; a :class:`DataError` goes to ``problems`` (None) when a list is given."""
    try:
        return converter(item, path)
    except DataError as exc:
        if problems is None:
            raise
        problems.append(f"skipped {exc}" + (f" (id {hint})" if hint else ""))
        return None


def _converted_array(
    converter: Callable[[Any, str], T], body: Any, path: str, problems: list[str] | None
) -> Iterator[T]:
    if not isinstance(body, list):
        raise DataError(f"{path}: the download must be a JSON array")
    for index, item in enumerate(body):
        value = _convert(converter, item, f"{path}[{index}]", problems)
        if value is not None:
            yield value


__all__ = ["SERVICE", "ArtifactNotReadyError", "RecallClient", "translate"]
