"""Every client built from the configuration, sharing one call counter."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from mapper.config import Settings
from mapper.sources.google.api import GoogleApi
from mapper.sources.google.calendar import CalendarClient
from mapper.sources.google.meet import MeetClient
from mapper.sources.google.people import DirectoryClient, PeopleClient
from mapper.sources.metrics import CallCounter
from mapper.sources.retry import RetryPolicy

if TYPE_CHECKING:
    from mapper.sources.recall.client import RecallClient


class Sources:
    """Lazily built clients for Calendar, Meet, People, Directory and Recall.ai."""

    def __init__(
        self,
        settings: Settings,
        *,
        counter: CallCounter | None = None,
        policy: RetryPolicy | None = None,
        page_size: int | None = None,
    ) -> None:
        """``page_size`` lowers the Calendar and Meet page sizes (tests exercise paging with it)."""
        self.settings = settings
        self.counter = counter or CallCounter()
        self._policy = policy
        self._page_size = page_size
        self._apis: list[GoogleApi] = []

    def _google(self, service: str) -> GoogleApi:
        api = GoogleApi(service, self.settings, counter=self.counter, policy=self._policy)
        self._apis.append(api)
        return api

    @cached_property
    def calendar(self) -> CalendarClient:
        if self._page_size:
            return CalendarClient(self._google("calendar"), page_size=self._page_size)
        return CalendarClient(self._google("calendar"))

    @cached_property
    def meet(self) -> MeetClient:
        return MeetClient(self._google("meet"), page_size=self._page_size)

    @cached_property
    def people(self) -> PeopleClient:
        return PeopleClient(self._google("people"))

    @cached_property
    def directory(self) -> DirectoryClient:
        return DirectoryClient(self._google("directory"))

    @cached_property
    def recall(self) -> RecallClient:
        from mapper.sources.recall.client import RecallClient

        return RecallClient.from_settings(self.settings, counter=self.counter, policy=self._policy)

    def close(self) -> None:
        """Close every connection the clients opened (Google's httplib2, Recall's httpx pool); idempotent."""
        for api in self._apis:
            api.close()
        recall = self.__dict__.pop("recall", None)
        if recall is not None:
            recall.close()

    def calendar_subject(self, calendar_id: str) -> str | None:
        """Whom to impersonate to read a calendar: its configured subject, its owner, or the default."""
        configured = self.settings.calendars.subjects.get(calendar_id)
        if configured:
            return configured
        if "@" in calendar_id and not calendar_id.endswith("calendar.google.com"):
            return calendar_id
        return self.settings.google.impersonate


__all__ = ["Sources"]
