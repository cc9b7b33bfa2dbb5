"""Admin SDK Directory users.get / users.list through google-api-python-client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from mapper.sandbox import STATIC_GOOGLE_TOKEN, SandboxServer, ScenarioError
from mapper.sandbox.world import World
from tests.support.discovery import assert_response_valid

OMAR = {
    "id": "104377215590028",
    "primaryEmail": "omar@corp.example",
    "name": {"givenName": "Omar", "familyName": "Haddad", "fullName": "Omar Haddad"},
    "emails": [{"address": "omar@corp.example", "primary": True}, {"address": "o.haddad@corp.example"}],
    "aliases": ["o.haddad@corp.example"],
    "isAdmin": False,
    "suspended": False,
    "orgUnitPath": "/Sales",
    "customerId": "C01abc",
    "customSchemas": {"Badge": {"number": "42"}, "HR": {"grade": "7"}},
}
SCENARIO: dict[str, Any] = {
    "directory_users": [
        OMAR,
        {
            "id": "200",
            "primaryEmail": "ada@corp.example",
            "name": {"givenName": "Ada", "familyName": "Zed", "fullName": "Ada Zed"},
            "isAdmin": True,
        },
        {"id": "300", "primaryEmail": "bob@other.example", "name": {"givenName": "Bob", "familyName": "Young"}},
        {"primaryEmail": "cy@corp.example", "nonEditableAliases": ["cy@corp.example.test-google-a.com"]},
    ]
}
ADMIN_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"


def client(server: SandboxServer, token: str = STATIC_GOOGLE_TOKEN) -> Any:
    return build(
        "admin",
        "directory_v1",
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
def open_users(server: SandboxServer) -> Iterator[Callable[..., Any]]:
    built: list[Any] = []

    def make(token: str = STATIC_GOOGLE_TOKEN) -> Any:
        built.append(client(server, token))
        return built[-1].users()

    yield make
    for service in built:
        service.close()


@pytest.fixture
def users(open_users: Callable[..., Any]) -> Any:
    return open_users()


def get(users: Any, key: str, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = users.get(userKey=key, **kwargs).execute()
    assert_response_valid("directory", "directory.users.get", body)
    return body


def listing(users: Any, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = users.list(**kwargs).execute()
    assert_response_valid("directory", "directory.users.list", body)
    return body


@pytest.mark.parametrize("key", ["104377215590028", "omar@corp.example", "OMAR@Corp.Example", "o.haddad@corp.example"])
def test_get_by_id_primary_email_or_alias(users: Any, key: str) -> None:
    body = get(users, key)
    expected = {key: value for key, value in OMAR.items() if key != "customSchemas"}
    assert body == {"kind": "admin#directory#user", "etag": body["etag"], **expected}
    assert body["etag"].startswith('"')


def test_non_editable_alias_and_generated_id(users: Any) -> None:
    body = get(users, "cy@corp.example.test-google-a.com")
    assert body["primaryEmail"] == "cy@corp.example" and body["id"].isdigit() and len(body["id"]) == 21
    assert get(users, body["id"])["primaryEmail"] == "cy@corp.example"


def test_unknown_user_is_404(users: Any) -> None:
    with pytest.raises(HttpError) as exc:
        users.get(userKey="nobody@corp.example").execute()
    assert exc.value.resp.status == 404
    assert json.loads(exc.value.content) == {
        "error": {
            "code": 404,
            "message": "Resource Not Found: userKey",
            "errors": [{"domain": "global", "reason": "notFound", "message": "Resource Not Found: userKey"}],
        }
    }


def test_projections_and_views(users: Any) -> None:
    assert get(users, OMAR["id"], projection="full")["customSchemas"] == OMAR["customSchemas"]
    assert get(users, OMAR["id"], projection="custom", customFieldMask="HR")["customSchemas"] == {"HR": {"grade": "7"}}
    public = get(users, OMAR["id"], viewType="domain_public")
    assert set(public) == {"kind", "etag", "id", "primaryEmail", "name", "emails"}
    with pytest.raises(HttpError) as exc:
        users.get(userKey=OMAR["id"], projection="custom").execute()
    assert exc.value.resp.status == 400


def test_admin_view_needs_an_administrator(server: SandboxServer, open_users: Callable[..., Any]) -> None:
    as_omar = open_users(server.world.tokens.issue("omar@corp.example", [ADMIN_SCOPE]).value)
    with pytest.raises(HttpError) as exc:
        as_omar.get(userKey="ada@corp.example").execute()
    assert exc.value.resp.status == 403
    assert json.loads(exc.value.content)["error"]["errors"][0]["reason"] == "forbidden"
    assert get(as_omar, "ada@corp.example", viewType="domain_public")["id"] == "200"
    as_ada = open_users(server.world.tokens.issue("ada@corp.example", [ADMIN_SCOPE]).value)
    assert get(as_ada, OMAR["id"])["isAdmin"] is False
    wrong_scope = open_users(
        server.world.tokens.issue("ada@corp.example", ["https://www.googleapis.com/auth/contacts"]).value
    )
    with pytest.raises(HttpError) as scope:
        wrong_scope.get(userKey=OMAR["id"]).execute()
    assert scope.value.resp.status == 403


def test_unknown_parameters_are_ignored(server: SandboxServer) -> None:
    import httpx

    response = httpx.get(
        f"{server.url}/admin/directory/v1/users/200",
        params={"bogus": "1", "alt": "json"},
        headers={"Authorization": f"Bearer {STATIC_GOOGLE_TOKEN}"},
    )
    assert response.status_code == 200 and response.json()["id"] == "200"


@pytest.mark.parametrize("size", [1, 2, 3])
def test_list_pages(users: Any, size: int) -> None:
    emails: list[str] = []
    token = None
    while True:
        body = listing(users, customer="my_customer", maxResults=size, pageToken=token)
        assert body["kind"] == "admin#directory#users" and len(body["users"]) <= size
        emails += [user["primaryEmail"] for user in body["users"]]
        token = body.get("nextPageToken")
        if token is None:
            break
    assert emails == ["ada@corp.example", "bob@other.example", "cy@corp.example", "omar@corp.example"]


def test_list_filters_and_order(users: Any) -> None:
    by_domain = listing(users, domain="corp.example", orderBy="familyName", sortOrder="DESCENDING")
    assert [u["primaryEmail"] for u in by_domain["users"]] == [
        "ada@corp.example",
        "omar@corp.example",
        "cy@corp.example",
    ]
    by_customer = listing(users, customer="C01abc")
    assert {u["primaryEmail"] for u in by_customer["users"]} == {
        "ada@corp.example",
        "bob@other.example",
        "cy@corp.example",
        "omar@corp.example",
    }  # users without customerId belong to every customer of the sandbox
    assert listing(users, domain="nowhere.example") == {
        "kind": "admin#directory#users",
        "etag": listing(users, domain="nowhere.example")["etag"],
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({}, id="no-customer-or-domain"),
        pytest.param({"customer": "my_customer", "maxResults": 0}, id="max-results-0"),
        pytest.param({"customer": "my_customer", "maxResults": 501}, id="max-results-501"),
        pytest.param({"customer": "my_customer", "pageToken": "garbage"}, id="bad-token"),
    ],
)
def test_list_errors(users: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(HttpError) as exc:
        users.list(**kwargs).execute()
    assert exc.value.resp.status == 400
    assert "errors" in json.loads(exc.value.content)["error"]  # the legacy envelope


def test_live_patch(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(SCENARIO)
    service = client(server)
    try:
        server.patch(
            {
                "directory_users": [
                    {"primaryEmail": "omar@corp.example", "aliases": ["omar.h@corp.example"]},
                    {"id": "200", "primaryEmail": "ada@corp.example", "deletionTime": "2025-03-20T00:00:00Z"},
                ]
            }
        )
        assert get(service.users(), "omar.h@corp.example")["id"] == OMAR["id"]  # matched by primary email
        with pytest.raises(HttpError) as gone:
            service.users().get(userKey="o.haddad@corp.example").execute()
        assert gone.value.resp.status == 404
        with pytest.raises(HttpError) as deleted:
            service.users().get(userKey="200").execute()
        assert deleted.value.resp.status == 404
    finally:
        service.close()


@pytest.mark.parametrize(
    ("users", "message"),
    [
        pytest.param([{"id": "1"}], "directory_users[0].primaryEmail: must be a non-empty string", id="no-email"),
        pytest.param(
            [{"primaryEmail": "not-an-email"}],
            "directory_users[0].primaryEmail: must be an email address",
            id="bad-email",
        ),
        pytest.param(
            [{"primaryEmail": "a@x.example", "aliases": "b@x.example"}],
            "directory_users[0].aliases: must be an array",
            id="aliases",
        ),
        pytest.param(
            [{"id": "1", "primaryEmail": "a@x.example"}, {"id": "1", "primaryEmail": "b@x.example"}],
            'directory_users[1].id: duplicate user id "1"',
            id="duplicate-id",
        ),
        pytest.param(
            [
                {"id": "1", "primaryEmail": "a@x.example"},
                {"id": "2", "primaryEmail": "b@x.example", "aliases": ["A@x.example"]},
            ],
            'directory_users: "a@x.example" names both user 1 and user 2',
            id="alias-clash",
        ),
    ],
)
def test_invalid_directory_scenarios(users: list[Any], message: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        World({"directory_users": users})
    assert str(exc.value).startswith(message)
