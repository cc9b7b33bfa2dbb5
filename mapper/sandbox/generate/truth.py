"""The ground truth written beside a scenario: who every participant really is.

Rule for ``email``: the address of the person behind the participant when somebody could know
it — an invitee (whatever name they typed), a colleague who came uninvited (their account names
them), anybody who typed their address as their name.  ``null`` for dial-ins, note-taker bots,
outsiders who appear in no calendar (an uninvited stranger, a guest's plus-one), and the
participants of a conference that belongs to no event of the period (the year-old call on a
reused Meet code).  A room device's ``email`` is the room resource's address.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mapper.sandbox.generate.presence import Appearance, Attendee


class Truth:
    """Collects participant and meeting facts while the scenario is written."""

    def __init__(self) -> None:
        self.participants: dict[str, dict[str, Any]] = {}
        self.meetings: dict[str, dict[str, Any]] = {}
        self.cases: Counter[str] = Counter()
        self.variants: Counter[str] = Counter()

    def participant(
        self,
        key: str,
        attendee: Attendee,
        appearance: Appearance,
        meeting: str | None,
        *,
        extra: tuple[str, ...] = (),
    ) -> None:
        """Record one participant resource (its key: a Meet participant name or ``recall:{bot}:{id}``)."""
        if key in self.participants:
            raise ValueError(f"participant {key} recorded twice")
        cases = sorted({*attendee.cases, *extra})
        email = attendee.email
        if email is None and appearance.variant == "email_as_name" and attendee.person is not None:
            email = attendee.person.email  # they typed it: anybody can know it
        entry: dict[str, Any] = {
            "email": email,
            "invited": attendee.invited,
            "kind": attendee.kind,
            "variant": appearance.variant,
            "joined_as": appearance.joined_as,
            "name": appearance.name,
            "meeting": meeting,
        }
        if cases:
            entry["cases"] = cases
        self.participants[key] = entry
        self.cases.update(cases)
        self.variants[appearance.variant] += 1

    def meeting(self, key: str, facts: dict[str, Any]) -> dict[str, Any]:
        return self.meetings.setdefault(key, facts)

    def document(self, header: dict[str, Any]) -> dict[str, Any]:
        return {
            **header,
            "counts": {
                "participants": len(self.participants),
                "meetings": len(self.meetings),
                "cases": dict(sorted(self.cases.items())),
                "variants": dict(sorted(self.variants.items())),
            },
            "participants": self.participants,
            "meetings": self.meetings,
        }


__all__ = ["Truth"]
