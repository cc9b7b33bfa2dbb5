"""People v1 people.get / people.getBatchGet through google-api-python-client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer, ScenarioError
from mapper.sandbox.world import World
from tests.support.discovery import assert_response_valid

OMAR_ID = "104377215590028"
DOMAIN = {"type": "DOMAIN_PROFILE", "id": OMAR_ID}
OMAR_NAMES = [
    {
        "displayName": "Omar Haddad",
        "givenName": "Omar",
        "familyName": "Haddad",
        "unstructuredName": "Omar Haddad",
        "metadata": {"primary": True, "source": DOMAIN},
    }
]
OMAR_WORK = {
    "value": "omar@corp.example",
    "type": "work",
    "metadata": {"primary": True, "verified": True, "source": DOMAIN},
}
OMAR_HOME = {"value": "omar.h@gmail.com", "type": "home", "metadata": {"source": {"type": "CONTACT", "id": "c1"}}}
OMAR = {
    "resourceName": f"people/{OMAR_ID}",
    "etag": "%EgUBAi43PRoEAQIFByIMR3Z1",
    "metadata": {"sources": [DOMAIN, {"type": "CONTACT", "id": "c1"}], "objectType": "PERSON"},
    "names": OMAR_NAMES,
    "emailAddresses": [OMAR_WORK, OMAR_HOME],
    "photos": [{"url": "https://lh3.googleusercontent.com/a/x", "default": True}],
}
SCENARIO: dict[str, Any] = {
    "people": [
        OMAR,
        {"resourceName": "people/200", "names": [{"displayName": "Hidden Email"}]},  # invisible profile
        {
            "resourceName": "people/300",
            "metadata": {"previousResourceNames": ["people/c777"]},
            "names": [{"displayName": "Renamed"}],
        },
        {
            "resourceName": "people/1",
            "names": [{"displayName": "Ada"}],
            "emailAddresses": [
                {"value": "ada.old@corp.example"},
                {"value": "Ada@corp.example", "metadata": {"primary": True}},
            ],
        },
    ],
    "meet": {
        "spaces": [{"name": "spaces/s1", "meetingCode": "abc-mnop-xyz"}],
        "conferenceRecords": [
            {
                "name": "conferenceRecords/c1",
                "space": "spaces/s1",
                "startTime": "2025-03-03T15:00:00Z",
                "participants": [
                    {
                        "signedinUser": {"user": f"users/{OMAR_ID}", "displayName": "Omar Haddad"},
                        "earliestStartTime": "2025-03-03T15:01:00Z",
                    },
                    {
                        "signedinUser": {"user": "users/555", "displayName": "External"},
                        "earliestStartTime": "2025-03-03T15:02:00Z",
                    },
                ],
            }
        ],
    },
}
MASK_REQUIRED = (
    "personFields mask is required. Please specify one or more valid paths. "
    "Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get."
)


def client(server: SandboxServer, name: str, version: str, token: str = STATIC_GOOGLE_TOKEN) -> Any:
    return build(
        name,
        version,
        credentials=Credentials(token=token),
        client_options={"api_endpoint": server.url + "/"},
        static_discovery=True,
        cache_discovery=False,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(SCENARIO) as shared:
        yield shared


@pytest.fixture
def open_client(server: SandboxServer) -> Iterator[Callable[..., Any]]:
    built: list[Any] = []

    def make(name: str = "people", version: str = "v1", token: str = STATIC_GOOGLE_TOKEN) -> Any:
        built.append(client(server, name, version, token))
        return built[-1]

    yield make
    for service in built:
        service.close()


@pytest.fixture
def people(open_client: Callable[..., Any]) -> Any:
    return open_client().people()


def get(people: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = people.get(resourceName=name, **kwargs).execute()
    assert_response_valid("people", "people.people.get", body)
    return body


def batch(people: Any, names: list[str], **kwargs: Any) -> list[dict[str, Any]]:
    body: dict[str, Any] = people.getBatchGet(resourceNames=names, **kwargs).execute()
    assert_response_valid("people", "people.people.getBatchGet", body)
    responses: list[dict[str, Any]] = body["responses"]
    return responses


def error(exc: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(exc.value.content)["error"]
    return data


def test_get_serves_only_the_requested_fields(people: Any) -> None:
    body = get(people, f"people/{OMAR_ID}", personFields="names,emailAddresses")
    assert body == {
        "resourceName": f"people/{OMAR_ID}",
        "etag": "%EgUBAi43PRoEAQIFByIMR3Z1",
        "names": OMAR_NAMES,
        "emailAddresses": [OMAR_WORK, OMAR_HOME],
    }
    assert set(get(people, f"people/{OMAR_ID}", personFields="names")) == {"resourceName", "etag", "names"}
    assert get(people, f"people/{OMAR_ID}", personFields="metadata,photos")["metadata"] == OMAR["metadata"]
    assert "emailAddresses" in get(people, f"people/{OMAR_ID}", personFields="email_addresses")


def test_person_fields_are_required_and_validated(people: Any) -> None:
    with pytest.raises(HttpError) as missing:
        people.get(resourceName=f"people/{OMAR_ID}").execute()
    assert missing.value.resp.status == 400
    assert error(missing) == {"code": 400, "message": MASK_REQUIRED, "status": "INVALID_ARGUMENT"}
    with pytest.raises(HttpError) as unknown:
        people.get(resourceName=f"people/{OMAR_ID}", personFields="names,email").execute()
    assert unknown.value.resp.status == 400
    assert error(unknown)["message"].startswith('Invalid personFields mask path: "email".')
    with pytest.raises(HttpError) as batch_missing:
        people.getBatchGet(resourceNames=[f"people/{OMAR_ID}"]).execute()
    assert error(batch_missing)["message"] == MASK_REQUIRED


def test_sources_select_field_values(people: Any) -> None:
    contact = get(
        people, f"people/{OMAR_ID}", personFields="names,emailAddresses,metadata", sources=["READ_SOURCE_TYPE_CONTACT"]
    )
    assert contact["emailAddresses"] == [OMAR_HOME]
    assert "names" not in contact  # the name comes from the domain profile
    assert contact["metadata"]["sources"] == [{"type": "CONTACT", "id": "c1"}]
    profile = get(people, f"people/{OMAR_ID}", personFields="emailAddresses", sources=["READ_SOURCE_TYPE_PROFILE"])
    assert profile["emailAddresses"] == [OMAR_WORK]
    both = get(
        people,
        f"people/{OMAR_ID}",
        personFields="emailAddresses",
        sources=["READ_SOURCE_TYPE_PROFILE", "READ_SOURCE_TYPE_CONTACT"],
    )
    assert both["emailAddresses"] == [OMAR_WORK, OMAR_HOME]


def test_bad_sources_and_unknown_parameters_are_400(server: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"}
    url = f"{server.url}/v1/people/{OMAR_ID}"
    bad = httpx.get(
        url, params={"personFields": "names", "sources": "READ_SOURCE_TYPE_DOMAIN_PROFILE"}, headers=headers
    )
    assert bad.status_code == 400 and bad.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "READ_SOURCE_TYPE_DOMAIN_PROFILE" in bad.json()["error"]["message"]
    for path in (f"/v1/people/{OMAR_ID}", "/v1/people:batchGet"):
        params = {"personFields": "names", "resourceNames": f"people/{OMAR_ID}", "bogus": "1"}
        if path.endswith(OMAR_ID):
            params.pop("resourceNames")
        response = httpx.get(server.url + path, params=params, headers=headers)
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith('Invalid JSON payload received. Unknown name "bogus"')


def test_deprecated_request_mask_is_accepted(server: SandboxServer) -> None:
    response = httpx.get(
        f"{server.url}/v1/people/{OMAR_ID}",
        params={"requestMask.includeField": "person.names"},
        headers={"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"},
    )
    assert response.status_code == 200
    assert set(response.json()) == {"resourceName", "etag", "names"}


def test_invisible_profile_has_no_email_addresses(people: Any) -> None:
    body = get(people, "people/200", personFields="names,emailAddresses")
    assert set(body) == {"resourceName", "etag", "names"}


def test_unknown_person_is_404(people: Any) -> None:
    with pytest.raises(HttpError) as exc:
        people.get(resourceName="people/999", personFields="names").execute()
    assert exc.value.resp.status == 404
    assert error(exc) == {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}


def test_people_me_is_the_token_subject(server: SandboxServer, open_client: Callable[..., Any]) -> None:
    with pytest.raises(HttpError) as exc:
        open_client().people().get(resourceName="people/me", personFields="names").execute()
    assert exc.value.resp.status == 404  # the static token has no subject
    token = server.world.tokens.issue("ada@corp.example", ["https://www.googleapis.com/auth/directory.readonly"])
    me = get(open_client(token=token.value).people(), "people/me", personFields="names")
    assert me["resourceName"] == "people/1"


def test_scopes(server: SandboxServer, open_client: Callable[..., Any]) -> None:
    email_only = server.world.tokens.issue(None, ["https://www.googleapis.com/auth/userinfo.email"])
    assert (
        get(open_client(token=email_only.value).people(), "people/1", personFields="names")["resourceName"]
        == "people/1"
    )
    meet_only = server.world.tokens.issue(None, ["https://www.googleapis.com/auth/meetings.space.readonly"])
    with pytest.raises(HttpError) as exc:
        open_client(token=meet_only.value).people().get(resourceName="people/1", personFields="names").execute()
    assert exc.value.resp.status == 403
    assert error(exc)["status"] == "PERMISSION_DENIED"
    assert error(exc)["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_batch_get_one(people: Any) -> None:
    assert batch(people, [f"people/{OMAR_ID}"], personFields="emailAddresses") == [
        {
            "requestedResourceName": f"people/{OMAR_ID}",
            "person": {
                "resourceName": f"people/{OMAR_ID}",
                "etag": OMAR["etag"],
                "emailAddresses": [OMAR_WORK, OMAR_HOME],
            },
            "status": {},
            "httpStatusCode": 200,
        }
    ]


def test_batch_get_200_names_in_request_order_with_per_item_errors(people: Any) -> None:
    names = [f"people/{OMAR_ID}", "people/404", "users/1", "people/c777", "people/1"] * 40
    responses = batch(people, names, personFields="names")
    assert len(responses) == 200
    assert [r["requestedResourceName"] for r in responses] == names
    found, missing, malformed, renamed = responses[0], responses[1], responses[2], responses[3]
    assert found["person"]["names"] == OMAR_NAMES and found["httpStatusCode"] == 200
    assert missing == {
        "requestedResourceName": "people/404",
        "status": {"code": 5, "message": "Requested entity was not found."},
        "httpStatusCode": 404,
    }
    assert malformed["status"]["code"] == 3 and "person" not in malformed and malformed["httpStatusCode"] == 400
    assert renamed["person"]["resourceName"] == "people/300"  # previousResourceNames


def test_batch_get_limits(people: Any) -> None:
    with pytest.raises(HttpError) as too_many:
        people.getBatchGet(resourceNames=[f"people/{i}" for i in range(201)], personFields="names").execute()
    assert too_many.value.resp.status == 400
    assert error(too_many)["status"] == "INVALID_ARGUMENT" and "201" in error(too_many)["message"]
    with pytest.raises(HttpError) as none:
        people.getBatchGet(resourceNames=[], personFields="names").execute()
    assert none.value.resp.status == 400


def test_batch_get_partial_response(people: Any) -> None:
    body = people.getBatchGet(
        resourceNames=["people/1", "people/404"],
        personFields="names",
        fields="responses(requestedResourceName,status/code)",
    ).execute()
    assert body == {
        "responses": [
            {"requestedResourceName": "people/1", "status": {}},
            {"requestedResourceName": "people/404", "status": {"code": 5}},
        ]
    }


def test_meet_user_ids_are_people_ids(open_client: Callable[..., Any]) -> None:
    meet = open_client("meet", "v2")
    listed = meet.conferenceRecords().participants().list(parent="conferenceRecords/c1").execute()["participants"]
    names = ["people/" + p["signedinUser"]["user"].removeprefix("users/") for p in listed]
    responses = batch(open_client().people(), names, personFields="emailAddresses")
    found = {
        r["requestedResourceName"]: r.get("person", {}).get("emailAddresses", [{}])[0].get("value") for r in responses
    }
    assert found == {"people/555": None, f"people/{OMAR_ID}": "omar@corp.example"}


def test_live_patch_upserts_and_deletes(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(SCENARIO)
    service = client(server, "people", "v1")
    try:
        server.patch(
            {
                "people": [
                    {"resourceName": "people/200", "emailAddresses": [{"value": "now.visible@corp.example"}]},
                    {"resourceName": "people/1", "metadata": {"deleted": True}},
                ]
            }
        )
        assert get(service.people(), "people/200", personFields="emailAddresses")["emailAddresses"] == [
            {"value": "now.visible@corp.example"}
        ]
        with pytest.raises(HttpError) as exc:
            service.people().get(resourceName="people/1", personFields="names").execute()
        assert exc.value.resp.status == 404
    finally:
        service.close()


@pytest.mark.parametrize(
    ("people", "message"),
    [
        pytest.param([{"resourceName": "contacts/1"}], 'people[0].resourceName: must be "people/{id}"', id="bad-name"),
        pytest.param(
            [{"emailAddresses": [{"type": "work"}]}],
            "people[0].emailAddresses[0].value: must be a non-empty string",
            id="no-value",
        ),
        pytest.param([{"names": {"displayName": "x"}}], "people[0].names: must be an array", id="names-not-list"),
        pytest.param(
            [{"resourceName": "people/1"}, {"resourceName": "people/1"}],
            'people[1].resourceName: duplicate person "people/1"',
            id="duplicate",
        ),
        pytest.param(
            [
                {"resourceName": "people/1"},
                {"resourceName": "people/2", "metadata": {"previousResourceNames": ["people/1"]}},
            ],
            'people[1].metadata.previousResourceNames[0]: "people/1" already names another person',
            id="previous-name-clash",
        ),
    ],
)
def test_invalid_people_scenarios(people: list[Any], message: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        World({"people": people})
    assert str(exc.value).startswith(message)
