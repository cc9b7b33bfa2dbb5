"""Every hard case the generator promises shows up in a mid-size world, and each is shaped the way
the real API shows it (read straight from the scenario, not from the generator's objects)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mapper.clock import utc

Scenario = dict[str, Any]


@cache
def world() -> tuple[Scenario, Scenario]:
    from mapper.sandbox.generate import generate

    return generate(150, 14, 11, 0.3)


def all_events() -> list[tuple[str, dict[str, Any]]]:
    scenario, _truth = world()
    return [(owner, event) for owner, body in scenario["calendars"].items() for event in body["events"]]


CASES = [
    "late", "early_leave", "rejoin", "duplicate_participant", "rejoin_same_participant", "uninvited",
    "uninvited_outsider", "plus_one", "note_taker", "dial_in", "room_device", "recall_bot", "recall_email",
    "namesake_invitees", "fits_two_invitees", "external_signed_in", "restarted_meeting", "code_reused_elsewhere",
]  # fmt: skip
VARIANTS = [
    "plain", "guest", "external", "unverified", "pronouns", "device_owner", "last_first_comma", "nickname",
    "emoji", "company_suffix", "first_name_only", "lower_case", "family_first", "generic_name", "device_name",
    "dial_in", "note_taker",
]  # fmt: skip


def test_the_demo_sample_exercises_every_case_and_variant() -> None:
    sample = Path(__file__).resolve().parents[2] / "mapper" / "sandbox" / "scenarios" / "sample.truth.json"
    counts = json.loads(sample.read_text(encoding="utf-8"))["counts"]
    assert [case for case in CASES if not counts["cases"].get(case)] == []
    assert [variant for variant in VARIANTS if not counts["variants"].get(variant)] == []


@pytest.mark.parametrize("case", CASES)
def test_every_case_appears(case: str) -> None:
    _scenario, truth = world()
    assert truth["counts"]["cases"].get(case, 0) > 0


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_display_name_variant_appears(variant: str) -> None:
    _scenario, truth = world()
    assert truth["counts"]["variants"].get(variant, 0) > 0


def test_transliterated_and_native_names_appear() -> None:
    _scenario, truth = world()
    names = [entry["name"] for entry in truth["participants"].values() if entry["kind"] == "person"]
    assert any(not name.isascii() and any("\u0400" <= ch <= "\u9fff" for ch in name) for name in names)
    assert any(name.isascii() for name in names)


@pytest.mark.parametrize(
    ("kind", "joined_as"),
    [("person", "signedin"), ("person", "anonymous"), ("room", "signedin"), ("phone", "phone"), ("bot", "anonymous")],
)
def test_every_kind_of_participant_appears(kind: str, joined_as: str) -> None:
    _scenario, truth = world()
    assert any(e["kind"] == kind and e["joined_as"] == joined_as for e in truth["participants"].values())


def test_uninvited_colleagues_keep_their_email_and_strangers_have_none() -> None:
    _scenario, truth = world()
    entries = [e for e in truth["participants"].values() if not e["invited"] and e["kind"] == "person"]
    domain = "@" + truth["organisation"]["domain"]
    assert any(e["email"] and e["email"].endswith(domain) for e in entries if "uninvited" in e.get("cases", []))
    strangers = [e for e in entries if {"uninvited_outsider", "plus_one"} & set(e.get("cases", []))]
    assert strangers
    assert all(e["email"] is None or e["variant"] == "email_as_name" for e in strangers)


def test_meetings_record_no_shows_and_calls_that_never_happened() -> None:
    _scenario, truth = world()
    meetings = truth["meetings"].values()
    assert any(m.get("no_shows") for m in meetings if m.get("happened"))
    assert any(m.get("happened") is False for m in meetings)
    assert any(m.get("in_room") for m in meetings)
    assert any(m["status"] == "cancelled" for m in meetings)


# -- Calendar ---------------------------------------------------------------------------------


def test_every_user_has_a_calendar() -> None:
    scenario, truth = world()
    assert len(scenario["calendars"]) == truth["organisation"]["users"]


def test_copies_share_id_and_organizer_and_mark_their_owner() -> None:
    copies: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for owner, event in all_events():
        copies[event["id"]].append((owner, event))
    shared = [group for group in copies.values() if len(group) > 1]
    assert shared
    for group in shared:
        assert len({event.get("iCalUID") for _owner, event in group}) == 1
        assert len({event.get("organizer", {}).get("email") for _owner, event in group}) == 1
        for owner, event in group:
            if "attendees" not in event:
                continue
            selves = [a for a in event["attendees"] if a.get("self")]
            assert [a["email"] for a in selves] == [owner]
            assert "displayName" not in selves[0]
            assert event["organizer"].get("self", False) == (event["organizer"]["email"] == owner)


def test_recurring_series_with_moved_and_cancelled_instances() -> None:
    events = [event for _owner, event in all_events()]
    parents = [e for e in events if e.get("recurrence")]
    assert parents and all(e["recurrence"][0].startswith("RRULE:FREQ=WEEKLY") for e in parents)
    assert any("INTERVAL=2" in e["recurrence"][0] for e in parents)
    assert any("UNTIL=" in e["recurrence"][0] for e in parents)
    exceptions = [e for e in events if "recurringEventId" in e]
    cancelled = [e for e in exceptions if e["status"] == "cancelled"]
    moved = [e for e in exceptions if e["status"] == "confirmed"]
    assert cancelled and set(cancelled[0]) <= {"kind", "etag", "id", "status", "recurringEventId", "originalStartTime"}
    assert moved and all(e["start"] != e["originalStartTime"] for e in moved)
    assert all(e["id"].startswith(e["recurringEventId"] + "_") for e in exceptions)
    assert any(e["status"] == "cancelled" and "recurringEventId" not in e and "recurrence" not in e for e in events)


def test_attendees_as_calendar_gives_them() -> None:
    attendees = [a for _owner, event in all_events() for a in event.get("attendees", [])]
    assert any(a.get("optional") for a in attendees)
    assert any(a.get("responseStatus") == "declined" for a in attendees)
    assert any(a.get("responseStatus") == "needsAction" for a in attendees)
    assert any(a.get("additionalGuests") for a in attendees)
    rooms = [a for a in attendees if a.get("resource")]
    assert rooms and all(a["email"].endswith("@resource.calendar.google.com") for a in rooms)
    assert all("(" in a["displayName"] for a in rooms)
    people = [a for a in attendees if not a.get("resource") and not a.get("self")]
    assert any("displayName" in a for a in people) and any("displayName" not in a for a in people)


def test_events_organised_outside_exist_only_on_internal_calendars() -> None:
    scenario, truth = world()
    domain = "@" + truth["organisation"]["domain"]
    outside = [
        e for _owner, e in all_events() if not e.get("organizer", {"email": domain}).get("email").endswith(domain)
    ]
    assert outside
    assert all(e["organizer"]["email"] not in scenario["calendars"] for e in outside)


def test_meeting_links_of_every_platform() -> None:
    events = [e for _owner, e in all_events() if e["status"] == "confirmed" and "recurringEventId" not in e]
    meet = [
        e
        for e in events
        if e.get("conferenceData", {}).get("conferenceSolution", {}).get("key", {}).get("type") == "hangoutsMeet"
    ]
    assert meet and all(e["hangoutLink"].endswith(e["conferenceData"]["conferenceId"]) for e in meet)
    assert any(e.get("conferenceData", {}).get("conferenceSolution", {}).get("name") == "Zoom Meeting" for e in events)
    assert any("teams.microsoft.com/l/meetup-join/" in e.get("description", "") for e in events)
    assert any(e.get("location", "").startswith("https://") and "zoom.us/j/" in e["location"] for e in events)


def test_a_series_keeps_one_meeting_code() -> None:
    scenario, _truth = world()
    codes: dict[str, set[str]] = defaultdict(set)
    for _owner, event in all_events():
        if "recurrence" in event and "conferenceData" in event:
            codes[event["id"]].add(event["conferenceData"]["conferenceId"])
    assert codes and all(len(found) == 1 for found in codes.values())
    per_space = Counter(record["space"] for record in scenario["meet"]["conferenceRecords"])
    assert max(per_space.values()) > 1


# -- People and Directory ---------------------------------------------------------------------


def test_invisible_and_people_only_users() -> None:
    scenario, truth = world()
    directory = {user["id"]: user for user in scenario["directory_users"]}
    invisible = [p for p in scenario["people"] if "emailAddresses" not in p]
    assert invisible
    for person in invisible:
        user = directory[person["resourceName"].removeprefix("people/")]
        assert user["primaryEmail"] in truth["organisation"]["invisible_in_people"]
    only = [p for p in scenario["people"] if p["resourceName"].removeprefix("people/") not in directory]
    assert only and all(p["emailAddresses"][0]["metadata"]["primary"] for p in only)
    emails = [p["emailAddresses"][0]["value"] for p in scenario["people"] if "emailAddresses" in p]
    assert len(emails) == len(set(emails))


def test_company_uses_one_email_pattern_and_externals_use_example_domains() -> None:
    scenario, truth = world()
    domain = truth["organisation"]["domain"]
    assert domain.endswith(".example")
    assert all(user["primaryEmail"].endswith("@" + domain) for user in scenario["directory_users"])
    invitees = {email for meeting in truth["meetings"].values() for email in meeting["invitees"]}
    assert all(email.endswith((".example", "@resource.calendar.google.com")) for email in invitees)
    assert any(email.partition("@")[2].startswith("gmail.") for email in invitees)


EMAIL = re.compile(r"[a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(\.[a-z0-9-]+)+")


def test_every_address_is_well_formed_and_unique_per_person() -> None:
    scenario, truth = world()
    addresses = {email for meeting in truth["meetings"].values() for email in meeting["invitees"]}
    addresses |= {entry["email"] for entry in truth["participants"].values() if entry["email"]}
    addresses |= {u["primaryEmail"] for u in scenario["directory_users"]}
    bad = sorted(email for email in addresses if not EMAIL.fullmatch(email))
    assert bad == []
    people = [(e["email"], e["name"]) for e in truth["participants"].values() if e["email"] and e["kind"] == "person"]
    assert len({email for email, _name in people}) > 50


# -- Meet -------------------------------------------------------------------------------------


def test_signed_in_rejoins_keep_one_participant_and_anonymous_ones_duplicate() -> None:
    scenario, truth = world()
    participants = [p for record in scenario["meet"]["conferenceRecords"] for p in record["participants"]]
    assert any("signedinUser" in p and len(p["participantSessions"]) > 1 for p in participants)
    assert all(len(p["participantSessions"]) == 1 for p in participants if "signedinUser" not in p)
    dups = [p for p in participants if "duplicate_participant" in truth["participants"][p["name"]].get("cases", [])]
    assert any("anonymousUser" in p for p in dups)


def test_a_restarted_call_has_two_records_in_one_slot() -> None:
    _scenario, truth = world()
    restarted = [m for m in truth["meetings"].values() if m.get("restarted")]
    assert restarted and all(len(m["conference_records"]) == 2 for m in restarted)


def test_a_code_was_carried_by_another_space_a_year_earlier() -> None:
    scenario, truth = world()
    reused = [m for m in truth["meetings"].values() if m.get("code_reused_by")]
    assert len(reused) == 1
    records = {r["name"]: r for r in scenario["meet"]["conferenceRecords"]}
    spaces = {s["name"]: s for s in scenario["meet"]["spaces"]}
    old, new = records[reused[0]["code_reused_by"]], records[reused[0]["conference_records"][0]]
    assert old["space"] != new["space"]
    assert spaces[old["space"]]["meetingCode"] == spaces[new["space"]]["meetingCode"]
    assert utc(new["startTime"]) - utc(old["startTime"]) > timedelta(days=300)
    assert utc(old["expireTime"]) > utc(scenario["sandbox"]["now"])
    assert all(truth["participants"][p["name"]]["meeting"] is None for p in old["participants"])


def test_room_devices_and_phones_and_bots_in_meet() -> None:
    scenario, truth = world()
    rooms = set(truth["organisation"]["rooms"])
    for record in scenario["meet"]["conferenceRecords"]:
        for p in record["participants"]:
            entry = truth["participants"][p["name"]]
            if entry["kind"] == "room":
                assert "signedinUser" in p and entry["email"] in rooms
            if entry["kind"] == "phone":
                assert "phoneUser" in p
            if entry["kind"] == "bot":
                assert "anonymousUser" in p


# -- Recall -----------------------------------------------------------------------------------


def recall_participants() -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    scenario, truth = world()
    return [
        (bot, p, truth["participants"][f"recall:{bot['id']}:{p['id']}"])
        for bot in scenario["recall"]["bots"]
        for p in bot.get("participants", [])
    ]


def test_bots_on_every_platform_end_done() -> None:
    scenario, _truth = world()
    bots = scenario["recall"]["bots"]
    assert {bot["meeting_url"]["platform"] for bot in bots} == {"google_meet", "zoom", "microsoft_teams"}
    codes = Counter(bot["status_changes"][-1]["code"] for bot in bots)
    assert codes["done"] > codes["fatal"]
    assert all(bot["status_changes"][0]["code"] == "joining_call" for bot in bots)


@pytest.mark.parametrize(
    ("platform", "field"),
    [("zoom", "conf_user_id"), ("microsoft_teams", "user_id"), ("google_meet", "static_participant_id")],
)
def test_stable_ids_name_one_person_across_meetings(platform: str, field: str) -> None:
    owners: dict[str, set[str | None]] = defaultdict(set)
    bots_per_id: dict[str, set[str]] = defaultdict(set)
    for bot, p, entry in recall_participants():
        value = ((p.get("extra_data") or {}).get(platform) or {}).get(field)
        if value and entry["kind"] == "person" and entry["meeting"]:
            owners[value].add(entry["email"])
            bots_per_id[value].add(bot["id"])
    assert owners, f"no {platform} stable ids"
    assert all(len(emails) == 1 for emails in owners.values())
    assert any(len(bots) > 1 for bots in bots_per_id.values())


def test_recall_participant_quirks() -> None:
    rows = recall_participants()
    assert any(p["platform"] == "dial-in" for _bot, p, _entry in rows)
    assert any(p["is_host"] for _bot, p, _entry in rows)
    teams = [p["name"] for bot, p, _e in rows if bot["meeting_url"]["platform"] == "microsoft_teams"]
    assert any("(Guest)" in name or name.endswith(("External", "Unverified")) or "(External)" in name for name in teams)
    with_email = [p for _bot, p, _entry in rows if p.get("email")]
    assert with_email and len(with_email) < len(rows) / 5
    assert all(p["email"] == entry["email"] for _bot, p, entry in rows if p.get("email"))


def test_participant_events_pair_joins_and_leaves() -> None:
    scenario, _truth = world()
    actions: Counter[str] = Counter()
    for bot in scenario["recall"]["bots"]:
        ids = {p["id"] for p in bot.get("participants", [])}
        events = bot.get("participant_events", [])
        assert all(e["participant"]["id"] in ids for e in events)
        times = [utc(e["timestamp"]["absolute"]) for e in events]
        assert times == sorted(times)
        per: Counter[tuple[int, str]] = Counter((e["participant"]["id"], e["action"]) for e in events)
        for pid in ids:
            assert per[(pid, "join")] == per[(pid, "leave")] >= 1
        actions.update(e["action"] for e in events)
    assert actions["speech_on"] == actions["speech_off"] > 0
