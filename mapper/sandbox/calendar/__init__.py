"""The emulated Google Calendar API v3 (``events.list`` with incremental sync, ``events.get``,
``events.instances``, ``calendarList.list``).  See docs/SANDBOX.md."""

from mapper.sandbox.calendar.api import CalendarApi

__all__ = ["CalendarApi"]
