"""The emulated APIs the sandbox serves (imported lazily to keep start-up cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mapper.sandbox.world import EmulatedApi


def api_classes() -> list[type[EmulatedApi]]:
    # One line per emulated API.
    classes: list[type[EmulatedApi]] = []
    from mapper.sandbox.recall import RecallApi

    classes.append(RecallApi)
    from mapper.sandbox.meet import MeetApi

    classes.append(MeetApi)
    from mapper.sandbox.people import PeopleApi

    classes.append(PeopleApi)
    from mapper.sandbox.directory import DirectoryApi

    classes.append(DirectoryApi)
    from mapper.sandbox.calendar import CalendarApi

    classes.append(CalendarApi)
    from mapper.sandbox.oauth import OAuthApi

    classes.append(OAuthApi)
    return classes


__all__ = ["api_classes"]
