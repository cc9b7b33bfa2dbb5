"""Fault injection: the ``--faults`` syntax, determinism under a seed, observed rates, and each fault
as the client sees it (429 + Retry-After in every API's envelope, 5xx, truncated and malformed
bodies, Calendar's sync-token 410, latency)."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from mapper.errors import ConfigError
from mapper.sandbox import STATIC_GOOGLE_TOKEN, FaultSpec, SandboxServer
from mapper.sandbox.http import Request, Response

ADA = "ada@corp.example"
SCENARIO = {
    "calendars": {
        ADA: {"events": [{"id": "a1", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]},
    }
}
EVENTS = f"/calendar/v3/calendars/{ADA}/events"
BEARER = {"authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A sandbox used through :meth:`SandboxServer.dispatch` (no sockets needed)."""
    server = SandboxServer(SCENARIO)
    yield server
    server.close()


def get(server: SandboxServer, path: str = EVENTS, **query: str) -> Response:
    return server.dispatch(Request("GET", path, {key: [value] for key, value in query.items()}, BEARER))


# -- spec parsing ------------------------------------------------------------------------------
def test_spec_parsing() -> None:
    spec = FaultSpec.parse("seed=7;*:5xx=0.10,429=0.05,retry_after=0;recall:latency=200ms;calendar:sync410=0.02")
    assert spec.seed == 7 and spec.active
    calendar = spec.rule("calendar")
    assert (calendar.rate_5xx, calendar.rate_429, calendar.retry_after, calendar.rate_sync410) == (0.1, 0.05, 0, 0.02)
    recall = spec.rule("recall")
    assert recall.latency_ms == 200 and recall.rate_5xx == 0.1 and recall.rate_sync410 == 0
    assert FaultSpec.parse("meet:latency=0.25s").rule("meet").latency_ms == 250
    assert FaultSpec.parse("429=0.5").rule("people").rate_429 == 0.5  # no API = every API
    assert not FaultSpec.parse("").active
    assert not FaultSpec.parse("seed=3;*:retry_after=5").active


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("gmail:429=0.1", "'gmail'"),
        ("*:bogus=1", "'bogus'"),
        ("*:429=2", "'429=2'"),
        ("*:429=abc", "'429=abc'"),
        ("calendar:latency=fast", "'latency=fast'"),
        ("*:retry_after=-1", "'retry_after=-1'"),
    ],
)
def test_bad_specs_name_the_bad_part(text: str, named: str) -> None:
    with pytest.raises(ConfigError) as exc:
        FaultSpec.parse(text)
    assert named in str(exc.value) and str(exc.value).startswith("faults: ")


def test_bad_spec_over_http_is_400(sandbox: SandboxServer) -> None:
    body = json.dumps({"spec": "*:429=7"}).encode()
    response = sandbox.dispatch(Request("PUT", "/_sandbox/faults", {}, {}, body))
    assert response.status == 400 and "429=7" in json.loads(response.body)["error"]
    ok = sandbox.dispatch(Request("PUT", "/_sandbox/faults", {}, {}, json.dumps({"spec": "seed=4;*:5xx=0.5"}).encode()))
    assert json.loads(ok.body) == {"seed": 4, "rules": {"*": {"rate_5xx": 0.5}}}


# -- determinism and rates -----------------------------------------------------------------------
def run(spec: str, n: int = 1000) -> list[int]:
    server = SandboxServer(SCENARIO, faults=spec)
    try:
        return [get(server, maxResults=str(1 + i % 7)).status for i in range(n)]
    finally:
        server.close()


def test_same_seed_same_requests_same_faults() -> None:
    first = run("seed=11;calendar:429=0.1,5xx=0.1")
    assert first == run("seed=11;calendar:429=0.1,5xx=0.1")
    assert first != run("seed=12;calendar:429=0.1,5xx=0.1")
    counts = Counter(first)
    assert 70 <= counts[429] <= 130
    assert 70 <= counts[500] + counts[503] <= 130 and counts[500] > 0 and counts[503] > 0
    assert counts[200] == 1000 - counts[429] - counts[500] - counts[503]


