"""Scenario files: unknown sections, the ``sandbox`` section (``now``, ``google_tokens``) and
unreadable files, each rejected with a message naming the offending path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from mapper.clock import FixedClock, utc
from mapper.sandbox import SandboxServer, ScenarioError, read_scenario
from mapper.sandbox.calendar import CalendarApi
from mapper.sandbox.world import World


def test_unknown_top_level_section_is_named() -> None:
    with pytest.raises(ScenarioError) as exc:
        World({"calender": {}})
    message = str(exc.value)
    assert message.startswith("calender: unknown section (expected one of ")
    assert "calendars" in message and "sandbox" in message


def test_sandbox_now_pins_the_world_clock() -> None:
    world = World({"sandbox": {"now": "2025-03-10T09:30:00+01:00"}, "calendars": {"a@b.c": {"events": [
        {"id": "e", "start": {"date": "2025-03-03"}, "end": {"date": "2025-03-04"}}]}}})  # fmt: skip
    assert isinstance(world.clock, FixedClock)
    assert world.clock.now() == utc("2025-03-10T08:30:00Z")
    api = world.api("calendar")
    assert isinstance(api, CalendarApi)
    served = api.event("a@b.c", "e")
    assert served is not None and served["updated"] == "2025-03-10T08:30:00.000Z"  # stamped with the pinned now


@pytest.mark.parametrize("now", ["tomorrow", "2025-03-10T09:30:00", 20250310])
def test_a_bad_sandbox_now_names_sandbox_now(now: object) -> None:
    with pytest.raises(ScenarioError) as exc:
        World({"sandbox": {"now": now}})
    assert str(exc.value).startswith("sandbox.now: must be an RFC 3339 timestamp")


def test_sandbox_section_shapes() -> None:
    with pytest.raises(ScenarioError, match=r"^sandbox: must be an object, got an array$"):
        World({"sandbox": []})
    with pytest.raises(ScenarioError, match=r"^sandbox\.google_tokens\[1\]: must be a non-empty string"):
        World({"sandbox": {"google_tokens": ["ok", ""]}})


def test_google_tokens_are_accepted_as_static_tokens(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory({"sandbox": {"google_tokens": ["demo-token"]}, "calendars": {"a@b.c": {}}})
    url = f"{server.url}/calendar/v3/calendars/a@b.c/events"
    assert httpx.get(url, headers={"Authorization": "Bearer demo-token"}).status_code == 200
    assert httpx.get(url, headers={"Authorization": "Bearer other"}).status_code == 401


def test_unreadable_files_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(ScenarioError, match=r"scenario file not found: .*missing\.json"):
        read_scenario(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "calendars": {,\n}')
    with pytest.raises(ScenarioError, match=r"broken\.json: invalid JSON at line 2 column"):
        read_scenario(broken)
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([]))
    with pytest.raises(ScenarioError, match=r"^scenario: must be an object, got an array$"):
        read_scenario(listing)
