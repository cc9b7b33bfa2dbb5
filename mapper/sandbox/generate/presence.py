"""Who really joined each meeting occurrence, when, and for how long (platform-neutral).

Invitees join with a probability that follows their answer (accepted ≫ tentative > no answer ≫
declined; optional attendees less, somebody already in another call much less); the others are
no-shows.  Joiners arrive early, on time or late, some leave early, some drop out and rejoin
(several sessions).  Uninvited people turn up: colleagues (signed in, so their email is known)
and outsiders nobody invited (their email cannot be known), a guest's plus-one, note-taker bots,
dial-ins and the booked room's video system (with somebody sitting in the room instead of
joining on their own).  Some meetings never happen at all, one in a hundred Meet calls is
restarted (two conference records in one slot).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mapper.sandbox.generate.hard_cases import SHOWCASE_VARIANTS
from mapper.sandbox.generate.names import rehome
from mapper.sandbox.generate.org import Member, Org, Room
from mapper.sandbox.generate.plan import Invite, Occurrence, Series
from mapper.synth.people import SynthPerson, make_person

Interval = tuple[datetime, datetime]

JOIN_RATE = {"accepted": 0.92, "tentative": 0.65, "needsAction": 0.55, "declined": 0.04}


@dataclass(frozen=True, slots=True)
class Appearance:
    """How an attendee shows up on one platform (see :mod:`.appearance`)."""

    joined_as: str
    """``signedin`` | ``anonymous`` | ``phone`` (what the platform says about the account)."""
    name: str
    variant: str
    user: str | None = None
    """Meet's ``users/{id}`` of a signed-in account."""
    stable: bool = False
    """Signed in with an account the platform has a stable id for."""


@dataclass(slots=True)
class Attendee:
    """Somebody (or something) in the call, with the truth about who it is."""

    kind: str
    """``person`` | ``room`` | ``phone`` | ``bot``."""
    email: str | None
    invited: bool
    sessions: list[Interval]
    person: SynthPerson | None = None
    member: Member | None = None
    room: Room | None = None
    host: bool = False
    cases: list[str] = field(default_factory=list)
    variant: str | None = None
    """A display-name variant forced by a hard case (else drawn per platform); ``account``:
    signed in with their own account, under its name."""
    name: str | None = None
    """A fixed display name (the Recall bot as Meet lists it)."""
    on_meet: Appearance | None = None
    """How the attendee showed up in Meet (a Recall bot in the same call sees the same)."""


@dataclass(slots=True)
class Call:
    series: Series
    occurrence: Occurrence
    happened: bool
    start: datetime
    end: datetime
    attendees: list[Attendee] = field(default_factory=list)
    no_shows: list[str] = field(default_factory=list)
    in_room: list[str] = field(default_factory=list)
    restart: datetime | None = None
    """When a restarted Meet call was started again (its second conference record)."""


def _showcase_role(series: Series, position: int) -> str:
    """In the showcase call: the first colleague rejoins, the second sits in the room; each
    outside guest types the name variant of its turn (the first one also rejoins)."""
    invite = series.invites[position]
    if invite.member.internal:
        colleagues = [i for i, other in enumerate(series.invites[1:], 1) if other.member.internal]
        turn = colleagues.index(position) if position in colleagues else -1
        return ("rejoin", "in_room")[turn] if 0 <= turn < 2 else ""
    guests = [i for i, other in enumerate(series.invites) if not other.member.internal]
    turn = guests.index(position)
    return SHOWCASE_VARIANTS[turn] if turn < len(SHOWCASE_VARIANTS) else "account"


def _seconds(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=round(rng.uniform(low * 60, high * 60)))


