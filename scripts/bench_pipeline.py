"""Pipeline benchmark (run through scripts/bench_pipeline).

1. ``mapper.sandbox.generate``: a synthetic organisation (default 1,000 users, 30 days).
2. ``mapper sandbox serve`` in a separate process (its own core), ``--write-config``.
3. One cycle in this process (calendars → Meet → Recall → resolve), timed per step.
4. API calls per method (the sandbox's own counts) against the lower bound of the Sources issue:
   Calendar ceil(events/2500) per calendar; Meet 1 conferenceRecords.list per meeting +
   ceil(P/250) participant pages per record (+ ceil(S/250) session pages per participant) +
   ceil(U/200) getBatchGet; Recall one retrieve and two downloads per finished bot.
5. Precision / recall against the generator's ground truth.
6. Lookup latency: a separate SQLite store with >= 1M mappings written directly, then 10,000
   random participant lookups through ``mapper.Mapper`` (p50 / p99), plus meeting-code and email
   lookups.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from mapper.api import Mapper  # noqa: E402
from mapper.config import load_config  # noqa: E402
from mapper.pipeline.cycle import build_context, steps, store_summary  # noqa: E402
from mapper.pipeline.evaluate import score, stored_decisions  # noqa: E402
from mapper.sandbox.generate import generate, write  # noqa: E402
from mapper.sandbox.server import fetch_json  # noqa: E402
from mapper.store import make_engine, upgrade  # noqa: E402
from mapper.store.tables import (  # noqa: E402
    Calendar,
    CalendarEvent,
    Conference,
    EventCollection,
    Mapping,
    Participant,
    ParticipantSession,
    PersonCache,
)


def generate_world(work: Path, users: int, days: int, seed: int, recall_share: float) -> tuple[Path, dict[str, Any]]:
    started = time.perf_counter()
    scenario, truth = generate(users, days, seed, recall_share)
    path = work / "scenario.json"
    write(scenario, truth, path)
    seconds = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    print(f"generated {users} users x {days} days in {seconds:.1f}s: {truth['sizes']} ({size:.1f} MB)")
    return path, {"seconds": round(seconds, 1), "sizes": truth["sizes"], "megabytes": round(size, 1), "truth": truth}


def start_sandbox(scenario: Path, config: Path, database: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mapper.cli.__main__",
            "sandbox",
            "serve",
            "--scenario",
            str(scenario),
            "--port",
            "0",
            "--write-config",
            str(config),
            "--database-url",
            f"sqlite:///{database}",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("sandbox listening on "):
        process.kill()
        raise SystemExit(f"sandbox did not start: {line!r}")
    return process, line.rsplit(" ", 1)[-1]


def lower_bound(engine: Any, fetch_sessions: bool) -> dict[str, int]:
    with engine.connect() as c:
        per_calendar = c.execute(
            select(CalendarEvent.calendar_pk, func.count()).group_by(CalendarEvent.calendar_pk)
        ).all()
        calendars = c.execute(select(func.count()).select_from(Calendar)).scalar_one()
        meetings = c.execute(
            select(func.count()).select_from(EventCollection).where(EventCollection.source == "meet")
        ).scalar_one()
        per_record = (
            c.execute(
                select(func.count(Participant.id))
                .select_from(Conference)
                .outerjoin(Participant, Participant.conference_pk == Conference.id)
                .where(Conference.source == "meet")
                .group_by(Conference.id)
            )
            .scalars()
            .all()
        )
        per_participant = (
            c.execute(
                select(func.count(ParticipantSession.id))
                .select_from(Participant)
                .join(Conference, Conference.id == Participant.conference_pk)
                .outerjoin(ParticipantSession, ParticipantSession.participant_pk == Participant.id)
                .where(Conference.source == "meet")
                .group_by(Participant.id)
            )
            .scalars()
            .all()
        )
        users = c.execute(select(func.count()).select_from(PersonCache)).scalar_one()
        bots = c.execute(select(func.count()).select_from(Conference).where(Conference.source == "recall")).scalar_one()
        bots_with_data = c.execute(
            select(func.count(func.distinct(Participant.conference_pk)))
            .join(Conference, Conference.id == Participant.conference_pk)
            .where(Conference.source == "recall")
        ).scalar_one()
    empty_calendars = calendars - len(per_calendar)
    bound = {
        "calendar.events.list": sum(math.ceil(n / 2500) for _, n in per_calendar) + empty_calendars,
        "meet.conferenceRecords.list": meetings,
        "meet.conferenceRecords.participants.list": sum(max(1, math.ceil(p / 250)) for p in per_record),
        "people.people.getBatchGet": math.ceil(users / 200),
        "recall.bot.retrieve": bots,
        "recall.download.participants": bots_with_data,
        "recall.download.participant_events": bots_with_data,
    }
    if fetch_sessions:
        bound["meet.conferenceRecords.participants.participantSessions.list"] = sum(
            max(1, math.ceil(s / 250)) for s in per_participant
        )
    return bound


def run_cycle_timed(config: Path, concurrency: int) -> dict[str, Any]:
    os.environ["MAPPER_HTTP__CONCURRENCY"] = str(concurrency)
    settings = load_config(config)
    engine = make_engine(settings.database.url)
    upgrade(engine)
    ctx = build_context(settings)
    timings: dict[str, float] = {}
    counts: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    started = time.perf_counter()
    for name, step in steps(settings):
        t0 = time.perf_counter()
        result = step(ctx)
        timings[name] = round(time.perf_counter() - t0, 1)
        counts[name] = dict(result.counts)
        problems.extend(result.problems)
    wall = time.perf_counter() - started
    ctx.sources.close()
    return {
        "wall_seconds": round(wall, 1),
        "steps_seconds": timings,
        "counts": counts,
        "problems": problems,
        "store": store_summary(ctx),
        "engine": engine,
        "settings": settings,
    }


def build_lookup_store(path: Path, mappings: int, seed: int) -> tuple[Any, list[str], list[str], list[str]]:
    """A store with ``mappings`` participants, each mapped, written directly (10 per conference)."""
    if path.exists():
        path.unlink()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(seed)
    per = 10
    conferences = mappings // per
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    emails = [f"user{i}@corp.example" for i in range(20_000)]
    codes = [f"{i:03d}-code-{i % 977:03d}" for i in range(conferences)]
    started = time.perf_counter()
    with engine.begin() as c:
        c.execute(insert(Calendar), [{"calendar_id": "bench@corp.example"}])
        c.execute(
            insert(CalendarEvent),
            [
                {
                    "calendar_pk": 1,
                    "event_id": f"ev{i}",
                    "meeting_key": f"ev{i}|x",
                    "status": "confirmed",
                    "start_at": t0 + timedelta(minutes=30 * i),
                    "end_at": t0 + timedelta(minutes=30 * i + 30),
                    "all_day": False,
                    "attendees_omitted": False,
                }
                for i in range(conferences)
            ],
        )
        c.execute(
            insert(Conference),
            [
                {
                    "source": "meet",
                    "source_key": f"conferenceRecords/b{i}",
                    "event_pk": i + 1,
                    "platform": "google_meet",
                    "meeting_code": codes[i],
                    "start_at": t0 + timedelta(minutes=30 * i),
                    "end_at": t0 + timedelta(minutes=30 * i + 30),
                    "extra": {},
                }
                for i in range(conferences)
            ],
        )
        for chunk in range(0, mappings, 100_000):
            ids = range(chunk, min(mappings, chunk + 100_000))
            c.execute(
                insert(Participant),
                [
                    {
                        "conference_pk": i // per + 1,
                        "source_key": f"conferenceRecords/b{i // per}/participants/p{i}",
                        "kind": "signed_in",
                        "display_name": f"Person {i}",
                        "extra": {},
                    }
                    for i in ids
                ],
            )
            c.execute(
                insert(ParticipantSession),
                [
                    {
                        "participant_pk": i + 1,
                        "source_key": f"conferenceRecords/b{i // per}/participants/p{i}/s",
                        "start_at": t0 + timedelta(minutes=30 * (i // per)),
                        "end_at": t0 + timedelta(minutes=30 * (i // per) + 25),
                    }
                    for i in ids
                ],
            )
            c.execute(
                insert(Mapping),
                [
                    {
                        "participant_pk": i + 1,
                        "email": emails[rng.randrange(len(emails))],
                        "status": "resolved",
                        "method": "people_api",
                        "confidence": 0.99,
                        "candidates": [],
                        "evidence": {},
                        "resolved_at": now,
                    }
                    for i in ids
                ],
            )
        c.execute(text("ANALYZE"))
    print(f"lookup store: {mappings:,} mappings written in {time.perf_counter() - started:.0f}s")
    keys = [f"conferenceRecords/b{i // per}/participants/p{i}" for i in rng.sample(range(mappings), 10_000)]
    return engine, keys, [codes[rng.randrange(conferences)] for _ in range(1000)], emails


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_lookups(engine: Any, keys: list[str], codes: list[str], emails: list[str], count: int) -> dict[str, Any]:
    settings = load_config(None) if os.environ.get("MAPPER_CONFIG") else None
    from mapper.config import Settings

    mapper = Mapper(settings or Settings(google={"credentials": "none"}), engine=engine)
    for key in keys[:200]:  # warm the page cache
        mapper.participant(key)
    times = []
    for key in keys[:count]:
        t0 = time.perf_counter()
        found = mapper.participant(key)
        times.append((time.perf_counter() - t0) * 1000)
        assert found is not None
    code_times = []
    for code in codes:
        t0 = time.perf_counter()
        mapper.meeting_code(code)
        code_times.append((time.perf_counter() - t0) * 1000)
    email_times = []
    for email in emails[:300]:
        t0 = time.perf_counter()
        mapper.attended(email, "2024-01-01", "2024-02-01")
        email_times.append((time.perf_counter() - t0) * 1000)
    return {
        "participant_ms": {
            "p50": round(statistics.median(times), 3),
            "p99": round(percentile(times, 0.99), 3),
            "n": len(times),
        },
        "meeting_code_ms": {
            "p50": round(statistics.median(code_times), 3),
            "p99": round(percentile(code_times, 0.99), 3),
            "n": len(code_times),
        },
        "email_month_ms": {
            "p50": round(statistics.median(email_times), 3),
            "p99": round(percentile(email_times, 0.99), 3),
            "n": len(email_times),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="mapper pipeline benchmark")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--recall-share", type=float, default=0.25)
    parser.add_argument("--concurrency", type=int, default=8, help="parallel API requests per source")
    parser.add_argument("--mappings", type=int, default=1_000_000, help="size of the lookup store")
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--skip-cycle", action="store_true")
    parser.add_argument("--skip-lookups", action="store_true")
    args = parser.parse_args()
    work = ROOT / ".bench" / "pipeline"
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"machine": {"cpus": os.cpu_count()}, "args": vars(args)}
    if not args.skip_cycle:
        scenario, generated = generate_world(work, args.users, args.days, args.seed, args.recall_share)
        truth = generated.pop("truth")
        result["generate"] = generated
        database = work / "mapper.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        process, url = start_sandbox(scenario, work / "mapper.toml", database)
        try:
            cycle = run_cycle_timed(work / "mapper.toml", args.concurrency)
            engine, settings = cycle.pop("engine"), cycle.pop("settings")
            actual = fetch_json(f"{url}/_sandbox/stats")["requests"]
        finally:
            process.terminate()
            process.wait(timeout=30)
        bound = lower_bound(engine, settings.meet.fetch_sessions)
        accuracy = score(stored_decisions(engine), truth).to_json()
        accuracy.pop("wrong")
        cycle["problems"] = cycle["problems"][:20]
        result["cycle"] = cycle
        result["api_calls"] = {
            method: {"actual": actual.get(method, 0), "lower_bound": bound.get(method)}
            for method in sorted(set(actual) | set(bound))
        }
        result["accuracy"] = accuracy
        print(f"cycle: {cycle['wall_seconds']}s {cycle['steps_seconds']}  store {cycle['store']}")
        print("API calls (actual / lower bound):")
        for method, pair in result["api_calls"].items():
            bound_text = "-" if pair["lower_bound"] is None else pair["lower_bound"]
            print(f"  {method:<62} {pair['actual']:>8} / {bound_text}")
        print(
            f"accuracy: precision {accuracy['precision']} recall {accuracy['recall']} "
            f"({accuracy['correct']}/{accuracy['emails_given']} right; uninvited given someone else's email: "
            f"{accuracy['uninvited_given_someone_elses']})"
        )
    if not args.skip_lookups:
        engine, keys, codes, emails = build_lookup_store(work / "lookup.db", args.mappings, args.seed)
        result["lookups"] = measure_lookups(engine, keys, codes, emails, args.lookups)
        print(f"lookups on {args.mappings:,} mappings: {result['lookups']}")
    (work / "result.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"figures saved to {work / 'result.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