def test_fault_counts_in_stats(sandbox: SandboxServer) -> None:
    sandbox.set_faults("seed=1;calendar:429=0.5")
    statuses = Counter(get(sandbox).status for _ in range(200))
    stats = sandbox.stats_snapshot()
    assert stats["faults"]["calendar.events.list"] == {"429": statuses[429]}
    assert stats["statuses"]["calendar.events.list"] == {str(code): n for code, n in statuses.items()}
    assert stats["requests"]["calendar.events.list"] == 200


# -- each fault as seen on the wire ------------------------------------------------------------
RATE_LIMITED: list[tuple[str, str, Any]] = [
    ("calendar", EVENTS, lambda b: b["error"]["errors"][0]["reason"] == "rateLimitExceeded"
     and b["error"]["errors"][0]["domain"] == "usageLimits" and b["error"]["code"] == 429),
    ("meet", "/v2/conferenceRecords", lambda b: b["error"]["status"] == "RESOURCE_EXHAUSTED"),
    ("people", "/v1/people/123", lambda b: b["error"]["status"] == "RESOURCE_EXHAUSTED"),
    ("directory", "/admin/directory/v1/users/x", lambda b: b["error"]["errors"][0]["reason"] == "rateLimitExceeded"),
    ("recall", "/api/v1/bot/", lambda b: b == {"detail": "Request was throttled."}),
]  # fmt: skip


@pytest.mark.parametrize(("api", "path", "check"), RATE_LIMITED, ids=[item[0] for item in RATE_LIMITED])
def test_429_carries_retry_after_in_each_apis_envelope(sandbox: SandboxServer, api: str, path: str, check: Any) -> None:
    sandbox.set_faults(f"{api}:429=1,retry_after=3")
    response = get(sandbox, path)
    assert response.status == 429 and response.headers["Retry-After"] == "3"
    assert check(json.loads(response.body))
    assert get(sandbox, "/_sandbox/health").status == 200  # control endpoints never fault


def test_oauth_faults_use_the_token_endpoint_envelope(sandbox: SandboxServer) -> None:
    sandbox.set_faults("oauth:5xx=1")
    response = sandbox.dispatch(Request("POST", "/token", {}, {}, b"grant_type=refresh_token"))
    assert response.status in {500, 503}
    assert json.loads(response.body)["error"] == "temporarily_unavailable"


def test_5xx(sandbox: SandboxServer) -> None:
    sandbox.set_faults("seed=2;calendar:5xx=1;meet:5xx=1")
    seen = Counter()
    for _ in range(40):
        response = get(sandbox)
        seen[response.status] += 1
        assert json.loads(response.body)["error"]["errors"][0]["reason"] == "backendError"
    assert set(seen) == {500, 503}
    meet = json.loads(get(sandbox, "/v2/conferenceRecords").body)["error"]
    assert meet["status"] in {"INTERNAL", "UNAVAILABLE"}


def test_truncated_and_malformed_bodies(sandbox: SandboxServer) -> None:
    whole = get(sandbox).body
    sandbox.set_faults("calendar:truncate=1")
    truncated = get(sandbox)
    assert truncated.status == 200 and truncated.body == whole[: len(whole) // 2]
    sandbox.set_faults("calendar:malformed=1")
    malformed = get(sandbox)
    assert malformed.status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(malformed.body)
    assert sandbox.stats_snapshot()["faults"]["calendar.events.list"] == {"truncate": 1, "malformed": 1}


def test_sync410_only_hits_sync_token_requests(sandbox: SandboxServer) -> None:
    token = json.loads(get(sandbox).body)["nextSyncToken"]
    sandbox.set_faults("calendar:sync410=1")
    assert get(sandbox).status == 200  # a full sync is never refused
    response = get(sandbox, syncToken=token)
    assert response.status == 410
    error = json.loads(response.body)["error"]["errors"][0]
    assert (error["reason"], error["domain"]) == ("fullSyncRequired", "calendar")
    sandbox.set_faults("")
    assert get(sandbox, syncToken=token).status == 200


def test_latency_is_per_api(sandbox: SandboxServer) -> None:
    sandbox.set_faults("calendar:latency=150ms")
    started = time.perf_counter()
    assert get(sandbox).status == 200
    assert time.perf_counter() - started >= 0.15
    started = time.perf_counter()
    get(sandbox, "/v2/conferenceRecords")
    assert time.perf_counter() - started < 0.1
