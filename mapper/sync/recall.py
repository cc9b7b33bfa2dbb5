"""``mapper sync recall``: Recall.ai bots → conferences, participants and sessions.

One cycle: List Bots by status — every page of the bots that may carry participant data, and
media-expired ones while the listing is newest first — keeping those that joined since
``now - recall.lookback_days``.  Bots already stored with the same :meth:`Bot.digest` are skipped,
so a re-run with nothing new costs only the List Bots pages.  Every other bot is retrieved (fresh
download URLs), its participants and participant events downloaded (thread pool of
``http.concurrency``) and written in one transaction per bot.  A bot whose participant data is
still processing is left for a later cycle; a bot whose media expired (or whose artifact failed) is
recorded without participants.  Each conference is linked to the canonical copy of the calendar
event with the same meeting identity whose slot overlaps the call (± 15 minutes), preferring the
largest overlap; links of unchanged bots are re-checked from the store on every cycle (no API call),
so a bot stored before its event was synced gets linked later.  See docs/SOURCES-recall.md.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from mapper.errors import MapperError
from mapper.sources.recall.client import ArtifactNotReadyError
from mapper.sources.recall.convert import FAILED, FINISHED, Bot
from mapper.sources.recall.sessions import Presence, presences
from mapper.store import session_scope, upsert, upsert_many
from mapper.store.tables import CalendarEvent, Conference, Participant, ParticipantSession
from mapper.sync.context import JobContext, StepResult
from mapper.sync.targets import canonical_event_for

SOURCE = "recall"
#: A call may start this much before / end this much after its event's slot and still belong to it.
LINK_SLACK = timedelta(minutes=15)
#: Tolerance when judging whether List Bots is ordered newest first (join time vs. creation order).
ORDER_SLACK = timedelta(days=1)
#: Current statuses of bots that may still have participant data to collect (the List Bots filter).
WITH_DATA = ("done", "analysis_done", "analysis_failed")


@dataclass
class FetchedBot:
    bot: Bot
    state: str  # collected | no_data | not_ready | not_finished | fatal
    presences: list[Presence] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sync_recall(ctx: JobContext) -> StepResult:
    """One Recall collection cycle; a failing bot is listed in ``problems`` and does not stop the rest.

    Raises :class:`MapperError` only when the bots cannot be listed at all (bad key, API down)."""
    result = StepResult("recall")
    if not ctx.settings.recall.enabled:
        return result
    now = ctx.clock.now()
    listed = list_bots(ctx, now, result.problems)
    result.counts["bots_listed"] = len(listed)
    with session_scope(ctx.engine) as session:
        stored = _stored_extra(session, [bot.id for bot in listed])
    due: list[Bot] = []
    unchanged: list[str] = []
    for bot in listed:
        verdict = triage(bot, stored.get(bot.id))
        if verdict is None:
            due.append(bot)
        else:
            result.counts[verdict] += 1
            if verdict == "bots_unchanged":
                unchanged.append(bot.id)
    ctx.progress.start("recall", len(due))
    with ThreadPoolExecutor(max_workers=ctx.settings.http.concurrency, thread_name_prefix="recall") as pool:
        futures = [pool.submit(fetch_bot, ctx, bot) for bot in due]
        for listed_bot, future in zip(due, futures, strict=True):  # in listing order: deterministic ids
            try:
                fetched = future.result()
            except MapperError as exc:
                result.problems.append(f"recall bot {listed_bot.id}: {exc}")
                result.counts["bots_failed"] += 1
            else:
                result.problems.extend(f"recall bot {listed_bot.id}: {p}" for p in fetched.problems)
                if fetched.state in {"collected", "no_data"}:
                    with session_scope(ctx.engine) as session:
                        result.counts.update(write_bot(session, fetched, listed_bot.digest(), now))
                else:
                    result.counts[f"bots_{fetched.state}"] += 1
            ctx.progress.advance("recall")
    if unchanged:
        with session_scope(ctx.engine) as session:
            result.counts["links_changed"] += relink(session, unchanged)
    return result


def list_bots(ctx: JobContext, now: datetime, problems: list[str]) -> list[Bot]:
    """The finished bots that joined since ``now - recall.lookback_days``, each id once.

    Recall clears ``join_at`` once a bot has joined, and a ``join_at``-filtered List Bots leaves
    such bots out — the very bots worth collecting — so the window is applied here, to
    :func:`bot_time`.  Bots that may carry participant data (:data:`WITH_DATA`) are listed by
    status, every page: Recall's media retention bounds that set and no order is assumed.
    ``media_expired`` bots carry no data and accumulate forever; they are listed only while the
    listing shows itself newest first, until it has gone past the window (see :class:`_Walk`)."""
    since = now - timedelta(days=ctx.settings.recall.lookback_days)
    client = ctx.sources.recall
    skipped: list[str] = []
    bots: dict[str, Bot] = {}

    def keep(bot: Bot) -> None:
        moment = bot_time(bot)
        if moment is not None and moment >= since:
            bots.setdefault(bot.id, bot)

    for bot in client.bots(status=WITH_DATA, problems=skipped):
        keep(bot)
    walk = _Walk(since)
    for bot in client.bots(status=["media_expired"], problems=skipped):
        keep(bot)
        if walk.stop(bot_time(bot)):
            break
    problems.extend(f"recall: {problem}" for problem in skipped)
    return list(bots.values())


def bot_time(bot: Bot) -> datetime | None:
    """When the bot was to join: ``join_at`` while set, else its ``joining_call`` (or first) status change."""
    if bot.join_at is not None:
        return bot.join_at
    joining = next((c.created_at for c in bot.status_changes if c.code == "joining_call" and c.created_at), None)
    return joining or next((c.created_at for c in bot.status_changes if c.created_at), None)


class _Walk:
    """When to stop walking a listing of media-expired bots (the order of List Bots is not
    documented): as soon as it is not newest first (a bot newer than an earlier one by more than
    :data:`ORDER_SLACK`), or once it has shown a drop of more than the slack since its first bot and
    reached a bot more than the slack before the window."""

    def __init__(self, since: datetime) -> None:
        self.since = since
        self.first: datetime | None = None
        self.lowest: datetime | None = None

    def stop(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        if self.first is None or self.lowest is None:
            self.first = self.lowest = moment
            return False
        if moment > self.lowest + ORDER_SLACK:
            return True  # not newest first: finding the window would mean reading every page
        self.lowest = min(self.lowest, moment)
        return moment < self.since - ORDER_SLACK and self.first - moment > ORDER_SLACK


def triage(bot: Bot, stored: dict[str, Any] | None) -> str | None:
    """Why a listed bot needs no API call this cycle (a count name), or None to fetch it."""
    if bot.status in FAILED:
        return "bots_fatal"  # never recorded anything
    if bot.status not in FINISHED:
        return "bots_not_finished"  # still scheduled / in the call / processing the recording
    if stored is not None and stored.get("complete") and stored.get("bot_digest") == bot.digest():
        return "bots_unchanged"
    if bot.status != "media_expired" and bot.participant_data == "processing":
        return "bots_not_ready"  # the listing already says the artifact is not there yet
    return None


def fetch_bot(ctx: JobContext, listed: Bot) -> FetchedBot:
    """Every API call for one bot (no database access: runs in worker threads)."""
    client = ctx.sources.recall
    bot = client.bot(listed.id)
    if bot.status in FAILED:
        return FetchedBot(bot, "fatal")
    if bot.status not in FINISHED:
        return FetchedBot(bot, "not_finished")
    try:
        artifacts = client.artifacts(bot)
    except ArtifactNotReadyError:
        return FetchedBot(bot, "not_ready")
    if not artifacts:
        return FetchedBot(bot, "no_data")
    problems: list[str] = []
    people = client.participants(bot, artifacts=artifacts, problems=problems)
    events = client.participant_events(bot, artifacts=artifacts, problems=problems)
    return FetchedBot(bot, "collected", presences(bot, people, events), problems)


def write_bot(session: Session, fetched: FetchedBot, listed_digest: str, now: datetime) -> dict[str, int]:
    """Upsert the bot's conference (and, when collected, its participants and sessions)."""
    bot = fetched.bot
    existing = session.execute(
        select(col(Conference.platform), col(Conference.meeting_code)).where(
            col(Conference.source) == SOURCE, col(Conference.source_key) == bot.id
        )
    ).first()
    platform = bot.meeting.platform if bot.meeting else bot.meeting_platform
    meeting_code = bot.meeting.meeting_id if bot.meeting else None
    if meeting_code is None and existing is not None and existing.meeting_code:
        platform, meeting_code = existing.platform, existing.meeting_code  # meeting_url cleared since
    collected = fetched.state == "collected"
    data = "ok" if collected else ("expired" if bot.status == "media_expired" else "unavailable")
    values: dict[str, Any] = {
        "source": SOURCE,
        "source_key": bot.id,
        "event_pk": link_event(session, platform, meeting_code, bot.call_start, bot.call_end),
        "platform": platform,
        "meeting_code": meeting_code,
        "start_at": bot.call_start,
        "end_at": bot.call_end,
        "status": bot.status,
        "fetched_at": now,
        "extra": {
            "bot_name": bot.bot_name,
            "recording_ids": [r.id for r in bot.recordings if r.id],
            "metadata": dict(bot.metadata),
            "participant_data": data,
            "bot_digest": listed_digest,
            "complete": True,
        },
    }
    if collected:
        values["participants_digest"] = participants_digest(bot.id, fetched.presences)
    conference_pk = upsert(session, Conference, values, keys=["source", "source_key"])
    counts = {"conferences": 1, "participants": 0, "sessions": 0}
    if not collected:
        counts["bots_media_expired" if data == "expired" else "bots_without_participant_data"] = 1
        return counts
    rows = [_participant_row(conference_pk, bot.id, presence) for presence in fetched.presences]
    pks = upsert_many(session, Participant, rows, keys=["source_key"]) if rows else []
    session_rows = [
        {"participant_pk": pk, "source_key": f"{row['source_key']}:{n}", "start_at": start, "end_at": end}
        for pk, row, presence in zip(pks, rows, fetched.presences, strict=True)
        for n, (start, end) in enumerate(presence.sessions, start=1)
    ]
    if pks:  # sessions are derived data: drop the ones this download no longer produces
        keep = [r["source_key"] for r in session_rows]
        session.execute(
            delete(ParticipantSession).where(
                col(ParticipantSession.participant_pk).in_(pks), col(ParticipantSession.source_key).not_in(keep)
            )
        )
    if session_rows:
        upsert_many(session, ParticipantSession, session_rows, keys=["source_key"], ids=False)
    counts["participants"], counts["sessions"] = len(pks), len(session_rows)
    counts["bots_collected"] = 1
    return counts


