"""How an attendee shows up on each platform: signed in or not, and under which name.

- **Meet**: colleagues are signed in (``users/{id}``) under their account name, sometimes renamed;
  outside contacts with a Google account are often signed in too (People knows nothing about
  them); everybody else types a name (a labelled :mod:`mapper.synth.render` variant, a generic
  label now and then); the room's video system is a signed-in robot account; dial-ins show a
  masked number; note-takers are anonymous.
- **Zoom**: colleagues and some outsiders are signed in to Zoom (a stable ``conf_user_id``); the
  rest join as guests.
- **Teams** (meetings of a partner's tenant): the partner's own people are in the tenant; every
  other person is a guest whose name Teams badges (``(Guest)``, ``External``, ``Unverified``).
"""

from __future__ import annotations

import random

from mapper.sandbox.generate.names import renamed, teams_guest
from mapper.sandbox.generate.presence import Appearance, Attendee
from mapper.synth.nonpersons import bare_device_name, bot_name, dial_in_name, generic_name
from mapper.synth.render import render_display_name

#: A forced "variant" meaning: signed in with their own account, under its name.
ACCOUNT = "account"


def _typed(rng: random.Random, attendee: Attendee) -> Appearance:
    """A name typed into the join screen."""
    assert attendee.person is not None
    forced = None if attendee.variant == ACCOUNT else attendee.variant
    if forced == "generic_name":
        return Appearance("anonymous", generic_name(rng), "generic_name")
    if forced is None:
        roll = rng.random()
        if roll < 0.01:
            return Appearance("anonymous", generic_name(rng), "generic_name")
        if roll < 0.015:
            return Appearance("anonymous", bare_device_name(rng), "bare_device")
    name, variant = render_display_name(rng, attendee.person, forced)
    return Appearance("anonymous", name, variant)


def _account(rng: random.Random, attendee: Attendee, rename: float) -> tuple[str, str]:
    assert attendee.person is not None
    if attendee.variant == ACCOUNT:
        return attendee.person.account_name, "plain"
    if attendee.variant is not None:
        return render_display_name(rng, attendee.person, attendee.variant)
    if rng.random() < rename:
        return renamed(rng, attendee.person)
    return attendee.person.account_name, "plain"


def _thing(rng: random.Random, attendee: Attendee, joined_as: str) -> Appearance:
    if attendee.kind == "room":
        assert attendee.room is not None
        name = rng.choice(attendee.room.resource.device_names)
        return Appearance(joined_as, name, "device_name")
    if attendee.kind == "phone":
        return Appearance("phone", dial_in_name(rng), "dial_in")
    return Appearance("anonymous", bot_name(rng), "note_taker")


def meet(rng: random.Random, attendee: Attendee) -> Appearance:
    if attendee.name is not None:
        return Appearance("anonymous", attendee.name, "note_taker")
    if attendee.kind == "room":
        assert attendee.room is not None
        appearance = _thing(rng, attendee, "signedin")
        return Appearance("signedin", appearance.name, appearance.variant, f"users/{attendee.room.google_id}", True)
    if attendee.kind != "person":
        return _thing(rng, attendee, "anonymous")
    member = attendee.member
    signs_in = attendee.variant == ACCOUNT or (attendee.variant is None and rng.random() < 0.5)
    if member is not None and member.google_id and (member.internal or signs_in):
        name, variant = _account(rng, attendee, 0.08 if member.internal else 0.0)
        if not member.internal:
            attendee.cases.append("external_signed_in")
        return Appearance("signedin", name, variant, f"users/{member.google_id}", True)
    return _typed(rng, attendee)


def zoom(rng: random.Random, attendee: Attendee) -> Appearance:
    if attendee.kind != "person":
        return _thing(rng, attendee, "signedin")
    member = attendee.member
    if member is not None and member.zoom_id and (member.internal or attendee.variant is None):
        name, variant = _account(rng, attendee, 0.1)
        return Appearance("signedin", name, variant, stable=True)
    return _typed(rng, attendee)


def teams(rng: random.Random, attendee: Attendee, tenant_partner: str | None) -> Appearance:
    if attendee.kind != "person":
        return _thing(rng, attendee, "anonymous")
    member = attendee.member
    if member is not None and member.teams_id and member.partner == tenant_partner:
        name, variant = _account(rng, attendee, 0.05)
        return Appearance("signedin", name, variant, stable=True)
    assert attendee.person is not None
    if attendee.variant is None and rng.random() < 0.85:
        name, variant = teams_guest(rng, attendee.person)
        return Appearance("anonymous", name, variant)
    return _typed(rng, attendee)


__all__ = ["ACCOUNT", "Appearance", "meet", "teams", "zoom"]
