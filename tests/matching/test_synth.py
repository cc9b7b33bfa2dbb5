"""The synthetic population: deterministic, multi-locale, labelled renderings and non-persons."""

from __future__ import annotations

import random

import pytest

from mapper.synth import (
    VARIANTS,
    bot_name,
    dial_in_name,
    generic_name,
    make_externals,
    make_meeting,
    make_people,
    make_room,
    make_world,
    render_display_name,
)
from mapper.synth.emails import local_part


def test_same_seed_same_people() -> None:
    assert make_people(random.Random(3), 20, "acme.example") == make_people(random.Random(3), 20, "acme.example")
    assert make_people(random.Random(3), 20, "acme.example") != make_people(random.Random(4), 20, "acme.example")


def test_company_people_share_the_domain_and_have_unique_addresses() -> None:
    people = make_people(random.Random(1), 300, "acme.example", pattern="flast")
    emails = [p.email for p in people]
    assert all(e.endswith("@acme.example") for e in emails)
    assert len(set(emails)) == len(emails)
    assert {p.locale for p in people} >= {"en_US", "zh_CN", "de_DE"}


def test_locales_can_be_chosen() -> None:
    people = make_people(random.Random(1), 30, "x.example", locales=["ja_JP"])
    assert {p.locale for p in people} == {"ja_JP"}
    assert all(p.family_first and p.given_latin.isascii() for p in people)


@pytest.mark.parametrize(
    ("pattern", "local"),
    [
        ("first.last", "jane.doe"),
        ("flast", "jdoe"),
        ("first", "jane"),
        ("first_last", "jane_doe"),
        ("firstl", "janed"),
        ("last.first", "doe.jane"),
        ("firstlast", "janedoe"),
        ("f.last", "j.doe"),
        ("last", "doe"),
    ],
)
def test_email_patterns(pattern: str, local: str) -> None:
    assert local_part(pattern, "jane", "doe", random.Random(0)) == local


def test_externals_use_partner_personal_and_free_mail_domains() -> None:
    people = make_externals(random.Random(2), 200, {"partner.example": "first.last"})
    kinds = {p.kind for p in people}
    assert kinds == {"partner", "personal", "free_mail"}
    assert all(p.email.endswith("@partner.example") for p in people if p.kind == "partner")


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_renders_with_its_label(variant: str) -> None:
    rng = random.Random(5)
    people = make_people(rng, 200, "acme.example")
    rendered = [render_display_name(rng, p, variant) for p in people]
    assert any(label == variant for _, label in rendered)
    assert all(label in (variant, "plain") and name for name, label in rendered)


def test_renderings_look_as_labelled() -> None:
    rng = random.Random(8)
    person = next(p for p in make_people(rng, 50, "acme.example", locales=["en_US"]) if p.nickname)
    assert render_display_name(rng, person, "last_first_comma")[0] == f"{person.family_latin}, {person.given_latin}"
    assert render_display_name(rng, person, "guest")[0] == f"{person.account_name} (Guest)"
    assert render_display_name(rng, person, "email_as_name")[0] == person.email
    assert render_display_name(rng, person, "nickname")[0].startswith(person.nickname or "?")


def test_non_person_names() -> None:
    rng = random.Random(1)
    assert "***" in dial_in_name(random.Random(2)) or dial_in_name(random.Random(2))
    assert bot_name(rng) and generic_name(rng)
    room = make_room(rng)
    assert room.email.endswith("@resource.calendar.google.com")
    assert all(device for device in room.device_names)


def test_labelled_meetings_are_deterministic_and_complete() -> None:
    world = make_world(random.Random(1), companies=2, employees=(10, 20), externals=20)
    a = make_meeting(random.Random(9), world, "m1")
    b = make_meeting(random.Random(9), world, "m1")
    assert a == b
    assert [label.participant for label in a.labels] == list(a.meeting.participants)
    assert len({p.id for p in a.meeting.participants}) == len(a.meeting.participants)
