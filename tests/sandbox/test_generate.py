"""The scenario generator as a whole: deterministic bytes, a scenario every emulator accepts, a truth
that names every participant exactly once, the checked-in sample, the CLI and the arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.clock import utc
from mapper.sandbox import SandboxServer
from mapper.sandbox.generate import DEFAULT_NOW, dumps, generate
from mapper.sandbox.registry import api_classes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "mapper" / "sandbox" / "scenarios"
#: The documented command that wrote the sample (docs/sandbox/generator.md).
SAMPLE_ARGS = {"users": 30, "days": 5, "seed": 7, "recall_share": 0.3}
EXPECTED_APIS = {"calendar", "meet", "people", "directory", "recall"}


@cache
def world(users: int = 40, days: int = 7, seed: int = 3, share: float = 0.3) -> tuple[dict[str, Any], dict[str, Any]]:
    return generate(users, days, seed, share)


def participant_keys(scenario: dict[str, Any]) -> list[str]:
    """Every participant the scenario serves, in the truth's key format (duplicates kept)."""
    keys = [p["name"] for record in scenario["meet"]["conferenceRecords"] for p in record["participants"]]
    for bot in scenario["recall"]["bots"]:
        keys += [f"recall:{bot['id']}:{p['id']}" for p in bot.get("participants", [])]
    return keys


def test_same_arguments_give_the_same_bytes() -> None:
    first = [dumps(part) for part in generate(12, 3, 5, 0.5)]
    second = [dumps(part) for part in generate(12, 3, 5, 0.5)]
    assert first == second


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    """Nothing depends on set / dict ordering of strings (PYTHONHASHSEED) or on the process."""
    code = (
        "import sys; from mapper.sandbox.generate import generate, dumps; "
        "sys.stdout.write(dumps(generate(10, 2, 9, 0.5)[0]))"
    )
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True, cwd=ROOT)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == dumps(generate(10, 2, 9, 0.5)[0]).encode()


def test_another_seed_gives_another_world() -> None:
    assert dumps(generate(12, 3, 5, 0.5)[0]) != dumps(generate(12, 3, 6, 0.5)[0])


def test_every_emulator_accepts_the_scenario() -> None:
    registered = {cls.name for cls in api_classes()}
    missing = EXPECTED_APIS - registered
    assert not missing, f"emulators not registered yet: {sorted(missing)}"
    scenario, _truth = world()
    server = SandboxServer(scenario)
    try:
        assert set(server.world.apis) >= EXPECTED_APIS
    finally:
        server.close()


def test_scenario_has_only_known_sections() -> None:
    scenario, _truth = world()
    assert set(scenario) == {"sandbox", "calendars", "people", "directory_users", "meet", "recall"}


def test_truth_names_every_participant_exactly_once() -> None:
    scenario, truth = world()
    keys = participant_keys(scenario)
    assert len(keys) == len(set(keys)), "a participant key is used twice"
    assert set(keys) == set(truth["participants"])
    assert truth["counts"]["participants"] == len(keys)


def test_truth_entries_have_the_documented_shape() -> None:
    _scenario, truth = world()
    for key, entry in truth["participants"].items():
        assert {"email", "invited", "kind", "variant", "joined_as", "name", "meeting"} <= set(entry), key
        assert entry["kind"] in {"person", "room", "phone", "bot"}
        assert entry["joined_as"] in {"signedin", "anonymous", "phone"}
        assert entry["email"] is None or "@" in entry["email"]
        if entry["kind"] in {"phone", "bot"}:
            assert entry["email"] is None and not entry["invited"]
        if entry["meeting"] is not None:
            assert entry["meeting"] in truth["meetings"]
            if entry["invited"] and entry["kind"] == "person":
                assert entry["email"] in truth["meetings"][entry["meeting"]]["invitees"]


def test_invited_flag_agrees_with_the_invitee_list() -> None:
    _scenario, truth = world()
    for entry in truth["participants"].values():
        meeting = truth["meetings"].get(entry["meeting"] or "")
        if meeting is not None and entry["email"] is not None and entry["kind"] == "person":
            assert entry["invited"] == (entry["email"] in meeting["invitees"])


def test_now_is_after_every_call_and_before_records_expire() -> None:
    scenario, truth = world()
    now = utc(scenario["sandbox"]["now"])
    period_end = utc(truth["organisation"]["period"]["end"])
    assert period_end <= now < period_end + timedelta(days=1)
    for record in scenario["meet"]["conferenceRecords"]:
        assert utc(record["endTime"]) < now < utc(record["expireTime"])
    for bot in scenario["recall"]["bots"]:
        assert bot["status_changes"][-1]["code"] in {"done", "fatal"}
        assert utc(bot["status_changes"][-1]["created_at"]) < now


