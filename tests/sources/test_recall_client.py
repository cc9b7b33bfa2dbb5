"""The Recall client against the sandbox over HTTP (auth, both paging styles, downloads, faults)
and against httpx's own MockTransport for the error shapes (WAF page, Retry-After, broken JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mapper.config import Settings
from mapper.errors import AuthError, DataError, NotFoundError, RateLimitedError, UpstreamError
from mapper.sandbox import SandboxServer
from mapper.sources.factory import Sources
from mapper.sources.metrics import CallCounter
from mapper.sources.recall import ArtifactNotReadyError, RecallClient
from mapper.sources.retry import RetryPolicy
from tests.sources.test_recall_scenario import (
    API_KEY,
    BOTS,
    EXPIRED,
    PROCESSING,
    SCHEDULED,
    ZOOM_MAR4,
    scenario,
)

Factory = Callable[..., SandboxServer]


_OPEN: list[RecallClient] = []


def opened(client: RecallClient) -> RecallClient:
    """Register a client to be closed after the test (unclosed sockets warn, and warnings fail)."""
    _OPEN.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_clients() -> Any:
    yield
    while _OPEN:
        _OPEN.pop().close()


def no_sleep(max_tries: int = 6, sleeps: list[float] | None = None) -> RetryPolicy:
    return RetryPolicy(max_tries=max_tries, sleep=(sleeps.append if sleeps is not None else lambda _s: None))


def client_for(server: SandboxServer, key: str = API_KEY, **kwargs: Any) -> RecallClient:
    return opened(RecallClient(key, base_url=server.url, policy=kwargs.pop("policy", no_sleep()), **kwargs))


# -- configuration and auth ---------------------------------------------------------------------


def test_from_settings_uses_the_key_the_base_url_and_the_shared_counter(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    settings = Settings(recall={"enabled": True, "api_key": API_KEY, "base_url": server.url + "/"})
    sources = Sources(settings, policy=no_sleep())
    opened(sources.recall)
    assert sources.recall.base_url == server.url
    assert sources.recall.bot(ZOOM_MAR4).id == ZOOM_MAR4
    assert sources.counter.calls() == {"recall.bot.retrieve": 1}


def test_from_settings_reads_the_key_from_the_environment(
    sandbox_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = sandbox_factory(scenario())
    monkeypatch.setenv("RECALL_TEST_KEY", API_KEY)
    settings = Settings(recall={"enabled": True, "api_key_env": "RECALL_TEST_KEY", "base_url": server.url})
    assert opened(RecallClient.from_settings(settings, policy=no_sleep())).bot(ZOOM_MAR4).status == "done"


def test_default_base_url_is_the_region() -> None:
    settings = Settings(recall={"api_key": "k", "region": "eu-central-1"})
    assert opened(RecallClient.from_settings(settings)).base_url == "https://eu-central-1.recall.ai"


def test_a_wrong_key_is_an_auth_error_without_the_key(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    counter = CallCounter()
    secret = "sk-wrong-0123456789abcdef"
    with pytest.raises(AuthError) as caught:
        list(client_for(server, secret, counter=counter).bots())
    message = str(caught.value)
    assert "401" in message and "Invalid token" in message and "recall.api_key" in message
    assert secret not in message and API_KEY not in message
    assert counter.calls() == {"recall.bot.list": 1}  # refused credentials are not retried


def test_the_key_is_sent_as_a_token_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})

    client = opened(
        RecallClient("k-123", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler))
    )
    assert list(client.bots()) == []
    assert seen[0].headers["authorization"] == "Token k-123"
    assert str(seen[0].url) == "https://us-west-2.recall.ai/api/v1/bot/"


# -- paging -------------------------------------------------------------------------------------


def test_list_bots_follows_next_through_every_page(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario(page_size=2))
    bots = list(client_for(server).bots())
    assert sorted(bot.id for bot in bots) == sorted(bot["id"] for bot in BOTS)
    assert server.stats_snapshot()["requests"] == {"recall.bot.list": 7}  # 13 bots, 2 per page


def test_list_bots_passes_filters_and_keeps_them_on_later_pages(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario(page_size=1))
    client = client_for(server)
    done = list(client.bots(status=["done", "media_expired"]))
    assert {bot.status for bot in done} == {"done", "media_expired"} and len(done) == 10
    from datetime import UTC, datetime

    upcoming = list(client.bots(join_at_after=datetime(2025, 3, 3, tzinfo=UTC)))
    assert [bot.id for bot in upcoming] == [SCHEDULED]  # joined bots have no join_at any more


def test_participant_events_list_pages_by_cursor(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario(page_size=2))
    client = client_for(server)
    artifacts = list(client.participant_event_artifacts())
    assert len(artifacts) == 11 and len({a.id for a in artifacts}) == 11  # every recording's artifact once
    assert server.stats_snapshot()["requests"] == {"recall.participant_events.list": 6}
    recording = client.bot(ZOOM_MAR4).recordings[0]
    only = list(client.participant_event_artifacts(recording_id=recording.id))
    assert [a.id for a in only] == [recording.participant_events.id if recording.participant_events else None]


def test_a_next_link_to_another_host_is_not_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = {"count": 2, "next": "https://evil.example/api/v1/bot/?page=2", "previous": None, "results": []}
        return httpx.Response(200, json=page)

    client = opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler)))
    with pytest.raises(DataError, match="another host"):
        list(client.bots())


def test_a_repeated_next_link_stops_instead_of_looping() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = {"next": "https://us-west-2.recall.ai/api/v1/bot/?page=2", "previous": None, "results": []}
        return httpx.Response(200, json=page)

    client = opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler)))
    with pytest.raises(DataError, match="repeated"):
        list(client.bots())


# -- participant data ---------------------------------------------------------------------------


def test_downloads_participants_and_events(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    client = client_for(server)
    bot = client.bot(ZOOM_MAR4)
    people = client.participants(bot)
    events = client.participant_events(bot)
    assert [p.id for p in people] == ["100", "101", "102", "103", "104"]
    assert [e.action for e in events][:3] == ["join", "join", "join"] and len(events) == 12
    requests = server.stats_snapshot()["requests"]
    assert requests["recall.download.participants"] == 1 and requests["recall.download.participant_events"] == 1


def test_downloads_are_fetched_without_the_api_key() -> None:
    seen: dict[str, httpx.Headers] = {}
    bot = {
        "id": "b1",
        "status_changes": [{"code": "done", "created_at": "2025-03-04T10:31:40Z"}],
        "recordings": [
            {
                "id": "r1",
                "status": {"code": "done"},
                "media_shortcuts": {
                    "participant_events": {
                        "id": "a1",
                        "status": {"code": "done"},
                        "data": {
                            "participants_download_url": "https://files.example/p?token=abc",
                            "participant_events_download_url": "https://files.example/e?token=abc",
                        },
                    }
                },
            }
        ],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request.headers
        if request.url.path == "/api/v1/bot/b1/":
            return httpx.Response(200, json=bot)
        if request.url.path == "/p":
            return httpx.Response(200, json=[{"id": 1, "name": "Ada"}])
        return httpx.Response(200, json=[])

    client = opened(
        RecallClient("k-secret", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler))
    )
    got = client.bot("b1")
    assert [p.name for p in client.participants(got)] == ["Ada"]
    assert client.participant_events(got) == []
    assert seen["/api/v1/bot/b1/"]["authorization"] == "Token k-secret"
    assert "authorization" not in seen["/p"] and "authorization" not in seen["/e"]


def test_an_artifact_missing_from_media_shortcuts_is_found_through_the_list() -> None:
    bot = {"id": "b1", "status_changes": [{"code": "done"}], "recordings": [{"id": "r1", "media_shortcuts": {}}]}
    listed = {
        "id": "a1",
        "recording": {"id": "r1", "metadata": {}},
        "status": {"code": "done"},
        "data": {"participants_download_url": "https://files.example/p?token=1"},
    }
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.url.path}?{request.url.query.decode()}")
        if request.url.path == "/api/v1/bot/b1/":
            return httpx.Response(200, json=bot)
        if request.url.path == "/api/v1/participant_events/":
            return httpx.Response(200, json={"next": None, "previous": None, "results": [listed]})
        return httpx.Response(200, json=[{"id": 4, "name": "Ada"}])

    client = opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler)))
    got = client.bot("b1")
    assert got.participant_data == "unknown"
    assert [p.id for p in client.participants(got)] == ["4"]
    assert "/api/v1/participant_events/?recording_id=r1" in asked


def test_a_processing_artifact_is_not_ready(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    client = client_for(server)
    with pytest.raises(ArtifactNotReadyError, match="not ready"):
        client.participants(client.bot(PROCESSING))


def test_an_expired_bot_has_nothing_to_download(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    client = client_for(server)
    bot = client.bot(EXPIRED)
    assert bot.status == "media_expired" and bot.participant_data == "expired"
    assert client.participants(bot) == [] and client.participant_events(bot) == []
    assert "recall.download.participants" not in server.stats_snapshot()["requests"]


def test_an_unknown_bot_is_not_found(sandbox_factory: Factory) -> None:
    server = sandbox_factory(scenario())
    with pytest.raises(NotFoundError, match="404"):
        client_for(server).bot("00000000-0000-4000-8000-000000000000")


def test_malformed_items_are_skipped_into_problems() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        results = [{"id": "good", "status_changes": []}, {"id": "bad", "status_changes": "x"}, ["not a bot"]]
        return httpx.Response(200, json={"count": 3, "next": None, "previous": None, "results": results})

    client = opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler)))
    problems: list[str] = []
    assert [bot.id for bot in client.bots(problems=problems)] == ["good"]
    assert len(problems) == 2 and "bots[1].status_changes" in problems[0] and "(id bad)" in problems[0]
    with pytest.raises(DataError):
        list(client.bots())


# -- retries and error translation ----------------------------------------------------------------


def scripted(*responses: httpx.Response | Exception) -> httpx.MockTransport:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handler)


OK_BOT = httpx.Response(200, json={"id": "b1", "status_changes": []})


def scripted_client(*responses: httpx.Response | Exception, **kwargs: Any) -> RecallClient:
    return opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=scripted(*responses), **kwargs))


def test_429_honours_retry_after() -> None:
    sleeps: list[float] = []
    throttled = httpx.Response(429, json={"detail": "Request was throttled."}, headers={"Retry-After": "7"})
    client = scripted_client(throttled, throttled, OK_BOT, policy=no_sleep(sleeps=sleeps))
    assert client.bot("b1").id == "b1"
    assert len(sleeps) == 2 and all(7 <= wait < 8 for wait in sleeps)


def test_429_that_does_not_stop_is_a_rate_limited_error() -> None:
    counter = CallCounter()
    throttled = httpx.Response(429, json={"detail": "Request was throttled."}, headers={"Retry-After": "0"})
    with pytest.raises(RateLimitedError, match="429"):
        scripted_client(throttled, policy=no_sleep(max_tries=3), counter=counter).bot("b1")
    assert counter.calls() == {"recall.bot.retrieve": 3}


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, json={"detail": "The service is currently unavailable."}),
        httpx.Response(502, text="<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, text='{"id": "b1", "status_ch'),
    ],
    ids=["503", "502-html", "connect", "timeout", "truncated-json"],
)
def test_transient_failures_are_retried_then_upstream_errors(failure: httpx.Response | Exception) -> None:
    assert scripted_client(failure, OK_BOT, policy=no_sleep()).bot("b1").id == "b1"
    with pytest.raises(UpstreamError) as caught:
        scripted_client(failure, policy=no_sleep(max_tries=2)).bot("b1")
    assert "bot b1" in str(caught.value) and not isinstance(caught.value, AuthError)


def test_a_waf_page_is_named_as_such_and_not_retried() -> None:
    counter = CallCounter()
    page = httpx.Response(403, text="<html><head><title>403 Forbidden</title></head></html>")
    with pytest.raises(UpstreamError) as caught:
        scripted_client(page, counter=counter, policy=no_sleep()).bot("b1")
    assert "web application firewall" in str(caught.value) and caught.value.reason == "waf"
    assert not isinstance(caught.value, AuthError) and counter.calls() == {"recall.bot.retrieve": 1}


def test_an_expired_download_link_is_not_blamed_on_the_api_key() -> None:
    bot = {
        "id": "b1",
        "status_changes": [{"code": "done", "created_at": "2025-03-04T10:31:40Z"}],
        "recordings": [
            {
                "id": "r1",
                "media_shortcuts": {
                    "participant_events": {
                        "id": "a1",
                        "status": {"code": "done"},
                        "data": {"participants_download_url": "https://files.example/p?token=SECRET-TOKEN"},
                    }
                },
            }
        ],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "files.example":
            return httpx.Response(403, json={"detail": "Invalid or expired download token."})
        return httpx.Response(200, json=bot)

    client = opened(RecallClient("k", base_url="https://us-west-2.recall.ai", transport=httpx.MockTransport(handler)))
    with pytest.raises(UpstreamError) as caught:
        client.participants(client.bot("b1"))
    assert not isinstance(caught.value, AuthError) and "expired" in str(caught.value)
    assert "SECRET-TOKEN" not in str(caught.value)


def test_sandbox_faults_are_absorbed(sandbox_factory: Factory) -> None:
    clean = [bot.id for bot in client_for(sandbox_factory(scenario(page_size=2))).bots()]
    server = sandbox_factory(scenario(page_size=2), faults="seed=3;recall:5xx=0.3,429=0.2,retry_after=0")
    client = client_for(server)
    assert [bot.id for bot in client.bots()] == clean
    bot = client.bot(ZOOM_MAR4)
    assert len(client.participants(bot)) == 5
    faults = server.stats_snapshot()["faults"]
    assert faults, "the fault spec injected nothing"
    assert json.dumps(client.counter.failures())  # failures were counted per method
