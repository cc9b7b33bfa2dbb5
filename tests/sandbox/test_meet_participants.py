"""Meet v2 participants, participant sessions and spaces through google-api-python-client, plus
query-parameter checks, authentication, ``fields`` and live patches of participants."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer
from tests.support.discovery import assert_response_valid

SPACE = "spaces/jQCFfuBOdN5z"
DONE = "conferenceRecords/done"
LIVE = "conferenceRecords/live"
BIG = "conferenceRecords/big"


def sessions(owner: str, *spans: tuple[str, str | None]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, (start, end) in enumerate(spans):
        item: dict[str, Any] = {"name": f"{owner}/participantSessions/s{index}", "startTime": start}
        if end is not None:
            item["endTime"] = end
        out.append(item)
    return out


def day(time: str) -> str:
    return f"2025-03-17T{time}Z"


def today(time: str) -> str:
    return f"2025-03-20T{time}Z"


OMAR = {
    "name": f"{DONE}/participants/omar",
    "earliestStartTime": day("15:01:07"),
    "latestEndTime": day("15:58:40"),
    "signedinUser": {"user": "users/104377215590028", "displayName": "Omar Haddad"},
}
SCENARIO: dict[str, Any] = {
    "sandbox": {"now": "2025-03-20T12:00:00Z"},
    "meet": {
        "spaces": [
            {"name": SPACE, "meetingCode": "abc-mnop-xyz", "meetingUri": "https://meet.google.com/abc-mnop-xyz"},
            {"name": "spaces/OldSpace111", "meetingCode": "reu-sedc-ode"},
            {"name": "spaces/NewSpace222", "meetingCode": "reu-sedc-ode"},
            {"name": "spaces/Idle", "meetingCode": "idl-espa-cex"},
        ],
        "conferenceRecords": [
            {
                "name": DONE,
                "space": SPACE,
                "startTime": day("15:00:00"),
                "endTime": day("16:00:00"),
                "participants": [
                    {
                        **OMAR,
                        "participantSessions": sessions(
                            OMAR["name"], (day("15:01:07"), day("15:20:00")), (day("15:25:00"), day("15:58:40"))
                        ),
                    },
                    {
                        "name": f"{DONE}/participants/kim1",
                        "anonymousUser": {"displayName": "kim (partner)"},
                        "participantSessions": sessions(
                            f"{DONE}/participants/kim1", (day("15:05:00"), day("15:30:00"))
                        ),
                    },
                    {
                        "name": f"{DONE}/participants/kim2",
                        "anonymousUser": {"displayName": "kim (partner)"},
                        "participantSessions": sessions(
                            f"{DONE}/participants/kim2", (day("15:35:00"), day("15:50:00"))
                        ),
                    },
                    {
                        "name": f"{DONE}/participants/phone",
                        "earliestStartTime": day("15:09:30"),
                        "latestEndTime": day("15:20:02"),
                        "phoneUser": {"displayName": "+1 ***-***-4417"},
                    },
                    {
                        "name": f"{DONE}/participants/room",
                        "signedinUser": {"user": "users/99", "displayName": "Altostrat Room"},
                        "participantSessions": sessions(
                            f"{DONE}/participants/room", (day("15:00:30"), day("16:00:00"))
                        ),
                    },
                ],
            },
            {
                "name": LIVE,
                "space": SPACE,
                "startTime": today("11:30:00"),
                "participants": [
                    {
                        "name": f"{LIVE}/participants/ada",
                        "signedinUser": {"user": "users/1", "displayName": "Ada"},
                        "participantSessions": sessions(
                            f"{LIVE}/participants/ada",
                            (today("11:30:00"), today("11:40:00")),
                            (today("11:45:00"), None),
                        ),
                    },
                    {
                        "name": f"{LIVE}/participants/bob",
                        "signedinUser": {"user": "users/2", "displayName": "Bob"},
                        "participantSessions": sessions(
                            f"{LIVE}/participants/bob", (today("11:31:00"), today("11:50:00"))
                        ),
                    },
                    {
                        "name": f"{LIVE}/participants/cy",
                        "anonymousUser": {"displayName": "Cy"},
                        "participantSessions": sessions(
                            f"{LIVE}/participants/cy", (today("11:40:00"), today("12:30:00"))
                        ),
                    },
                    {
                        "name": f"{LIVE}/participants/late",
                        "anonymousUser": {"displayName": "Late"},
                        "participantSessions": sessions(f"{LIVE}/participants/late", (today("12:10:00"), None)),
                    },
                ],
            },
            {
                "name": BIG,
                "space": "spaces/NewSpace222",
                "startTime": "2025-03-18T10:00:00Z",
                "endTime": "2025-03-18T12:00:00Z",
                "participants": [
                    {
                        "phoneUser": {"displayName": f"+1 ***-***-{i:04d}"},
                        "earliestStartTime": f"2025-03-18T10:{i // 60:02d}:{i % 60:02d}Z",
                        **(
                            {
                                "participantSessions": [
                                    {"startTime": f"2025-03-18T10:00:{s % 60:02d}.{s:03d}Z"} for s in range(260)
                                ]
                            }
                            if i == 0
                            else {}
                        ),
                    }
                    for i in range(260)
                ],
            },
            {
                "name": "conferenceRecords/old",
                "space": "spaces/OldSpace111",
                "startTime": "2024-03-18T10:00:00Z",
                "endTime": "2024-03-18T11:00:00Z",
            },
        ],
    },
}


def client(server: SandboxServer, token: str = STATIC_GOOGLE_TOKEN) -> Any:
    return build(
        "meet",
        "v2",
        credentials=Credentials(token=token),
        client_options={"api_endpoint": server.url + "/"},
        static_discovery=True,
        cache_discovery=False,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(SCENARIO) as shared:
        yield shared


@pytest.fixture(scope="module")
def service(server: SandboxServer) -> Iterator[Any]:
    shared = client(server)
    yield shared
    shared.close()


def participants(service: Any, parent: str = DONE, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = service.conferenceRecords().participants().list(parent=parent, **kwargs).execute()
    assert_response_valid("meet", "meet.conferenceRecords.participants.list", body)
    return body


def session_list(service: Any, parent: str, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = (
        service.conferenceRecords().participants().participantSessions().list(parent=parent, **kwargs).execute()
    )
    assert_response_valid("meet", "meet.conferenceRecords.participants.participantSessions.list", body)
    return body


def short(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"].rsplit("/", 1)[-1] for item in items]


def collect(fetch: Callable[..., dict[str, Any]], key: str, size: int) -> list[str]:
    names: list[str] = []
    token = None
    while True:
        body = fetch(pageSize=size, pageToken=token)
        assert len(body.get(key, [])) <= size
        names += short(body.get(key, []))
        token = body.get("nextPageToken")
        if token is None:
            return names


def test_participants_of_all_kinds_newest_join_first(service: Any) -> None:
    body = participants(service)
    assert short(body["participants"]) == ["kim2", "phone", "kim1", "omar", "room"]
    assert "totalSize" not in body and "nextPageToken" not in body
    by_name = {p["name"].rsplit("/", 1)[-1]: p for p in body["participants"]}
    assert by_name["phone"] == {
        "name": f"{DONE}/participants/phone",
        "earliestStartTime": day("15:09:30"),
        "latestEndTime": day("15:20:02"),
        "phoneUser": {"displayName": "+1 ***-***-4417"},
    }
    assert by_name["room"]["signedinUser"] == {"user": "users/99", "displayName": "Altostrat Room"}
    # rejoined anonymous users are served as two participants with equal display names
    assert by_name["kim1"]["anonymousUser"] == by_name["kim2"]["anonymousUser"] == {"displayName": "kim (partner)"}
    # times derived from the sessions when the scenario omits them
    assert (by_name["kim1"]["earliestStartTime"], by_name["kim1"]["latestEndTime"]) == (
        day("15:05:00"),
        day("15:30:00"),
    )


def test_participant_get(service: Any) -> None:
    body = service.conferenceRecords().participants().get(name=OMAR["name"]).execute()
    assert_response_valid("meet", "meet.conferenceRecords.participants.get", body)
    assert body == OMAR
    for name in (f"{DONE}/participants/nobody", f"{LIVE}/participants/late", f"{LIVE}/participants/omar"):
        with pytest.raises(HttpError) as exc:
            service.conferenceRecords().participants().get(name=name).execute()
        assert exc.value.resp.status == 404


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        pytest.param("latest_end_time IS NULL", ["cy", "ada"], id="still-in-the-call"),
        pytest.param("latest_end_time IS NOT NULL", ["bob"], id="left"),
        pytest.param('earliest_start_time >= "2025-03-20T11:31:00Z"', ["cy", "bob"], id="joined-after"),
        pytest.param(
            'latest_end_time < "2025-03-20T12:00:00Z" OR latest_end_time IS NULL', ["cy", "bob", "ada"], id="or"
        ),
    ],
)
def test_participant_filters(service: Any, filter_: str, expected: list[str]) -> None:
    assert short(participants(service, LIVE, filter=filter_).get("participants", [])) == expected


def test_participant_times_as_of_now(service: Any) -> None:
    by_name = {p["name"].rsplit("/", 1)[-1]: p for p in participants(service, LIVE)["participants"]}
    assert set(by_name) == {"ada", "bob", "cy"}  # "late" joins after now
    assert "latestEndTime" not in by_name["ada"]  # second session still open
    assert "latestEndTime" not in by_name["cy"]  # leaves at 12:30, after now
    assert by_name["bob"]["latestEndTime"] == today("11:50:00")


def test_bad_participant_filter(service: Any) -> None:
    with pytest.raises(HttpError) as exc:
        participants(service, LIVE, filter='start_time > "2025-03-20T11:00:00Z"')
    assert exc.value.resp.status == 400
    assert 'unknown field "start_time"' in json.loads(exc.value.content)["error"]["message"]


@pytest.mark.parametrize(
    ("fields", "expected_keys"),
    [
        pytest.param("*", {"participants", "totalSize"}, id="star"),
        pytest.param("participants,nextPageToken,totalSize", {"participants", "totalSize"}, id="explicit"),
        pytest.param("total_size", {"totalSize"}, id="snake-case"),
        pytest.param("participants/name,next_page_token", {"participants"}, id="default-like"),
    ],
)
def test_total_size_only_through_fields(service: Any, fields: str, expected_keys: set[str]) -> None:
    body = participants(service, fields=fields)
    assert set(body) == expected_keys
    if "totalSize" in body:
        assert body["totalSize"] == 5


def test_fields_selects_sub_fields_and_total_counts_all_pages(service: Any) -> None:
    body = participants(service, pageSize=2, fields="participants(name,signedinUser/user),totalSize,nextPageToken")
    assert body["totalSize"] == 5 and "nextPageToken" in body
    assert body["participants"] == [{"name": f"{DONE}/participants/kim2"}, {"name": f"{DONE}/participants/phone"}]
    filtered = participants(service, LIVE, filter="latest_end_time IS NULL", fields="totalSize")
    assert filtered == {"totalSize": 2}
    with pytest.raises(HttpError) as exc:
        participants(service, fields="participants(name")
    assert exc.value.resp.status == 400


@pytest.mark.parametrize("size", [1, 2, 3])
def test_participant_and_session_paging(service: Any, size: int) -> None:
    def fetch_participants(**kwargs: Any) -> dict[str, Any]:
        return participants(service, **kwargs)

    def fetch_sessions(**kwargs: Any) -> dict[str, Any]:
        return session_list(service, f"{LIVE}/participants/ada", **kwargs)

    assert collect(fetch_participants, "participants", size) == ["kim2", "phone", "kim1", "omar", "room"]
    assert collect(fetch_sessions, "participantSessions", size) == ["s1", "s0"]


def test_page_sizes_are_coerced_to_250(service: Any) -> None:
    assert len(participants(service, BIG)["participants"]) == 100
    big = participants(service, BIG, pageSize=1000)
    assert len(big["participants"]) == 250 and "nextPageToken" in big
    rest = participants(service, BIG, pageSize=1000, pageToken=big["nextPageToken"])
    assert len(rest["participants"]) == 10 and "nextPageToken" not in rest
    many = participants(service, BIG, fields="participants(name,earliestStartTime)", pageSize=1)["participants"][0]
    assert many["earliestStartTime"] == "2025-03-18T10:04:19Z"  # i=259 joined last
    first = next(
        p["name"]
        for p in participants(service, BIG, pageSize=250, pageToken=big["nextPageToken"])["participants"]
        if p["earliestStartTime"] == "2025-03-18T10:00:00Z"
    )
    assert len(session_list(service, first)["participantSessions"]) == 100
    assert len(session_list(service, first, pageSize=251)["participantSessions"]) == 250


def test_sessions_list_get_and_filters(service: Any) -> None:
    body = session_list(service, OMAR["name"])
    assert body == {
        "participantSessions": [
            {
                "name": f"{OMAR['name']}/participantSessions/s1",
                "startTime": day("15:25:00"),
                "endTime": day("15:58:40"),
            },
            {
                "name": f"{OMAR['name']}/participantSessions/s0",
                "startTime": day("15:01:07"),
                "endTime": day("15:20:00"),
            },
        ]
    }
    ada = f"{LIVE}/participants/ada"
    assert short(session_list(service, ada, filter="end_time IS NULL")["participantSessions"]) == ["s1"]
    assert short(session_list(service, ada, filter='start_time < "2025-03-20T11:45:00Z"')["participantSessions"]) == [
        "s0"
    ]
    one = (
        service.conferenceRecords()
        .participants()
        .participantSessions()
        .get(name=f"{ada}/participantSessions/s1")
        .execute()
    )
    assert_response_valid("meet", "meet.conferenceRecords.participants.participantSessions.get", one)
    assert one == {"name": f"{ada}/participantSessions/s1", "startTime": today("11:45:00")}
    with pytest.raises(HttpError) as exc:
        service.conferenceRecords().participants().participantSessions().get(
            name=f"{ada}/participantSessions/s9"
        ).execute()
    assert exc.value.resp.status == 404


def test_space_get_by_id_and_by_code(service: Any) -> None:
    by_id = service.spaces().get(name=SPACE).execute()
    assert_response_valid("meet", "meet.spaces.get", by_id)
    assert by_id == {
        "name": SPACE,
        "meetingCode": "abc-mnop-xyz",
        "meetingUri": "https://meet.google.com/abc-mnop-xyz",
        "activeConference": {"conferenceRecord": LIVE},
    }
    assert service.spaces().get(name="spaces/ABC-Mnop-XYZ").execute() == by_id
    idle = service.spaces().get(name="spaces/idl-espa-cex").execute()
    assert idle == {
        "name": "spaces/Idle",
        "meetingCode": "idl-espa-cex",
        "meetingUri": "https://meet.google.com/idl-espa-cex",
    }
    # a reused code names the space that used it last
    assert service.spaces().get(name="spaces/reu-sedc-ode").execute()["name"] == "spaces/NewSpace222"
    for name in ("spaces/jqcffubodn5z", "spaces/zzz-zzzz-zzz"):  # ids are case-sensitive
        with pytest.raises(HttpError) as exc:
            service.spaces().get(name=name).execute()
        assert exc.value.resp.status == 404


def test_participants_of_unknown_record_are_404(service: Any) -> None:
    with pytest.raises(HttpError) as exc:
        participants(service, "conferenceRecords/nope")
    assert exc.value.resp.status == 404
    assert json.loads(exc.value.content)["error"]["status"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "path",
    [
        "/v2/conferenceRecords",
        f"/v2/{DONE}",
        f"/v2/{DONE}/participants",
        f"/v2/{OMAR['name']}",
        f"/v2/{OMAR['name']}/participantSessions",
        f"/v2/{SPACE}",
    ],
)
def test_unknown_query_parameter_is_400(server: SandboxServer, path: str) -> None:
    headers = {"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}
    ok = httpx.get(server.url + path, params={"alt": "json", "prettyPrint": "false", "quotaUser": "x"}, headers=headers)
    assert ok.status_code == 200
    bad = httpx.get(server.url + path, params={"foo": "1"}, headers=headers)
    assert bad.status_code == 400
    assert bad.json() == {
        "error": {
            "code": 400,
            "message": 'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. '
            "Field 'foo' could not be found in request message.",
            "status": "INVALID_ARGUMENT",
        }
    }


def test_requests_without_a_valid_token_are_401(server: SandboxServer) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = httpx.get(server.url + "/v2/conferenceRecords", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_patch_replaces_participants_only_when_given(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(SCENARIO)
    service = client(server)
    try:
        record = {"name": DONE, "space": SPACE, "startTime": day("15:00:00"), "endTime": day("16:00:00")}
        server.patch({"meet": {"conferenceRecords": [record]}})
        assert short(participants(service)["participants"]) == ["kim2", "phone", "kim1", "omar", "room"]
        newcomer = {"anonymousUser": {"displayName": "Guest"}, "earliestStartTime": day("15:10:00")}
        server.patch({"meet": {"conferenceRecords": [{**record, "participants": [OMAR, newcomer]}]}})
        body = participants(service)["participants"]
        assert [p.get("anonymousUser", {}).get("displayName") for p in body] == ["Guest", None]
        assert body[0]["name"].startswith(f"{DONE}/participants/")
    finally:
        service.close()
