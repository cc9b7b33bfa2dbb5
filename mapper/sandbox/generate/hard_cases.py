"""Meetings added on purpose so that every hard case exists in every world, however small.

- two colleagues with the same name invited together (Meet; People tells them apart);
- two outside contacts with the same name invited together, both joining anonymously under it;
- two contacts sharing a given name, one of whom joins as just that given name ("fits two");
- the *showcase* call: a colleague who rejoins (several sessions), one sitting in the booked room,
  outside guests typing each decorated name of :data:`SHOWCASE_VARIANTS` (the first also rejoins:
  a duplicate participant), a guest signed in with a Google account, a plus-one, an uninvited
  colleague and stranger, a note-taker bot, a dial-in, the room's device and a declined no-show;
- one weekly recorded partner call on each platform (Meet, Zoom, Teams) when ``recall_share`` > 0,
  so stable platform ids recur; on Teams the guests carry each badge (``(Unverified)``,
  ``(Guest)``, ``External``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from mapper.sandbox.generate.schedule import Scheduler

#: The names the outside guests of the showcase call type, one each; then a guest signs in with
#: a Google account (``account``) and the last one declined.
SHOWCASE_VARIANTS = (
    "plain", "guest", "pronouns", "device_owner", "last_first_comma", "emoji", "company_suffix", "nickname",
    "generic_name",
)  # fmt: skip


def add_hard_cases(scheduler: Scheduler) -> None:
    """Meetings that put look-alikes side by side, the showcase call, and one recorded call per
    platform (when Recall records anything)."""
    rng, org = scheduler.rng, scheduler.org
    for first, second in org.namesakes:
        for _ in range(2):
            host = org.users[first]
            others = scheduler.users(rng.sample(org.team_of(first), min(3, len(org.team_of(first)))))
            invites = scheduler.invites(host, [org.users[second], *others])
            scheduler.add(
                "namesakes",
                "Handover",
                host,
                invites,
                scheduler.slot(rng.choice(scheduler.workdays), 30),
                30,
                platform="google_meet",
            )
    for kind, pairs in (("external_namesakes", org.external_namesakes), ("given_twins", org.given_twins)):
        for first, second in pairs:
            host = rng.choice(org.users)
            invites = scheduler.invites(host, [org.externals[first], org.externals[second]])
            for invite in invites[1:]:
                invite.response, invite.optional = "accepted", False
            scheduler.add(
                kind,
                "Intro call",
                host,
                invites,
                scheduler.slot(rng.choice(scheduler.workdays), 30),
                30,
                platform="google_meet",
                recorded=False,
            )
    _showcase(scheduler)
    if scheduler.recall_share > 0:
        for platform in ("google_meet", "zoom", "microsoft_teams"):
            call = scheduler.partner_call(recurring=True, platform=platform, recorded=True, weekly=True)
            call.kind, call.cancelled = "platform_showcase", False
            for occurrence in call.occurrences:
                occurrence.cancelled = False


def _showcase(scheduler: Scheduler) -> None:
    """One Meet call with a bit of everything (see :data:`SHOWCASE_VARIANTS`), in every world."""
    rng, org = scheduler.rng, scheduler.org
    host = org.users[0]
    colleagues = scheduler.users([u for u in org.team_of(0) if u != 0][:2])
    pool = [m for m in org.externals if m.google_id is None]
    guests = []
    for variant in SHOWCASE_VARIANTS:
        fitting = [m for m in pool if m.person.nickname] if variant == "nickname" else []
        guests.append(rng.choice(fitting or pool))
        pool.remove(guests[-1])
    with_account = [m for m in org.externals if m.google_id is not None][:1]
    declining = [m for m in org.externals if m not in guests and m.google_id is None][:1]
    invites = scheduler.invites(host, [*colleagues, *guests, *with_account, *declining])
    for invite in invites[1:]:
        invite.response, invite.optional, invite.additional_guests = "accepted", False, 0
    invites[len(colleagues) + 1].additional_guests = 1
    invites[-1].response = "declined"
    day = scheduler.workdays[len(scheduler.workdays) // 2]
    start = datetime.combine(day, time(15, 0), tzinfo=UTC)
    scheduler.add(
        "showcase", "Partner kickoff", host, invites, start, 60, room=True, platform="google_meet", recorded=False
    )
    scheduler.series[-1].cancelled = False
    scheduler.series[-1].occurrences[0].cancelled = False


__all__ = ["SHOWCASE_VARIANTS", "add_hard_cases"]