class Presence:
    """Draws :class:`Call` objects; remembers who is busy when (people are in one call at a time)."""

    def __init__(self, rng: random.Random, org: Org) -> None:
        self.rng, self.org = rng, org
        self.busy: dict[tuple[int, date], list[Interval]] = defaultdict(list)
        self.outsider_emails: set[str] = {m.email for m in org.users} | {m.email for m in org.externals}
        self.restarts = 0
        pairs = [(org.users[a], org.users[b]) for a, b in org.namesakes]
        pairs += [(org.externals[a], org.externals[b]) for a, b in org.external_namesakes]
        self.namesake_of = {one.email: other.email for pair in pairs for one, other in (pair, pair[::-1])}
        """email → the email of the other person with the same name."""

    def outsider(self) -> SynthPerson:
        """Somebody outside every calendar (never invited anywhere)."""
        kind = self.rng.choice(("free_mail", "free_mail", "personal"))
        return rehome(make_person(self.rng, kind=kind, taken=set(self.outsider_emails)), self.outsider_emails, self.rng)

    def _sessions(self, start: datetime, end: datetime, cases: list[str], rejoin: bool = False) -> list[Interval]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            join = start - _seconds(rng, 0, 5)
        elif roll < 0.78:
            join = start + _seconds(rng, 0, 3)
        else:
            join = start + _seconds(rng, 3, min(20, max(4, (end - start).total_seconds() / 120)))
            cases.append("late")
        if rng.random() < 0.12:
            leave = start + (end - start) * rng.uniform(0.4, 0.85)
            cases.append("early_leave")
        else:
            leave = end + _seconds(rng, -3, 4)
        leave = max(leave, join + timedelta(minutes=2))
        sessions = [(join, leave)]
        roll = 0.05 if rejoin else rng.random()
        if roll < 0.1 and leave - join > timedelta(minutes=8):
            cases.append("rejoin")
            cuts = 2 if roll < 0.02 else 1
            sessions = []
            at = join
            for part in range(cuts):
                drop = at + (leave - at) * rng.uniform(0.3, 0.6) / (cuts - part)
                back = drop + _seconds(rng, 0.3, 3)
                sessions.append((at, drop))
                at = back
            sessions.append((at, max(leave, at + timedelta(minutes=1))))
        return [(a.replace(microsecond=0), b.replace(microsecond=0)) for a, b in sessions]

    def _free(self, member: Member, start: datetime, end: datetime) -> bool:
        return all(e <= start or s >= end for s, e in self.busy[(member.index, start.date())])

    def call(self, series: Series, occurrence: Occurrence) -> Call:
        """What happened in one occurrence (the hard-case meetings always happen)."""
        rng = self.rng
        start, end = occurrence.start, occurrence.end + _seconds(rng, -2, 8)
        show = series.kind == "showcase"
        forced = ("external_namesakes", "given_twins", "platform_showcase")
        happened = show or series.kind in forced or rng.random() < 0.94
        call = Call(series, occurrence, happened, start, end)
        invited = list(series.invites)
        if not happened:
            call.no_shows = [invite.member.email for invite in invited]
            return call
        room_joins = series.room is not None and (show or rng.random() < 0.7)
        for position, invite in enumerate(invited):
            member = invite.member
            if rng.random() >= self._rate(series, invite, position, start, end):
                call.no_shows.append(member.email)
                continue
            role = _showcase_role(series, position) if show else ""
            in_room = role == "in_room" if show else rng.random() < 0.3
            if room_joins and member.internal and in_room:
                call.in_room.append(member.email)
                continue
            cases: list[str] = []
            sessions = self._sessions(start, end, cases, rejoin=role == "rejoin" or role == "plain")
            if member.internal:
                self.busy[(member.index, start.date())].append((sessions[0][0], sessions[-1][1]))
            attendee = Attendee("person", member.email, True, sessions, member.person, member, cases=cases)
            attendee.host = member is series.organizer
            self._forced(series, attendee, position)
            call.attendees.append(attendee)
            if invite.additional_guests and (show or rng.random() < 0.7):
                self._outsider(call, "plus_one")
        self._extras(call, room_joins, everything=show)
        return call

    def _rate(self, series: Series, invite: Invite, position: int, start: datetime, end: datetime) -> float:
        """How likely an invitee joins (forced to 0 or 1 in the hard-case meetings)."""
        member = invite.member
        if series.kind == "showcase":
            return 0.0 if invite.response == "declined" else 1.0
        if series.kind == "platform_showcase":
            return 1.0
        if series.kind in ("external_namesakes", "given_twins") and not member.internal:
            return 1.0 if series.kind == "external_namesakes" or position == 1 else 0.0
        if member is series.organizer:
            return 0.97
        rate = JOIN_RATE[invite.response] * (0.6 if invite.optional else 1.0)
        if member.internal and not self._free(member, start, end):
            rate *= 0.3
        return rate

    def _forced(self, series: Series, attendee: Attendee, position: int) -> None:
        if series.kind == "showcase" and attendee.member and not attendee.member.internal:
            attendee.variant = _showcase_role(series, position)
        elif series.kind == "platform_showcase" and series.link and series.link.platform == "microsoft_teams":
            member = attendee.member
            if member is not None and (member.internal or member.partner != series.organizer.partner):
                attendee.variant = ("unverified", "guest", "external")[(position - 1) % 3]
        elif series.kind == "external_namesakes" and attendee.member and not attendee.member.internal:
            attendee.variant = "plain"
            attendee.cases.append("namesake_invitees")
        elif series.kind == "given_twins" and attendee.member and not attendee.member.internal:
            attendee.variant = "first_name_only"
            attendee.cases.append("fits_two_invitees")
        elif attendee.email in self.namesake_of and any(
            invite.member.email == self.namesake_of[attendee.email] for invite in series.invites
        ):
            attendee.cases.append("namesake_invitees")

    def _outsider(self, call: Call, case: str) -> None:
        sessions = self._sessions(call.start, call.end, [])
        call.attendees.append(Attendee("person", None, False, sessions, self.outsider(), cases=[case]))

    def _extras(self, call: Call, room_joins: bool, *, everything: bool = False) -> None:
        rng, org, series = self.rng, self.org, call.series
        invited = {invite.member.email for invite in series.invites}
        outside = any(not invite.member.internal for invite in series.invites)
        sure = 0.0 if everything else 1.0
        if rng.random() * sure < 0.1:
            pool = org.team_of(series.organizer.index) if series.organizer.internal else range(len(org.users))
            candidates = [org.users[i] for i in pool if org.users[i].email not in invited]
            if candidates:
                member = rng.choice(candidates)
                cases = ["uninvited"]
                sessions = self._sessions(call.start, call.end, cases)
                call.attendees.append(
                    Attendee("person", member.email, False, sessions, member.person, member, cases=cases)
                )
        if rng.random() * sure < (0.06 if outside else 0.02):
            self._outsider(call, "uninvited_outsider")
        if rng.random() * sure < (0.2 if outside else 0.06):
            call.attendees.append(
                Attendee("bot", None, False, self._sessions(call.start, call.end, []), cases=["note_taker"])
            )
        if rng.random() * sure < 0.06:
            call.attendees.append(
                Attendee("phone", None, False, self._sessions(call.start, call.end, []), cases=["dial_in"])
            )
        if room_joins and series.room is not None:
            sessions = [(call.start - _seconds(rng, 0, 4), call.end + _seconds(rng, 0, 2))]
            room = Attendee("room", series.room.resource.email, True, sessions, room=series.room, cases=["room_device"])
            call.attendees.append(room)

    def restart(self, call: Call) -> None:
        """Split a call in two conference records: everybody drops at ``cut`` and most come back."""
        rng = self.rng
        cut = call.start + (call.end - call.start) * rng.uniform(0.3, 0.6)
        cut = cut.replace(microsecond=0)
        again = cut + _seconds(rng, 1, 3)
        call.restart = again
        for attendee in call.attendees:
            split: list[Interval] = []
            for begin, finish in attendee.sessions:
                if begin < cut < finish:
                    split.append((begin, cut))
                    if rng.random() < 0.9:
                        split.append((max(again, cut) + _seconds(rng, 0, 2), max(finish, again + timedelta(minutes=3))))
                elif begin >= cut:
                    split.append((max(begin, again), max(finish, again + timedelta(minutes=1))))
                else:
                    split.append((begin, finish))
            attendee.sessions = split
            attendee.cases.append("restarted_meeting")
        self.restarts += 1


__all__ = ["JOIN_RATE", "Appearance", "Attendee", "Call", "Interval", "Presence"]