def _participant_row(conference_pk: int, bot_id: str, presence: Presence) -> dict[str, Any]:
    p = presence.participant
    return {
        "conference_pk": conference_pk,
        "source_key": f"recall:{bot_id}:{p.id}",
        "kind": p.kind,
        "display_name": p.name,
        "stable_id": p.stable_id,
        "is_host": p.is_host,
        "email_hint": p.email,
        "platform": p.platform,
        "first_join_at": presence.first_join_at,
        "last_leave_at": presence.last_leave_at,
        "extra": {"extra_data": p.extra_data},
    }


def participants_digest(bot_id: str, people: list[Presence]) -> str:
    """Changes whenever the participants or their sessions change (drives re-resolution)."""
    data = [
        [
            bot_id,
            p.participant.id,
            p.participant.kind,
            p.participant.name,
            p.participant.stable_id,
            p.participant.is_host,
            p.participant.email,
            p.participant.platform,
            [[_iso(start), _iso(end)] for start, end in p.sessions],
        ]
        for p in people
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]


def link_event(
    session: Session, platform: str | None, meeting_code: str | None, start: datetime | None, end: datetime | None
) -> int | None:
    """The canonical event of the meeting whose slot overlaps the call most (None: unscheduled)."""
    if not platform or not meeting_code or start is None:
        return None
    end = end if end is not None and end >= start else start
    rows = session.execute(
        select(col(CalendarEvent.meeting_key), col(CalendarEvent.start_at), col(CalendarEvent.end_at)).where(
            col(CalendarEvent.conference_platform) == platform,
            col(CalendarEvent.conference_id) == meeting_code,
            col(CalendarEvent.status) != "cancelled",
            col(CalendarEvent.meeting_key).is_not(None),
            col(CalendarEvent.start_at) <= end + LINK_SLACK,
            col(CalendarEvent.end_at) >= start - LINK_SLACK,
        )
    ).all()
    best: tuple[float, float, str] | None = None
    for row in rows:
        slot_start, slot_end = row.start_at - LINK_SLACK, row.end_at + LINK_SLACK
        padded = (min(end, slot_end) - max(start, slot_start)).total_seconds()
        if not (padded > 0 or (start == end and slot_start <= start <= slot_end)):
            continue
        overlap = max(0.0, (min(end, row.end_at) - max(start, row.start_at)).total_seconds())
        rank = (-overlap, abs((row.start_at - start).total_seconds()), str(row.meeting_key))
        if best is None or rank < best:
            best = rank
    return canonical_event_for(session, best[2]) if best is not None else None