def test_people_ids_are_the_meet_user_ids_of_colleagues() -> None:
    scenario, truth = world()
    people = {p["resourceName"].removeprefix("people/") for p in scenario["people"]}
    colleagues = set()
    for record in scenario["meet"]["conferenceRecords"]:
        for participant in record["participants"]:
            entry = truth["participants"][participant["name"]]
            if "signedinUser" in participant and entry["kind"] == "person" and entry["invited"]:
                domain = entry["email"].partition("@")[2]
                user = participant["signedinUser"]["user"].removeprefix("users/")
                assert (user in people) == (domain == truth["organisation"]["domain"])
                colleagues.add(user)
    assert colleagues


@pytest.mark.parametrize("name", ["sample.json", "sample.truth.json"])
def test_the_checked_in_sample_is_up_to_date(name: str) -> None:
    scenario, truth = generate(**SAMPLE_ARGS)
    expected = dumps(scenario if name == "sample.json" else truth)
    assert (SAMPLE_DIR / name).read_text(encoding="utf-8") == expected, (
        "regenerate: mapper sandbox generate --users 30 --days 5 --seed 7 --recall-share 0.3 "
        "--output mapper/sandbox/scenarios/sample.json"
    )


def test_the_sample_stays_small_and_loads() -> None:
    path = SAMPLE_DIR / "sample.json"
    assert path.stat().st_size < 1_000_000
    server = SandboxServer(path)
    server.close()


def test_cli_writes_both_files_and_one_line(tmp_path: Path) -> None:
    output = tmp_path / "world.json"
    args = ["sandbox", "generate", "--users", "8", "--days", "2", "--seed", "1", "--output", str(output)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "8 calendars" in result.output and "world.truth.json" in result.output
    scenario = json.loads(output.read_text(encoding="utf-8"))
    truth = json.loads((tmp_path / "world.truth.json").read_text(encoding="utf-8"))
    assert scenario["sandbox"]["now"] == "2025-06-03T05:00:00Z"
    assert truth["generator"] == {"users": 8, "days": 2, "seed": 1, "recall_share": 0.25, "now": "2025-06-03T05:00:00Z"}
    assert output.read_text(encoding="utf-8") == dumps(generate(8, 2, 1, 0.25)[0])


def test_cli_truth_path_and_now(tmp_path: Path) -> None:
    output, truth = tmp_path / "w.json", tmp_path / "facts" / "t.json"
    truth.parent.mkdir()
    args = ["sandbox", "generate", "--users", "6", "--days", "1", "--seed", "2", "--recall-share", "0"]
    args += ["--output", str(output), "--truth", str(truth), "--now", "2024-01-10T12:00:00+01:00"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text(encoding="utf-8"))["sandbox"]["now"] == "2024-01-10T11:00:00Z"
    assert json.loads(truth.read_text(encoding="utf-8"))["sizes"]["bots"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--now", "yesterday"], "--now"),
        (["--users", "1"], "--users"),
        (["--recall-share", "1.5"], "--recall-share"),
    ],
    ids=["bad-now", "too-few-users", "share-above-one"],
)
def test_cli_rejects_bad_arguments(tmp_path: Path, extra: list[str], message: str) -> None:
    args = ["sandbox", "generate", "--users", "4", "--days", "1", "--seed", "1", "--output", str(tmp_path / "x.json")]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"users": 1, "days": 3, "seed": 1},
        {"users": 5, "days": 0, "seed": 1},
        {"users": 5, "days": 3, "seed": 1, "recall_share": -0.1},
        {"users": 5, "days": 3, "seed": 1, "now": datetime(2025, 1, 1)},
    ],
    ids=["one-user", "no-days", "negative-share", "naive-now"],
)
def test_generate_rejects_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        generate(**kwargs)


def test_default_now_is_pinned() -> None:
    assert datetime(2025, 6, 3, 5, 0, tzinfo=UTC) == DEFAULT_NOW


@pytest.mark.slow
def test_a_thousand_users_over_thirty_days_is_quick() -> None:
    started = time.perf_counter()
    scenario, truth = generate(1000, 30, 7, 0.25)
    text = dumps(scenario)
    elapsed = time.perf_counter() - started
    assert elapsed < 45, f"took {elapsed:.1f}s"
    assert truth["sizes"]["calendars"] == 1000
    assert 2.5 <= invitations_per_workday(truth) <= 3.5
    assert len(text.encode()) < 150_000_000


def invitations_per_workday(truth: dict[str, Any]) -> float:
    """Meetings a user is invited to on an average workday (cancelled ones left out)."""
    domain = "@" + truth["organisation"]["domain"]
    start, end = (utc(truth["organisation"]["period"][key]) for key in ("start", "end"))
    workdays = sum((start + timedelta(days=n)).weekday() < 5 for n in range((end - start).days))
    confirmed = [m for m in truth["meetings"].values() if m["status"] == "confirmed"]
    invitations = sum(email.endswith(domain) for m in confirmed for email in m["invitees"])
    return invitations / (truth["organisation"]["users"] * workdays)


def test_users_have_about_three_meetings_a_workday() -> None:
    _scenario, truth = world(120, 14, 4, 0.25)
    assert 2.4 <= invitations_per_workday(truth) <= 3.6
