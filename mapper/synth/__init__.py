"""A reusable synthetic population for scenarios, benchmarks and tests.

Multi-locale people from Faker (names only ever generated, never real people's data), the
email addresses their organisations give them, the names Calendar shows for them, how their
names show up in calls (:func:`render_display_name`, labelled by variant), and participants
that are not people (bots, dial-ins, rooms, generic labels).  Everything is drawn from a
``random.Random`` passed in, so a seed reproduces a population exactly.

    >>> import random
    >>> rng = random.Random(7)
    >>> person = make_people(rng, 1, "acme.example")[0]
    >>> name, variant = render_display_name(rng, person)
"""

from __future__ import annotations

from mapper.synth.emails import COMPANY_PATTERNS, FREE_MAIL_DOMAINS, pick_pattern
from mapper.synth.locales import LOCALES, LocaleInfo
from mapper.synth.meetings import Company, LabelledMeeting, LabelledParticipant, World, make_meeting, make_world
from mapper.synth.nonpersons import (
    BOT_NAMES,
    GENERIC_NAMES,
    RoomResource,
    bare_device_name,
    bot_name,
    dial_in_name,
    generic_name,
    make_room,
)
from mapper.synth.people import SynthPerson, make_externals, make_people, make_person
from mapper.synth.render import VARIANTS, pick_variant, render_display_name

__all__ = [
    "BOT_NAMES",
    "COMPANY_PATTERNS",
    "FREE_MAIL_DOMAINS",
    "GENERIC_NAMES",
    "LOCALES",
    "VARIANTS",
    "Company",
    "LabelledMeeting",
    "LabelledParticipant",
    "LocaleInfo",
    "RoomResource",
    "SynthPerson",
    "World",
    "bare_device_name",
    "bot_name",
    "dial_in_name",
    "generic_name",
    "make_externals",
    "make_meeting",
    "make_people",
    "make_person",
    "make_room",
    "make_world",
    "pick_pattern",
    "pick_variant",
    "render_display_name",
]