def relink(session: Session, bot_ids: list[str]) -> int:
    """Re-check the event links of stored bots (events may have been synced since); returns changes."""
    changed = 0
    for chunk in (bot_ids[i : i + 500] for i in range(0, len(bot_ids), 500)):
        rows = session.execute(
            select(
                col(Conference.id),
                col(Conference.event_pk),
                col(Conference.platform),
                col(Conference.meeting_code),
                col(Conference.start_at),
                col(Conference.end_at),
            ).where(col(Conference.source) == SOURCE, col(Conference.source_key).in_(chunk))
        ).all()
        for row in rows:
            event_pk = link_event(session, row.platform, row.meeting_code, row.start_at, row.end_at)
            if event_pk != row.event_pk:
                session.execute(update(Conference).where(col(Conference.id) == row.id).values(event_pk=event_pk))
                changed += 1
    return changed


def _stored_extra(session: Session, bot_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in (bot_ids[i : i + 500] for i in range(0, len(bot_ids), 500)):
        rows = session.execute(
            select(col(Conference.source_key), col(Conference.extra)).where(
                col(Conference.source) == SOURCE, col(Conference.source_key).in_(chunk)
            )
        ).all()
        found.update({row.source_key: dict(row.extra or {}) for row in rows})
    return found


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = [
    "LINK_SLACK",
    "ORDER_SLACK",
    "WITH_DATA",
    "FetchedBot",
    "bot_time",
    "fetch_bot",
    "link_event",
    "list_bots",
    "relink",
    "sync_recall",
    "triage",
    "write_bot",
]
