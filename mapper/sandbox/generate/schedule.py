"""Who meets when: recurring series and one-off meetings for the whole period.

Recurring: a daily standup or a weekly meeting per team, weekly or fortnightly 1:1s between a
manager and each report, fortnightly department all-hands, cross-team syncs and partner calls.
One-off meetings then top every user up to about three meetings a workday: mostly 2–8 people
from the team or department, some with outside contacts, a few organised outside the company.
A handful of meetings are added on purpose so that every hard case exists even in a tiny world
(look-alike invitees, every platform recorded by Recall).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from mapper.sandbox.generate.ids import Ids
from mapper.sandbox.generate.links import meet_link, teams_link, zoom_link
from mapper.sandbox.generate.org import Member, Org
from mapper.sandbox.generate.plan import Invite, Occurrence, Period, Series, instance_id

TEAM_NAMES = (
    "Falcon", "Orion", "Atlas", "Nova", "Cedar", "Harbor", "Summit", "Aurora", "Delta", "Ember",
    "Glacier", "Horizon", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pioneer", "Quartz",
)  # fmt: skip
TOPICS = (
    "Roadmap review", "Budget check-in", "Design review", "Incident retro", "Hiring debrief", "Quarterly planning",
    "Customer escalation", "Demo prep", "Onboarding", "Coffee chat", "Pricing discussion", "Launch readiness",
    "Security review", "Data migration", "Vendor evaluation", "Brainstorm", "Contract review", "Offsite planning",
)  # fmt: skip
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
MEAN_SIZE = 4.3
MEETINGS_PER_WORKDAY = 3.0


class Scheduler:
    """Builds the list of :class:`Series` (see the module docstring)."""

    def __init__(self, rng: random.Random, ids: Ids, org: Org, period: Period, recall_share: float) -> None:
        self.rng, self.ids, self.org, self.period, self.recall_share = rng, ids, org, period, recall_share
        self.series: list[Series] = []
        self.load = [0] * len(org.users)
        self.workdays = period.workdays or period.days
        self.contacts: dict[str, list[Member]] = {}
        for member in org.externals:
            self.contacts.setdefault(member.partner or "", []).append(member)

    # -- building blocks -----------------------------------------------------------------
    def slot(self, day: date, minutes: int, earliest: int = 8, latest: int = 17) -> datetime:
        hour = self.rng.randint(earliest, max(earliest, latest - (minutes + 59) // 60))
        minute = self.rng.choice((0, 0, 0, 30, 30, 15)) if minutes <= 30 else self.rng.choice((0, 0, 30))
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def _response(self, internal: bool) -> str:
        statuses = ("accepted", "tentative", "needsAction", "declined")
        weights = (70, 8, 14, 8) if internal else (55, 5, 30, 10)
        return self.rng.choices(statuses, weights=weights)[0]

    def invites(self, organizer: Member, members: list[Member], optional_rate: float = 0.0) -> list[Invite]:
        invites = [Invite(organizer, "accepted")]
        seen = {organizer.email}
        for member in members:
            if member.email in seen:
                continue
            seen.add(member.email)
            optional = len(members) >= 3 and self.rng.random() < optional_rate
            guests = 1 if not member.internal and self.rng.random() < 0.06 else 0
            invites.append(Invite(member, self._response(member.internal), optional, guests))
        return invites

    def _first_day(self, weekday: int | None = None, late_start: float = 0.05) -> date:
        days = self.workdays[:5] if self.rng.random() >= late_start else self.workdays
        if weekday is not None:
            matching = [day for day in days if day.weekday() == weekday]
            return matching[0] if matching else days[0]
        return self.rng.choice(days)

    def add(
        self,
        kind: str,
        summary: str,
        organizer: Member,
        invites: list[Invite],
        start: datetime,
        minutes: int,
        *,
        rrule: str | None = None,
        room: bool = False,
        platform: str | None = None,
        recorded: bool | None = None,
    ) -> Series:
        number = len(self.series)
        created = start - timedelta(days=self.rng.randint(1, 40), minutes=self.rng.randint(0, 600))
        chosen_room = self.rng.choice(self.org.rooms) if room and self.org.rooms else None
        series = Series(
            number, self.ids.event_id("series", number), kind, summary, organizer, invites, chosen_room, start,
            timedelta(minutes=minutes), created, rrule,
        )  # fmt: skip
        self._conference(series, platform, recorded)
        series.cancelled = self.rng.random() < (0.02 if rrule is None else 0.01)
        self._occurrences(series)
        self.series.append(series)
        for occurrence in series.occurrences:
            if not occurrence.cancelled:
                for invite in series.invites:
                    if invite.member.internal and invite.response != "declined":
                        self.load[invite.member.index] += 1
        return series

    def _conference(self, series: Series, platform: str | None, recorded: bool | None) -> None:
        rng, key = self.rng, series.number
        series.recorded = rng.random() < self.recall_share if recorded is None else recorded
        if platform is None:
            if series.external_organizer:
                weights = (10, 40, 50) if series.recorded else (30, 35, 35)
            else:
                weights = (55, 45, 0) if series.recorded else (94, 3, 0)
            platform = rng.choices(("google_meet", "zoom", "microsoft_teams"), weights=weights)[0]
            if not series.recorded and not series.external_organizer and series.room and rng.random() < 0.1:
                platform = "none"  # an in-person meeting
        if platform == "google_meet":
            series.link = meet_link(self.ids, key)
        elif platform == "zoom":
            host = rng.choice(("us02web.zoom.us", "us06web.zoom.us", "zoom.us"))
            series.link = zoom_link(self.ids, key, host)
        elif platform == "microsoft_teams":
            partner = self.org.partners.get(series.organizer.partner or "")
            tenant = partner.tenant_id if partner else self.ids.uuid("tenant", self.org.domain)
            series.link = teams_link(self.ids, key, tenant, self.ids.uuid("oid", series.organizer.email))
        else:
            series.recorded = False

    def _occurrences(self, series: Series) -> None:
        if series.rrule is None:
            end = series.start + series.duration
            series.occurrences = [Occurrence(series.event_id, series.start, series.start, end, series.cancelled)]
            return
        rule = rrulestr(series.rrule, dtstart=series.start)
        inside = rule.between(self.period.start, self.period.end - timedelta(seconds=1), inc=True)
        for original in inside:
            occurrence = Occurrence(
                instance_id(series.event_id, original), original, original, original + series.duration
            )
            roll = self.rng.random()
            if series.cancelled or roll < 0.025:
                occurrence.cancelled = True
            elif roll < 0.055:
                shift = timedelta(minutes=self.rng.choice((-60, -30, 30, 60, 90)))
                if 7 <= (original + shift).hour <= 17:
                    occurrence.start, occurrence.end = original + shift, original + shift + series.duration
                    occurrence.moved = True
            series.occurrences.append(occurrence)

    def _rrule(self, day: date, interval: int = 1, daily: bool = False) -> str:
        byday = ",".join(WEEKDAYS) if daily else WEEKDAYS[day.weekday()]
        rule = "FREQ=WEEKLY" + (f";INTERVAL={interval}" if interval > 1 else "") + f";BYDAY={byday}"
        roll = self.rng.random()
        if roll < 0.9:  # most series end: inside the period, or some months after it
            span = self.period.end - self.period.start
            last = self.period.start + span * self.rng.uniform(0.4, 0.9)
            if roll >= 0.2:
                last = self.period.end + timedelta(days=self.rng.randint(14, 180))
            rule += f";UNTIL={last:%Y%m%dT235959Z}"
        return "RRULE:" + rule

    def users(self, indices: list[int]) -> list[Member]:
        return [self.org.users[index] for index in indices]

    # -- recurring series ----------------------------------------------------------------
    def recurring(self) -> None:
        org, rng = self.org, self.rng
        for number, team in enumerate(org.teams):
            name = TEAM_NAMES[number % len(TEAM_NAMES)] + ("" if number < len(TEAM_NAMES) else f" {number // 20 + 1}")
            manager, members = org.users[team[0]], self.users(team)
            if len(team) >= 3 and rng.random() < 0.75:
                day = self.workdays[0]
                start = datetime.combine(day, time(9, rng.choice((0, 15, 30))), tzinfo=UTC)
                invites = self.invites(manager, members)
                self.add(
                    "standup",
                    f"Daily standup – {name}",
                    manager,
                    invites,
                    start,
                    15,
                    rrule=self._rrule(day, daily=True),
                )
            day = self._first_day()
            rule = self._rrule(day)
            self.add(
                "team",
                f"{name} weekly",
                manager,
                self.invites(manager, members),
                self.slot(day, 60),
                60,
                rrule=rule,
                room=rng.random() < 0.4,
            )
            if rng.random() < 0.5:
                day = self._first_day()
                invites = self.invites(manager, members)
                self.add("team", f"{name} retro", manager, invites, self.slot(day, 45), 45, rrule=self._rrule(day, 2))
            for report in members[1:]:
                interval = 1 if rng.random() < 0.7 else 2
                day = self._first_day()
                summary = f"{manager.person.given_latin.split(' ')[0]} / {report.person.given_latin.split(' ')[0]} 1:1"
                self.add(
                    "one_on_one",
                    summary,
                    manager,
                    self.invites(manager, [report]),
                    self.slot(day, 30),
                    30,
                    rrule=self._rrule(day, interval),
                )
        for number, department in enumerate(org.departments):
            users = [user for team in department for user in org.teams[team]]
            if len(users) < 8:
                continue
            host = org.users[org.teams[department[0]][0]]
            day = self._first_day(late_start=0.0)
            invites = self.invites(host, self.users(users), optional_rate=0.2)
            self.add(
                "all_hands",
                f"Department {number + 1} all-hands",
                host,
                invites,
                self.slot(day, 45),
                45,
                rrule=self._rrule(day, 2),
                room=True,
            )
        for _ in range(max(1, len(org.users) * 7 // 10)):
            self._sync()
        for _ in range(max(1, len(org.users) // 6)):
            self.partner_call(recurring=True)

    def _sync(self) -> None:
        rng, org = self.rng, self.org
        organizer = rng.choice(org.users)
        pool = org.department_of(organizer.index)
        size = min(len(pool), rng.randint(4, 8))
        people = self.users(rng.sample(pool, size)) + self.users(rng.sample(range(len(org.users)), rng.randint(0, 2)))
        day = self._first_day()
        summary = f"{rng.choice(TOPICS)} sync"
        self.add(
            "sync",
            summary,
            organizer,
            self.invites(organizer, people, 0.15),
            self.slot(day, 30),
            rng.choice((30, 45)),
            rrule=self._rrule(day, rng.choice((1, 1, 2))),
        )

    def partner_call(
        self, *, recurring: bool, platform: str | None = None, recorded: bool | None = None, weekly: bool = False
    ) -> Series:
        """A call with one partner's people; ``weekly``: every week from the first workday, no end."""
        rng, org = self.rng, self.org
        partner = rng.choice(sorted(org.partners))
        contacts = self.contacts.get(partner) or org.externals
        outside = rng.sample(contacts, min(len(contacts), rng.randint(1, 4)))
        lead = rng.choice(org.users)
        team = self.users(rng.sample(org.team_of(lead.index), min(len(org.team_of(lead.index)), rng.randint(1, 3))))
        external = rng.random() < 0.45 if platform != "microsoft_teams" else True
        organizer = outside[0] if external else lead
        invites = self.invites(organizer, [lead, *team, *outside], 0.1)
        day = self._first_day() if recurring else rng.choice(self.workdays)
        rule = self._rrule(day, rng.choice((1, 2))) if recurring else None
        if weekly:
            day = self.workdays[0]
            rule = f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[day.weekday()]}"
        name = partner.split(".")[0].capitalize()
        return self.add(
            "partner",
            f"{name} <> {org.domain.split('.')[0].capitalize()}",
            organizer,
            invites,
            self.slot(day, 45),
            rng.choice((30, 45, 60)),
            rrule=rule,
            platform=platform,
            recorded=recorded,
        )

    # -- one-off meetings ----------------------------------------------------------------
    def _size(self) -> int:
        """Invitees of a one-off meeting: mostly 2–8 (the big meetings are the all-hands)."""
        roll = self.rng.random()
        if roll < 0.35:
            return 2
        if roll < 0.73:
            return self.rng.randint(3, 5)
        if roll < 0.95:
            return self.rng.randint(6, 8)
        if roll < 0.995:
            return self.rng.randint(9, 12)
        return self.rng.randint(13, 20)

    def adhoc(self) -> None:
        rng, org = self.rng, self.org
        target = MEETINGS_PER_WORKDAY * len(self.workdays)
        plans: list[int] = []
        for user in range(len(org.users)):
            deficit = max(0.0, target * rng.uniform(0.7, 1.3) - self.load[user]) / MEAN_SIZE
            plans.extend([user] * (int(deficit) + (rng.random() < deficit % 1)))
        for user in plans:
            self._one_off(org.users[user])

    def _one_off(self, organizer: Member) -> None:
        rng, org = self.rng, self.org
        size = self._size()
        team, department = org.team_of(organizer.index), org.department_of(organizer.index)
        chosen: dict[int, None] = {organizer.index: None}
        for _ in range(size * 3):
            if len(chosen) >= size:
                break
            roll = rng.random()
            pool = team if roll < 0.55 else (department if roll < 0.85 else range(len(org.users)))
            chosen.setdefault(rng.choice(pool), None)
        people = self.users(list(chosen))
        if rng.random() < 0.35:
            partner = rng.choice(sorted(org.partners))
            contacts = (self.contacts.get(partner) or org.externals) if rng.random() < 0.7 else org.externals
            people += rng.sample(contacts, min(len(contacts), rng.randint(1, 4)))
        host = organizer
        externals = [m for m in people if not m.internal]
        if externals and rng.random() < 0.3:
            host = externals[0]
        day = rng.choice(self.workdays)
        minutes = rng.choice((15, 30, 30, 30, 45, 60, 60, 90) if size < 9 else (45, 60, 60, 90))
        summary = (
            rng.choice(TOPICS)
            if size > 2 or externals
            else f"{organizer.person.given_latin.split(' ')[0]} <> {people[-1].person.given_latin.split(' ')[0]}"
        )
        invites = self.invites(host, people, 0.12)
        self.add(
            "adhoc", summary, host, invites, self.slot(day, minutes), minutes, room=size >= 3 and rng.random() < 0.25
        )


__all__ = ["MEAN_SIZE", "MEETINGS_PER_WORKDAY", "TEAM_NAMES", "TOPICS", "Scheduler"]
