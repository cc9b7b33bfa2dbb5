"""The Google transport: retries, Retry-After, error translation and paging, exercised with the
client library's own ``HttpMockSequence`` (no patching of mapper's code)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from mapper.config import Settings
from mapper.errors import AuthError, NotFoundError, RateLimitedError, SyncTokenExpiredError, UpstreamError
from mapper.sources.google.api import CachedResource, GoogleApi
from mapper.sources.google.calendar import CalendarClient
from mapper.sources.metrics import CallCounter
from mapper.sources.retry import RetryPolicy

SETTINGS = Settings(google={"credentials": "none"})
T0, T1 = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)


def legacy(code: int, reason: str, message: str = "x") -> str:
    return json.dumps(
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"domain": "global", "reason": reason, "message": message}],
            }
        }
    )


def page(items: list[dict[str, Any]], **extra: str) -> str:
    return json.dumps({"kind": "calendar#events", "items": items, **extra})


class Harness:
    def __init__(self, responses: list[tuple[dict[str, str], str]]) -> None:
        self.sleeps: list[float] = []
        self.counter = CallCounter()
        self.mock = HttpMockSequence(responses)
        api = GoogleApi(
            "calendar",
            SETTINGS,
            counter=self.counter,
            http_factory=lambda _credentials: self.mock,
            policy=RetryPolicy(max_tries=4, backoff=0.5, sleep=self.sleeps.append),
        )
        self.client = CalendarClient(api)

    def sync(self, token: str | None = None) -> Any:
        return self.client.sync("ada@corp.example", subject=None, sync_token=token, time_min=T0, time_max=T1)


EVENT = {"id": "e1", "start": {"dateTime": "2025-03-03T15:00:00Z"}, "end": {"dateTime": "2025-03-03T16:00:00Z"}}


def test_pages_are_followed_and_the_sync_token_is_kept() -> None:
    harness = Harness(
        [
            ({"status": "200"}, page([EVENT], nextPageToken="p2")),
            ({"status": "200"}, page([], nextPageToken="p3")),  # an empty page with a token is legal
            ({"status": "200"}, page([{**EVENT, "id": "e2"}], nextSyncToken="sync-1")),
        ]
    )
    result = harness.sync()
    assert [event.event_id for event in result.events] == ["e1", "e2"]
    assert result.sync_token == "sync-1"
    assert result.full
    assert harness.counter.calls() == {"calendar.events.list": 3}


def test_429_and_5xx_are_retried_honouring_retry_after() -> None:
    harness = Harness(
        [
            ({"status": "429", "retry-after": "7"}, legacy(429, "rateLimitExceeded")),
            ({"status": "503"}, legacy(503, "backendError")),
            ({"status": "403"}, legacy(403, "userRateLimitExceeded")),
            ({"status": "200"}, page([EVENT], nextSyncToken="s")),
        ]
    )
    assert [event.event_id for event in harness.sync().events] == ["e1"]
    assert len(harness.sleeps) == 3
    assert 7.0 <= harness.sleeps[0] <= 7.0 + 0.5 / 4
    assert all(0 <= wait <= 30 for wait in harness.sleeps[1:])
    assert harness.counter.calls() == {"calendar.events.list": 4}
    assert harness.counter.failures() == {"calendar.events.list": 3}


def test_truncated_body_is_retried() -> None:
    body = page([EVENT], nextSyncToken="s")
    harness = Harness([({"status": "200"}, body[: len(body) // 2]), ({"status": "200"}, body)])
    assert harness.sync().sync_token == "s"


def test_tries_are_bounded() -> None:
    harness = Harness([({"status": "500"}, legacy(500, "backendError"))] * 4)
    with pytest.raises(UpstreamError, match="HTTP 500 backendError") as info:
        harness.sync()
    assert info.value.status == 500
    assert harness.counter.calls() == {"calendar.events.list": 4}


def test_still_rate_limited_after_all_tries() -> None:
    harness = Harness([({"status": "429"}, legacy(429, "rateLimitExceeded"))] * 4)
    with pytest.raises(RateLimitedError):
        harness.sync()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        pytest.param(
            "410",
            legacy(410, "fullSyncRequired", "Sync token is no longer valid"),
            SyncTokenExpiredError,
            id="410-full-sync",
        ),
        pytest.param("404", legacy(404, "notFound"), NotFoundError, id="404"),
        pytest.param("401", legacy(401, "authError", "Invalid Credentials"), AuthError, id="401"),
        pytest.param(
            "403",
            json.dumps(
                {
                    "error": {
                        "code": 403,
                        "message": "Request had insufficient authentication scopes.",
                        "status": "PERMISSION_DENIED",
                    }
                }
            ),
            AuthError,
            id="403-scopes-not-retried",
        ),
        pytest.param("400", legacy(400, "badRequest"), UpstreamError, id="400"),
    ],
)
def test_permanent_errors_are_not_retried(status: str, body: str, error: type[Exception]) -> None:
    harness = Harness([({"status": status}, body)])
    with pytest.raises(error):
        harness.sync("old-token")
    assert harness.sleeps == []
    assert harness.counter.calls() == {"calendar.events.list": 1}


def test_malformed_items_are_skipped_and_reported() -> None:
    harness = Harness(
        [({"status": "200"}, page([EVENT, {"id": "bad", "status": "postponed"}, "junk"], nextSyncToken="s"))]
    )
    result = harness.sync()
    assert [event.event_id for event in result.events] == ["e1"]
    assert len(result.problems) == 2
    assert "unknown status 'postponed'" in result.problems[0]


def test_collections_are_built_once_per_thread_and_methods_make_fresh_requests() -> None:
    service = CachedResource(build("meet", "v2", http=HttpMockSequence([]), static_discovery=True))
    sessions = service.conferenceRecords().participants().participantSessions()
    assert sessions is service.conferenceRecords().participants().participantSessions()
    first = sessions.list(parent="conferenceRecords/a/participants/1", pageSize=250)
    second = sessions.list(parent="conferenceRecords/a/participants/2", pageSize=250)
    assert first is not second
    assert first.uri.endswith("/v2/conferenceRecords/a/participants/1/participantSessions?pageSize=250&alt=json")
    assert second.methodId == "meet.conferenceRecords.participants.participantSessions.list"
    with pytest.raises(AttributeError):
        service.conferenceRecords().nonsense()
