"""Google Meet REST API v2 emulator (conference records, participants, sessions, spaces).

See docs/sandbox/meet-people.md.  The helpers in :mod:`.common` and :mod:`.fields` (discovery
scopes, unknown-parameter check, page tokens, ``fields`` partial responses) are shared with the
People and Admin Directory emulators.
"""

from mapper.sandbox.meet.handlers import MeetApi

__all__ = ["MeetApi"]
