"""Meet v2 conference records through google-api-python-client: filters, paging, order, expiry,
reused meeting codes, restarted meetings, the moment-in-time view and live patches."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.clock import FixedClock, utc
from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from tests.support.discovery import assert_response_valid

NOW = "2025-03-20T12:00:00Z"
WEEKLY = "spaces/jQCFfuBOdN5z"  # abc-mnop-xyz, a weekly meeting
OLD = "spaces/OldSpace111"  # reu-sedc-ode in 2024
NEW = "spaces/NewSpace222"  # reu-sedc-ode again in 2025
RESTART = "spaces/Restart333"  # res-tart-edm


def record(name: str, space: str, start: str, end: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f"conferenceRecords/{name}", "space": space, "startTime": start, **extra}
    if end is not None:
        out["endTime"] = end
    return out


SCENARIO: dict[str, Any] = {
    "sandbox": {"now": NOW},
    "meet": {
        "spaces": [
            {"name": WEEKLY, "meetingCode": "abc-mnop-xyz"},
            {"name": OLD, "meetingCode": "reu-sedc-ode"},
            {"name": NEW, "meetingCode": "reu-sedc-ode"},
            {"name": RESTART, "meetingCode": "res-tart-edm", "config": {"accessType": "TRUSTED"}},
        ],
        "conferenceRecords": [
            record("w1", WEEKLY, "2025-03-03T15:00:00Z", "2025-03-03T15:58:40Z"),
            record("w2", WEEKLY, "2025-03-10T15:00:00Z", "2025-03-10T15:45:00Z"),
            record("w3", WEEKLY, "2025-03-17T15:00:00Z", "2025-03-17T16:02:00Z"),
            record("old", OLD, "2024-03-18T10:00:00Z", "2024-03-18T11:00:00Z", expireTime="2026-01-01T00:00:00Z"),
            record("new", NEW, "2025-03-18T10:00:00Z", "2025-03-18T10:30:00Z"),
            record("r1", RESTART, "2025-03-19T09:00:00Z", "2025-03-19T09:10:00Z"),
            record("r2", RESTART, "2025-03-19T09:12:00Z", "2025-03-19T09:55:00Z"),
            record("live", WEEKLY, "2025-03-20T11:30:00Z"),
            record("later", WEEKLY, "2025-03-20T11:45:00Z", "2025-03-20T12:30:00Z"),  # still ongoing at NOW
            record("expired", WEEKLY, "2025-02-10T15:00:00Z", "2025-02-10T16:00:00Z"),
            record("edge", RESTART, "2025-02-18T15:00:00Z", "2025-02-18T16:00:00Z"),  # expires 2025-03-20T16:00
            record("future", WEEKLY, "2025-03-24T15:00:00Z", "2025-03-24T16:00:00Z"),
        ],
    },
}
VISIBLE = ["later", "live", "r2", "r1", "new", "w3", "w2", "w1", "edge", "old"]  # start time descending


def client(server: SandboxServer, token: str = STATIC_GOOGLE_TOKEN) -> Any:
    return build(
        "meet",
        "v2",
        credentials=Credentials(token=token),
        client_options={"api_endpoint": server.url + "/"},
        static_discovery=True,
        cache_discovery=False,
    )


@pytest.fixture
def meet_for() -> Iterator[Callable[..., Any]]:
    """``meet_for(server, token=...)`` builds a Meet client; all are closed after the test."""
    built: list[Any] = []

    def make(server: SandboxServer, token: str = STATIC_GOOGLE_TOKEN) -> Any:
        built.append(client(server, token))
        return built[-1]

    yield make
    for service in built:
        service.close()


@pytest.fixture(scope="module")
def service() -> Iterator[Any]:
    """A client of one read-only sandbox shared by the module (servers take 0.5 s to stop)."""
    with SandboxServer(SCENARIO) as server:
        shared = client(server)
        yield shared
        shared.close()


def list_records(service: Any, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = service.conferenceRecords().list(**kwargs).execute()
    assert_response_valid("meet", "meet.conferenceRecords.list", body)
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["name"].split("/")[-1] for item in body.get("conferenceRecords", [])]


def all_pages(service: Any, **kwargs: Any) -> tuple[list[str], int]:
    names: list[str] = []
    pages = 0
    token = None
    while True:
        body = list_records(service, pageToken=token, **kwargs)
        pages += 1
        names += ids(body)
        token = body.get("nextPageToken")
        if token is None:
            return names, pages


def error_of(exc: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(exc.value.content)["error"]
    return data


def test_list_orders_by_start_time_descending_and_hides_expired_and_future(service: Any) -> None:
    assert ids(list_records(service)) == VISIBLE


def test_record_fields_as_served(service: Any) -> None:
    body = service.conferenceRecords().get(name="conferenceRecords/w3").execute()
    assert_response_valid("meet", "meet.conferenceRecords.get", body)
    assert body == {
        "name": "conferenceRecords/w3",
        "space": WEEKLY,
        "startTime": "2025-03-17T15:00:00Z",
        "endTime": "2025-03-17T16:02:00Z",
        "expireTime": "2025-04-16T16:02:00Z",
    }
    old = service.conferenceRecords().get(name="conferenceRecords/old").execute()
    assert old["expireTime"] == "2026-01-01T00:00:00Z"  # the scenario's value wins


def test_ongoing_records_have_no_end_time(service: Any) -> None:
    live = service.conferenceRecords().get(name="conferenceRecords/live").execute()
    later = service.conferenceRecords().get(name="conferenceRecords/later").execute()
    assert "endTime" not in live and "expireTime" not in live
    assert "endTime" not in later  # ends at 12:30, after NOW
    assert ids(list_records(service, filter="end_time IS NULL")) == ["later", "live"]
    assert ids(list_records(service, filter="end_time IS NOT NULL")) == [
        n for n in VISIBLE if n not in {"later", "live"}
    ]


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        pytest.param('space.meeting_code = "abc-mnop-xyz"', ["later", "live", "w3", "w2", "w1"], id="code"),
        pytest.param('space.meeting_code = "ABC-MNOP-XYZ"', ["later", "live", "w3", "w2", "w1"], id="code-any-case"),
        pytest.param('space.meeting_code="reu-sedc-ode"', ["new", "old"], id="reused-code-both-spaces"),
        pytest.param(f'space.name = "{NEW}"', ["new"], id="space-name"),
        pytest.param('space.name = "spaces/newspace222"', [], id="space-name-case-sensitive"),
        pytest.param(f'space.name != "{WEEKLY}"', ["r2", "r1", "new", "edge", "old"], id="not-equal"),
        pytest.param(
            'space.meeting_code = "reu-sedc-ode" AND start_time >= "2025-01-01T00:00:00Z"', ["new"], id="code-window"
        ),
        pytest.param(
            'start_time>="2025-03-19T00:00:00Z" AND start_time<="2025-03-20T00:00:00Z"', ["r2", "r1"], id="restarted"
        ),
        pytest.param("start_time > 2025-03-19T09:00:00Z", ["later", "live", "r2"], id="bare-timestamp"),
        pytest.param('start_time < "2025-03-03T15:00:00Z"', ["edge", "old"], id="lt"),
        pytest.param('start_time <= "2025-03-03T15:00:00Z"', ["w1", "edge", "old"], id="le"),
        pytest.param('start_time = "2025-03-03T16:00:00+01:00"', ["w1"], id="eq-offset"),
        pytest.param('end_time < "2025-03-10T00:00:00Z"', ["w1", "edge", "old"], id="end-lt-skips-ongoing"),
        pytest.param(
            'NOT end_time < "2025-03-10T00:00:00Z"', ["later", "live", "r2", "r1", "new", "w3", "w2"], id="not"
        ),
        pytest.param(
            f'space.name = "{OLD}" OR space.name = "{NEW}" AND start_time > "2025-01-01T00:00:00Z"',
            ["new"],
            id="or-binds-tighter",
        ),
        pytest.param(
            f'(space.name = "{OLD}" OR space.name = "{NEW}") AND NOT (start_time < "2025-01-01T00:00:00Z")',
            ["new"],
            id="parentheses",
        ),
        pytest.param("  end_time   IS    NULL  ", ["later", "live"], id="whitespace"),
        pytest.param("", VISIBLE, id="empty"),
    ],
)
def test_filters(service: Any, filter_: str, expected: list[str]) -> None:
    assert ids(list_records(service, filter=filter_)) == expected


@pytest.mark.parametrize(
    ("filter_", "message"),
    [
        pytest.param('startTime >= "2025-01-01T00:00:00Z"', 'unknown field "startTime"', id="camel-case"),
        pytest.param('space.owner = "x"', 'unknown field "space.owner"', id="unknown-field"),
        pytest.param('start_time >= "yesterday"', 'invalid timestamp "yesterday"', id="bad-timestamp"),
        pytest.param("space.meeting_code = abc-mnop-xyz", "expected a double-quoted string", id="unquoted-string"),
        pytest.param('space.name < "spaces/a"', "operator < is not supported", id="string-lt"),
        pytest.param('space.name = "a" AND', "expected a field name", id="dangling-and"),
        pytest.param("(end_time IS NULL", "expected ')'", id="unbalanced"),
        pytest.param("end_time IS EMPTY", "expected NULL", id="is-empty"),
        pytest.param('space.name = "a" and end_time IS NULL', "unexpected 'and'", id="lower-case-and"),
        pytest.param('space.name : "a"', "expected a comparison operator", id="has-operator"),
        pytest.param('space.name = "unterminated', "unexpected character", id="unterminated"),
    ],
)
def test_bad_filters_are_400(service: Any, filter_: str, message: str) -> None:
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().list(filter=filter_).execute()
    assert exc.value.resp.status == 400
    error = error_of(exc)
    assert error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


@pytest.mark.parametrize("size", [1, 2, 3])
def test_paging_with_tiny_pages(service: Any, size: int) -> None:
    names, pages = all_pages(service, pageSize=size)
    assert names == VISIBLE
    assert pages == -(-len(VISIBLE) // size)


def test_paging_with_filter_and_default_size(service: Any) -> None:
    names, pages = all_pages(service, pageSize=2, filter='space.meeting_code = "abc-mnop-xyz"')
    assert names == ["later", "live", "w3", "w2", "w1"] and pages == 3


def test_page_size_is_coerced_and_defaults(
    sandbox_factory: Callable[..., SandboxServer], meet_for: Callable[..., Any]
) -> None:
    records = [record(f"x{i:03d}", WEEKLY, f"2025-03-{1 + i // 24:02d}T{i % 24:02d}:00:00Z") for i in range(130)]
    scenario = {"sandbox": {"now": NOW}, "meet": {"spaces": [{"name": WEEKLY}], "conferenceRecords": records}}
    service = meet_for(sandbox_factory(scenario))
    assert len(list_records(service)["conferenceRecords"]) == 25
    big = list_records(service, pageSize=1000)
    assert len(big["conferenceRecords"]) == 100 and "nextPageToken" in big
    rest = list_records(service, pageSize=1000, pageToken=big["nextPageToken"])
    assert len(rest["conferenceRecords"]) == 30 and "nextPageToken" not in rest
    assert len(list_records(service, pageSize=0)["conferenceRecords"]) == 25


def test_negative_page_size_is_400(service: Any) -> None:
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().list(pageSize=-1).execute()
    assert exc.value.resp.status == 400 and error_of(exc)["status"] == "INVALID_ARGUMENT"


def test_page_token_is_bound_to_its_filter(service: Any) -> None:
    token = list_records(service, pageSize=1)["nextPageToken"]
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().list(pageSize=1, pageToken=token, filter="end_time IS NULL").execute()
    assert exc.value.resp.status == 400
    with pytest.raises(HttpError) as garbage:
        service.conferenceRecords().list(pageToken="not-a-token!").execute()
    assert garbage.value.resp.status == 400


def test_paging_is_stable_when_records_are_added_between_pages(
    sandbox_factory: Callable[..., SandboxServer], meet_for: Callable[..., Any]
) -> None:
    server = sandbox_factory(SCENARIO)
    service = meet_for(server)
    first = list_records(service, pageSize=3)
    server.patch({"meet": {"conferenceRecords": [record("newer", RESTART, "2025-03-20T11:59:00Z")]}})
    second = list_records(service, pageSize=100, pageToken=first["nextPageToken"])
    assert ids(first) + ids(second) == VISIBLE  # the new record sorts first, so it is not on later pages
    assert ids(list_records(service, pageSize=1)) == ["newer"]


def test_expired_and_future_records_are_404(service: Any) -> None:
    for name in ("expired", "future", "nope"):
        with pytest.raises(HttpError) as exc:
            service.conferenceRecords().get(name=f"conferenceRecords/{name}").execute()
        assert exc.value.resp.status == 404
        assert error_of(exc) == {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}


def test_records_expire_thirty_days_after_the_end(
    sandbox_factory: Callable[..., SandboxServer], meet_for: Callable[..., Any]
) -> None:
    clock = FixedClock(utc(NOW))
    service = meet_for(sandbox_factory(SCENARIO, clock=clock))
    edge = service.conferenceRecords().get(name="conferenceRecords/edge").execute()
    assert edge["expireTime"] == "2025-03-20T16:00:00Z"
    clock.advance(timedelta(hours=4))  # 16:00: expireTime reached
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().get(name="conferenceRecords/edge").execute()
    assert exc.value.resp.status == 404
    assert "edge" not in ids(list_records(service))
    # meanwhile "later" ended at 12:30 and "future" is still to come
    later = service.conferenceRecords().get(name="conferenceRecords/later").execute()
    assert later["endTime"] == "2025-03-20T12:30:00Z" and later["expireTime"] == "2025-04-19T12:30:00Z"
    clock.set(utc("2025-03-24T15:30:00Z"))
    assert "endTime" not in service.conferenceRecords().get(name="conferenceRecords/future").execute()


def test_live_patch_upserts_and_deletes(
    sandbox_factory: Callable[..., SandboxServer], meet_for: Callable[..., Any]
) -> None:
    server = sandbox_factory(SCENARIO)
    service = meet_for(server)
    server.patch(
        {
            "meet": {
                "spaces": [{"name": "spaces/Brand444", "meetingCode": "bra-ndne-wxy"}],
                "conferenceRecords": [
                    record("live", WEEKLY, "2025-03-20T11:30:00Z", "2025-03-20T11:50:00Z"),
                    record("b1", "spaces/Brand444", "2025-03-20T10:00:00Z", "2025-03-20T10:20:00Z"),
                ],
                "delete": ["conferenceRecords/w1"],
            }
        }
    )
    assert service.conferenceRecords().get(name="conferenceRecords/live").execute()["endTime"] == (
        "2025-03-20T11:50:00Z"
    )
    assert ids(list_records(service, filter='space.meeting_code = "bra-ndne-wxy"')) == ["b1"]
    assert "w1" not in ids(list_records(service))


def test_scope_limited_to_app_created_spaces_sees_nothing(
    sandbox_factory: Callable[..., SandboxServer], meet_for: Callable[..., Any]
) -> None:
    server = sandbox_factory(SCENARIO)
    token = server.world.tokens.issue("ada@corp.example", ["https://www.googleapis.com/auth/meetings.space.created"])
    service = meet_for(server, token.value)
    assert list_records(service) == {}
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().get(name="conferenceRecords/w1").execute()
    assert exc.value.resp.status == 403 and error_of(exc)["status"] == "PERMISSION_DENIED"
    other = server.world.tokens.issue(None, ["https://www.googleapis.com/auth/calendar.readonly"])
    with pytest.raises(HttpError) as scope:
        meet_for(server, other.value).conferenceRecords().list().execute()
    assert scope.value.resp.status == 403
    assert error_of(scope)["message"] == "Request had insufficient authentication scopes."
