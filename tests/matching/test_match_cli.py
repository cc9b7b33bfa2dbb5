"""`mapper match`: JSON Lines in, one result line per meeting out, bad lines reported in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapper.cli import app

GOOD = {
    "meeting_id": "m1",
    "invitees": [
        {"email": "ada@corp.example", "display_name": "Ada Lovelace", "response_status": "accepted"},
        {"email": "bob.smith@corp.example", "display_name": None, "organizer": True},
        {"email": "boardroom@resource.calendar.google.com", "display_name": "HQ-1-Boardroom (8)", "resource": True},
    ],
    "participants": [
        {"id": "p1", "display_name": "Ada L.", "kind": "anonymous"},
        {"id": "p2", "display_name": "Robert Smith", "kind": "signed_in", "user_id": "users/2"},
        {"id": "p3", "display_name": "Otter.ai"},
        {"id": "p4", "display_name": "Omar", "email": "omar@corp.example", "email_source": "people_api"},
        {"id": "p5", "display_name": "Boardroom", "kind": "room", "something_new": 1},
    ],
    "unknown_top_level_key": True,
}


def invoke(*lines: str, args: tuple[str, ...] = ()) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(app, ["match", *args, "-"], input="\n".join(lines) + "\n")
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_one_line_per_meeting_every_participant_in_order() -> None:
    code, (out,) = invoke(json.dumps(GOOD))
    assert code == 0
    assert out["meeting_id"] == "m1"
    matches = out["matches"]
    assert isinstance(matches, list)
    rows = [(m["participant_id"], m["email"], m["status"], m["method"]) for m in matches]
    assert rows == [
        ("p1", "ada@corp.example", "resolved", "name_partial"),
        ("p2", "bob.smith@corp.example", "resolved", "email_pattern"),
        ("p3", None, "not_a_person", "not_a_person"),
        ("p4", "omar@corp.example", "resolved", "people_api"),
        ("p5", "boardroom@resource.calendar.google.com", "resolved", "room_resource"),
    ]
    assert set(matches[0]) == {"participant_id", "email", "status", "method", "confidence", "candidates"}


def test_ambiguous_lists_candidates_with_scores() -> None:
    line = {
        "meeting_id": "m2",
        "invitees": [
            {"email": "a@x.example", "display_name": "Alex Chen"},
            {"email": "b@x.example", "display_name": "Alex Chen"},
        ],
        "participants": [{"id": "p1", "display_name": "Alex Chen"}],
    }
    _, (out,) = invoke(json.dumps(line))
    (match,) = out["matches"]  # type: ignore[misc]
    assert match["status"] == "ambiguous"
    assert match["candidates"] == [{"email": "a@x.example", "score": 0.97}, {"email": "b@x.example", "score": 0.97}]


BAD_LINES = [
    pytest.param(
        "{not json", "invalid JSON: Expecting property name enclosed in double quotes (column 2)", id="invalid-json"
    ),
    pytest.param("[1, 2]", "a line must be a JSON object", id="not-an-object"),
    pytest.param('{"invitees": [], "participants": []}', "meeting_id: missing", id="missing-meeting-id"),
    pytest.param(
        '{"meeting_id": 7, "invitees": [], "participants": []}', "meeting_id: must be a string", id="meeting-id-type"
    ),
    pytest.param('{"meeting_id": "m", "participants": []}', "invitees: missing", id="missing-invitees"),
    pytest.param(
        '{"meeting_id": "m", "invitees": {}, "participants": []}', "invitees: must be a list", id="invitees-type"
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [{"display_name": "A"}], "participants": []}',
        "invitees[0].email: missing",
        id="invitee-without-email",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [{"email": "nobody"}], "participants": []}',
        "invitees[0].email: must be an email address",
        id="invitee-email-shape",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [{"email": "a@b.c", "resource": "yes"}], "participants": []}',
        "invitees[0].resource: must be true or false",
        id="invitee-flag-type",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [], "participants": [{"id": "p1", "display_name": "A"}, {"id": "p2", "display_name": 5}]}',
        "participants[1].display_name: must be a string",
        id="display-name-type",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [], "participants": [{"display_name": "A"}]}',
        "participants[0].id: missing",
        id="participant-without-id",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [], "participants": [{"id": "p1", "display_name": "A", "kind": "alien"}]}',
        "participants[0].kind: must be one of signed_in, anonymous, phone, room, bot, unknown",
        id="unknown-kind",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [], "participants": [{"id": "p1", "display_name": "A"}, {"id": "p1", "display_name": "B"}]}',
        "participants[1].id: duplicate id 'p1'",
        id="duplicate-participant-id",
    ),
    pytest.param(
        '{"meeting_id": "m", "invitees": [], "participants": ["p1"]}',
        "participants[0]: must be an object",
        id="participant-not-object",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_a_bad_line_is_reported_and_the_rest_processed(bad: str, message: str) -> None:
    code, out = invoke(json.dumps(GOOD), bad, json.dumps({**GOOD, "meeting_id": "m3"}))
    assert code == 1
    assert out[0]["meeting_id"] == "m1"
    assert out[1]["line"] == 2
    assert out[1]["error"] == message
    assert out[2]["meeting_id"] == "m3"
    assert len(out[2]["matches"]) == 5  # type: ignore[arg-type]


def test_error_line_names_the_meeting_when_known() -> None:
    _, (error,) = invoke('{"meeting_id": "m9", "invitees": [], "participants": [{"id": 1, "display_name": "A"}]}')
    assert error == {"line": 1, "error": "participants[0].id: must be a string", "meeting_id": "m9"}


def test_blank_lines_are_skipped_but_counted() -> None:
    code, out = invoke("", json.dumps(GOOD), "   ", "oops")
    assert code == 1
    assert [o.get("line") for o in out] == [None, 4]


def test_reads_a_file_and_adds_evidence_on_request(tmp_path: Path) -> None:
    path = tmp_path / "meetings.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--evidence", str(path)])
    assert result.exit_code == 0
    (match, *_rest) = json.loads(result.stdout)["matches"]
    assert match["person"] == "p1"
    assert match["evidence"]["rule"] == "initial"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["match", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_settings_options_change_decisions() -> None:
    line = {
        "meeting_id": "m",
        "invitees": [{"email": "a.lovelace@corp.example", "display_name": "Ada Lovelace"}],
        "participants": [{"id": "p1", "display_name": "Ada"}],
    }
    _, (default,) = invoke(json.dumps(line))
    _, (strict,) = invoke(json.dumps(line), args=("--fuzzy-threshold", "0.9"))
    assert default["matches"][0]["status"] == "resolved"  # type: ignore[index]
    assert strict["matches"][0]["status"] == "unresolved"  # type: ignore[index]


def test_needs_no_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, (out,) = invoke(json.dumps(GOOD))
    assert code == 0 and out["meeting_id"] == "m1"
    assert list(tmp_path.iterdir()) == []
