"""Participant events → sessions: join pairs with the next leave, rejoins, duplicates, open ends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mapper.sources.recall.convert import bot_from_api, event_from_api, participant_from_api
from mapper.sources.recall.sessions import presences
from tests.sources.test_recall_scenario import TEAMS_BOT, ZOOM_MAR4_BOT

BOT = {
    "id": "b1",
    "status_changes": [
        {"code": "in_call_not_recording", "created_at": "2025-03-04T10:00:00Z"},
        {"code": "in_call_recording", "created_at": "2025-03-04T10:00:10Z"},
        {"code": "call_ended", "created_at": "2025-03-04T11:00:00Z"},
        {"code": "done", "created_at": "2025-03-04T11:00:30Z"},
    ],
}


def t(clock: str) -> datetime:
    hour, minute = clock.split(":")
    return datetime(2025, 3, 4, int(hour), int(minute), tzinfo=UTC)


def ev(pid: int, action: str, clock: str | None, relative: float | None = None) -> dict[str, Any]:
    stamp = {"absolute": None if clock is None else f"2025-03-04T{clock}:00Z", "relative": relative}
    return {"id": None, "action": action, "participant": {"id": pid, "name": f"P{pid}"}, "timestamp": stamp}


def sessions_of(events: list[dict[str, Any]], *, bot: dict[str, Any] = BOT, people: tuple[int, ...] = (1,)) -> Any:
    result = presences(
        bot_from_api(bot),
        [participant_from_api({"id": pid, "name": f"P{pid}"}) for pid in people],
        [event_from_api(item) for item in events],
    )
    return {p.participant.id: list(p.sessions) for p in result}


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([ev(1, "join", "10:05"), ev(1, "leave", "10:20")], [(t("10:05"), t("10:20"))]),
        (
            [ev(1, "join", "10:05"), ev(1, "leave", "10:20"), ev(1, "join", "10:30"), ev(1, "leave", "10:50")],
            [(t("10:05"), t("10:20")), (t("10:30"), t("10:50"))],
        ),
        ([ev(1, "join", "10:05"), ev(1, "join", "10:06"), ev(1, "leave", "10:20")], [(t("10:05"), t("10:20"))]),
        ([ev(1, "join", "10:05")], [(t("10:05"), t("11:00"))]),  # ends with the call
        ([ev(1, "leave", "10:20")], [(t("10:00"), t("10:20"))]),  # there before the bot
        ([ev(1, "leave", "10:20"), ev(1, "leave", "10:21")], [(t("10:00"), t("10:20"))]),
        ([ev(1, "leave", "10:20"), ev(1, "join", "10:05")], [(t("10:05"), t("10:20"))]),  # sorted by time
        ([ev(1, "speech_on", "10:07")], [(t("10:00"), t("11:00"))]),  # no join/leave: the call bounds
        ([ev(1, "join", None, relative=290.0), ev(1, "leave", "10:20")], [(t("10:05"), t("10:20"))]),
        ([ev(1, "join", None)], [(t("10:00"), t("11:00"))]),  # untimed event dropped
    ],
    ids=[
        "join-leave",
        "rejoin",
        "duplicate-join",
        "open-at-end",
        "leave-first",
        "duplicate-leave",
        "out-of-order",
        "no-join-leave",
        "relative-only",
        "untimed",
    ],
)
def test_pairing(events: list[dict[str, Any]], expected: list[Any]) -> None:
    assert sessions_of(events) == {"1": expected}


def test_open_session_stays_open_when_the_call_end_is_unknown() -> None:
    bot = {"id": "b", "status_changes": BOT["status_changes"][:2]}
    assert sessions_of([ev(1, "join", "10:05")], bot=bot) == {"1": [(t("10:05"), None)]}


def test_no_events_and_no_call_bounds_gives_no_session() -> None:
    assert sessions_of([], bot={"id": "b", "status_changes": []}) == {"1": []}


def test_participants_seen_only_in_events_are_added() -> None:
    assert sessions_of([ev(2, "join", "10:05"), ev(2, "leave", "10:06")], people=(1,)) == {
        "1": [(t("10:00"), t("11:00"))],
        "2": [(t("10:05"), t("10:06"))],
    }


def test_first_join_and_last_leave() -> None:
    bot = bot_from_api(ZOOM_MAR4_BOT)
    people = [participant_from_api(p) for p in ZOOM_MAR4_BOT["participants"]]
    events = [
        event_from_api(
            {**e, "participant": next(p for p in ZOOM_MAR4_BOT["participants"] if p["id"] == e["participant"]["id"])}
        )
        for e in ZOOM_MAR4_BOT["participant_events"]
    ]
    by_id = {p.participant.id: p for p in presences(bot, people, events)}
    grace = by_id["101"]
    assert len(grace.sessions) == 2
    assert grace.first_join_at == datetime(2025, 3, 4, 10, 1, tzinfo=UTC)
    assert grace.last_leave_at == datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def test_teams_signed_in_rejoin_and_anonymous_duplicate() -> None:
    bot = bot_from_api(TEAMS_BOT)
    known = {p["id"]: p for p in TEAMS_BOT["participants"]}
    people = [participant_from_api(p) for p in TEAMS_BOT["participants"]]
    events = [
        event_from_api({**e, "participant": known[e["participant"]["id"]]}) for e in TEAMS_BOT["participant_events"]
    ]
    by_id = {p.participant.id: p for p in presences(bot, people, events)}
    assert len(by_id["200"].sessions) == 2  # the same participant joined twice
    assert len(by_id["201"].sessions) == 1 and len(by_id["202"].sessions) == 1  # a duplicate participant
