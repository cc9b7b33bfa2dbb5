"""Signed-in participants' ``users/{id}`` → email, through People ``getBatchGet`` (≤ 200 ids a
call, only ids not cached or expired) with Admin Directory ``users.get`` as the fallback.  Every
answer — including "not visible" — is cached for ``people.cache_ttl_hours``."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import Session, col

from mapper.errors import MapperError
from mapper.sources.google.people import Profile, user_number
from mapper.store import session_scope, upsert_many
from mapper.store.tables import Conference, Participant, PersonCache
from mapper.sync.context import JobContext, StepResult


def resolve_profiles(ctx: JobContext) -> StepResult:
    result = StepResult("people")
    now = ctx.clock.now()
    with session_scope(ctx.engine) as session:
        wanted = {
            user_number(user)
            for user in session.execute(
                select(col(Participant.user_id)).where(col(Participant.user_id).is_not(None)).distinct()
            ).scalars()
            if user
        }
        fresh = set(
            session.execute(select(col(PersonCache.user_id)).where(col(PersonCache.expires_at) > now)).scalars()
        )
    missing = sorted(wanted - fresh)
    if not missing:
        return result
    ctx.progress.start("people", len(missing))
    subject = ctx.settings.google.impersonate
    try:
        profiles = ctx.sources.people.batch_get(missing, subject=subject)
    except MapperError as exc:
        result.problems.append(f"people.getBatchGet: {exc}")
        return result
    result.counts["people_looked_up"] = len(missing)
    if ctx.settings.people.directory_fallback:
        admin = ctx.settings.google.directory_admin or subject
        for number in missing:
            profile = profiles.get(number)
            if profile is not None and profile.email:
                continue
            try:
                found = ctx.sources.directory.user(number, subject=admin)
            except MapperError as exc:
                result.problems.append(f"directory.users.get {number}: {exc}")
                continue
            if found is not None and found.email:
                profiles[number] = found
                result.counts["directory_fallbacks"] += 1
    expires = now + timedelta(hours=ctx.settings.people.cache_ttl_hours)
    rows = [_row(number, profiles.get(number), now, expires) for number in missing]
    result.counts["profiles_visible"] = sum(1 for row in rows if row["visible"])
    result.counts["profiles_not_visible"] = len(rows) - result.counts["profiles_visible"]
    with session_scope(ctx.engine) as session:
        upsert_many(session, PersonCache, rows, keys=["user_id"], ids=False)
        result.counts["conferences_to_resolve_again"] = _mark_conferences(session, missing)
    ctx.progress.advance("people", len(missing))
    return result


def _mark_conferences(session: Session, numbers: list[str]) -> int:
    """Conferences whose signed-in users just got an answer must be resolved again."""
    users = [f"users/{number}" for number in numbers]
    marked = 0
    for start in range(0, len(users), 500):
        chunk = users[start : start + 500]
        outcome = session.execute(
            update(Conference)
            .where(
                col(Conference.id).in_(
                    select(col(Participant.conference_pk)).where(col(Participant.user_id).in_(chunk))
                ),
                col(Conference.resolved_digest).is_not(None),
            )
            .values(resolved_digest=None)
        )
        marked += int(getattr(outcome, "rowcount", 0) or 0)
    return marked


def _row(number: str, profile: Profile | None, now: object, expires: object) -> dict[str, object]:
    email = profile.email if profile else None
    return {
        "user_id": number,
        "email": email,
        "display_name": profile.display_name if profile else None,
        "source": profile.source if profile and email else None,
        "visible": email is not None,
        "fetched_at": now,
        "expires_at": expires,
    }


__all__ = ["resolve_profiles"]
