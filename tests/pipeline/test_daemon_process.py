"""``mapper daemon`` as a real process against the sandbox (tests/pipeline/fixtures/daemon-scenario.json:
two calendars, 12 Meet meetings, 47 participants, People entries, a pinned clock).

* SIGTERM while Meet collection is in progress: exit 0 promptly, a consistent store, no ``running``
  job rows; a restart finishes with the same mappings as an uninterrupted run.
* kill -9 at seeded random points inside the jobs, restarting each time: every intermediate store is
  consistent and the final mappings equal the uninterrupted run's.
* A second daemon on the same store (SQLite and PostgreSQL) refuses to start, naming the holder.
* Two concurrent collect / resolve runs on one PostgreSQL store leave no duplicate rows.

The SIGTERM test starts the ``mapper`` console script.  The kill -9 test needs a dozen processes; to
not pay mapper's 2-4 s import each time they are forked from a *launcher* process that imported
``mapper.cli`` once (like a preloading server): each run is still its own process running
``main()`` with the real arguments, signals and exit status.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select as io_select
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy import Table as SATable
from typer.testing import CliRunner

from mapper.cli import app
from mapper.config import Settings
from mapper.pipeline.cycle import build_context
from mapper.pipeline.daemon import Daemon
from mapper.pipeline.jobs import job_specs, run_recorded
from mapper.sandbox import SandboxServer, read_scenario
from mapper.sandbox.config_writer import write_config
from mapper.store import make_engine, upgrade
from mapper.store.tables import Table
from tests.conftest import postgres_schema_url

SCENARIO: dict[str, Any] = read_scenario(Path(__file__).parent / "fixtures" / "daemon-scenario.json")
RECORDS = {
    record["name"]: {p["name"]: {s["name"] for s in p["participantSessions"]} for p in record["participants"]}
    for record in SCENARIO["meet"]["conferenceRecords"]
}
KILLS = 12
SEED = 20250320
#: Natural keys: no two rows may share one (mapping_history: the same change recorded twice).
NATURAL_KEYS = {
    "calendar": ["calendar_id"],
    "calendar_event": ["calendar_pk", "event_id"],
    "invitee": ["event_pk", "email"],
    "event_collection": ["event_pk", "source"],
    "conference": ["source", "source_key"],
    "participant": ["source_key"],
    "participant_session": ["source_key"],
    "mapping": ["participant_pk"],
    "mapping_history": [
        "participant_pk",
        "old_email",
        "old_status",
        "old_method",
        "new_email",
        "new_status",
        "new_method",
    ],
    "person_cache": ["user_id"],
    "learned_identity": ["kind", "key", "email"],
    "lease": ["name"],
}


def mapper_command(config: Path, *args: str) -> list[str]:
    script = Path(sys.executable).with_name("mapper")
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from mapper.cli import main; main()"]
    return [*base, "--config", str(config), *args]


def spawn(config: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(mapper_command(config, "daemon", *args), stdout=out, stderr=subprocess.STDOUT)


LAUNCHER = """
import json, os, sys
from mapper.cli import main

for line in sys.stdin:
    args, log = json.loads(line)
    pid = os.fork()
    if pid == 0:
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        sys.argv = ["mapper", *args]
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Launcher:
    """Runs ``mapper ARGS`` in processes forked from one that imported mapper already."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def start(self, args: list[str], log: Path) -> Run:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([args, str(log)]) + "\n")
        self.proc.stdin.flush()
        return Run(int(self.proc.stdout.readline()), self.proc.stdout)

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


class Run:
    """One forked ``mapper`` process: ``poll()`` / ``wait()`` like :class:`subprocess.Popen`."""

    def __init__(self, pid: int, status: IO[str]) -> None:
        self.pid = pid
        self._status = status
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and io_select.select([self._status], [], [], 0)[0]:
            self.returncode = int(self._status.readline())
        return self.returncode

    def wait(self, timeout: float = 120) -> int:
        if self.returncode is None:
            assert io_select.select([self._status], [], [], timeout)[0], f"mapper process {self.pid} did not exit"
            self.returncode = int(self._status.readline())
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it exited (and was reaped) just now
                os.kill(self.pid, signum)


def table(name: str) -> SATable:
    return Table.metadata.tables[name]


def mappings(engine: Engine) -> list[tuple[Any, ...]]:
    """(participant source key, email, status, method, confidence) of every mapping."""
    participant, mapping = table("participant"), table("mapping")
    query = select(
        participant.c.source_key, mapping.c.email, mapping.c.status, mapping.c.method, mapping.c.confidence
    ).join(participant, participant.c.id == mapping.c.participant_pk)
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(query))


def job_runs(engine: Engine) -> list[tuple[str, str, str | None]]:
    runs = table("job_run")
    with engine.connect() as connection:
        query = select(runs.c.job, runs.c.outcome, runs.c.holder).order_by(runs.c.id)
        return [tuple(row) for row in connection.execute(query)]


def assert_consistent(engine: Engine) -> None:
    """Whole meetings only, every participant of a resolved conference mapped, no duplicates."""
    conference, participant, session = table("conference"), table("participant"), table("participant_session")
    mapping = table("mapping")
    with engine.connect() as connection:
        stored: dict[str, dict[str, set[str]]] = {}
        query = (
            select(conference.c.source_key, participant.c.source_key, session.c.source_key)
            .select_from(conference)
            .outerjoin(participant, participant.c.conference_pk == conference.c.id)
            .outerjoin(session, session.c.participant_pk == participant.c.id)
        )
        for record, person, presence in connection.execute(query):
            people = stored.setdefault(record, {})
            if person is not None:
                people.setdefault(person, set()).update({presence} if presence else set())
        for record, people in stored.items():
            assert people == RECORDS[record], f"{record} is stored incompletely"
        unmapped = connection.execute(
            select(participant.c.source_key)
            .join(conference, conference.c.id == participant.c.conference_pk)
            .where(
                conference.c.resolved_digest.is_not(None),
                participant.c.id.not_in(select(mapping.c.participant_pk)),
            )
        ).all()
        assert not unmapped, f"participants of resolved conferences without a mapping: {unmapped}"
        for name, key in NATURAL_KEYS.items():
            columns = [table(name).c[column] for column in key]
            duplicates = connection.execute(
                select(*columns, func.count()).group_by(*columns).having(func.count() > 1)
            ).all()
            assert not duplicates, f"duplicate {name} rows: {duplicates}"


def wait_for(check: Any, proc: subprocess.Popen[bytes] | Run | None, timeout: float, poll: float = 0.003) -> bool:
    """Poll ``check()`` until true (True) or until ``proc`` exits or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(poll)
    raise AssertionError("timed out waiting for the daemon")


def running(engine: Engine, pid: int, job: str) -> bool:
    runs = table("job_run")
    with engine.connect() as connection:
        found = connection.execute(
            select(runs.c.id).where(runs.c.job == job, runs.c.outcome == "running", runs.c.holder.like(f"%:{pid}:%"))
        ).first()
    return found is not None


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SCENARIO) as server:
        yield server


@dataclass(frozen=True)
class Baseline:
    mappings: list[tuple[Any, ...]]
    resolve_seconds: float


@pytest.fixture(scope="module")
def launcher() -> Iterator[Launcher]:
    started = Launcher()
    yield started
    started.close()


@pytest.fixture(scope="module")
def baseline(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """One uninterrupted run (in-process, no latency): its mappings, and how long resolving took."""
    folder = tmp_path_factory.mktemp("baseline")
    url = f"sqlite:///{folder}/mapper.db"
    settings = write_config(folder / "mapper.toml", SCENARIO, sandbox.url, database_url=url)
    engine = make_engine(url)
    upgrade(engine)
    outcomes = Daemon(settings).run_once(handle_signals=False)
    assert [o.outcome for o in outcomes] == ["ok"] * 5, outcomes
    result = mappings(engine)
    assert len(result) == sum(len(people) for people in RECORDS.values())
    runs = table("job_run")
    with engine.connect() as connection:
        started, finished = connection.execute(
            select(runs.c.started_at, runs.c.finished_at).where(runs.c.job == "resolve")
        ).one()
    engine.dispose()
    return Baseline(result, (finished - started).total_seconds())


@pytest.fixture
def store(tmp_path: Path, sandbox: SandboxServer) -> Iterator[tuple[Path, Engine]]:
    """A migrated SQLite store and a config pointing at the sandbox (faults reset afterwards)."""
    url = f"sqlite:///{tmp_path}/mapper.db"
    write_config(tmp_path / "mapper.toml", SCENARIO, sandbox.url, database_url=url)
    engine = make_engine(url)
    upgrade(engine)
    yield tmp_path / "mapper.toml", engine
    sandbox.set_faults("")
    engine.dispose()


def test_sigterm_mid_cycle_exits_cleanly_and_leaves_a_consistent_store(
    sandbox: SandboxServer,
    store: tuple[Path, Engine],
    baseline: Baseline,
    launcher: Launcher,
    tmp_path: Path,
) -> None:
    config, engine = store
    sandbox.set_faults("meet:latency=60ms")
    proc = spawn(config, log=tmp_path / "daemon.log")
    try:
        conferences = table("conference")

        def some_collected() -> bool:
            with engine.connect() as connection:
                return bool(connection.execute(select(func.count()).select_from(conferences)).scalar_one())

        assert wait_for(lambda: running(engine, proc.pid, "meet_collect"), proc, 30)
        assert wait_for(some_collected, proc, 30)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        stopped_after = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = (tmp_path / "daemon.log").read_text()
    assert "SIGTERM: finishing the current item, then stopping" in log, log
    assert stopped_after < 10, log
    runs = job_runs(engine)
    assert [(job, outcome) for job, outcome, _ in runs] == [("calendar_sync", "ok"), ("meet_collect", "partial")]
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(conferences)).scalar_one()
        error = connection.execute(text("select error from job_run where job = 'meet_collect'")).scalar_one()
        assert connection.execute(text("select count(*) from lease")).scalar_one() == 0
    assert 0 < stored < len(RECORDS)
    assert "stopped by shutdown" in error
    assert_consistent(engine)
    sandbox.set_faults("")
    finish = launcher.start(["--config", str(config), "daemon", "--once"], tmp_path / "finish.log")
    assert finish.wait() == 0, (tmp_path / "finish.log").read_text()
    assert_consistent(engine)
    assert mappings(engine) == baseline.mappings


def work_left(engine: Engine) -> list[str]:
    """Jobs worth aiming at: those with work left in the current phase (collect, then resolve)."""
    conference = table("conference")
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(conference)).scalar_one()
        resolved = connection.execute(
            select(func.count()).select_from(conference).where(conference.c.resolved_digest.is_not(None))
        ).scalar_one()
    if stored < len(RECORDS):
        return ["calendar_sync", "meet_collect", "meet_collect", "meet_collect"]
    if resolved < len(RECORDS):
        return ["calendar_sync", "resolve", "resolve", "resolve"]
    return ["calendar_sync", "daily_report"]


def strike(engine: Engine, proc: Run, aim: str, delay: float) -> None:
    """SIGKILL ``proc`` ``delay`` seconds into ``aim`` — or the moment ``aim`` ends, if sooner."""
    if not wait_for(lambda: running(engine, proc.pid, aim), proc, 60):
        return  # it finished without running ``aim``
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and running(engine, proc.pid, aim):
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)


def running_jobs(engine: Engine, pid: int) -> list[str]:
    runs = table("job_run")
    with engine.connect() as connection:
        query = select(runs.c.job).where(runs.c.outcome == "running", runs.c.holder.like(f"%:{pid}:%"))
        return list(connection.execute(query).scalars())


def test_kill_9_at_random_points_converges_to_the_uninterrupted_run(
    sandbox: SandboxServer,
    store: tuple[Path, Engine],
    baseline: Baseline,
    launcher: Launcher,
    tmp_path: Path,
) -> None:
    config, engine = store
    sandbox.set_faults("calendar:latency=80ms;meet:latency=60ms;people:latency=80ms;directory:latency=80ms")
    rng = random.Random(SEED)
    # Aim each kill at a job with work left and strike a random time after it started (at the
    # latest when it ends): kills land between items, inside a transaction, between two jobs...
    reach = {"calendar_sync": 0.25, "meet_collect": 1.3, "resolve": baseline.resolve_seconds, "daily_report": 0.02}
    kills: list[tuple[str, float, list[str]]] = []  # (aim, delay, jobs running when it died)
    finished = 0
    for attempt in range(3 * KILLS):
        if len(kills) >= KILLS:
            break
        aims = work_left(engine)
        if len(kills) >= KILLS - 3 and "meet_collect" in aims:
            aims = ["resolve"]  # the last kills let collection finish and strike while resolving
        aim = rng.choice(aims)
        delay = rng.uniform(0, reach[aim])
        proc = launcher.start(["--config", str(config), "daemon", "--once"], tmp_path / "daemon.log")
        try:
            strike(engine, proc, aim, delay)
        finally:
            proc.wait()
        if proc.returncode == -signal.SIGKILL:
            kills.append((aim, round(delay, 3), running_jobs(engine, proc.pid)))
        else:
            assert proc.returncode == 0, f"attempt {attempt}: exit {proc.returncode}"
            finished += 1
        assert_consistent(engine)  # after every kill: whole items only
    assert len(kills) == KILLS, (kills, finished)
    lease = table("lease")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(lease)).scalar_one() == 1  # the last victim's
    sandbox.set_faults("")
    final = launcher.start(["--config", str(config), "daemon", "--once"], tmp_path / "final.log")
    assert final.wait() == 0, (tmp_path / "final.log").read_text()
    assert_consistent(engine)
    assert mappings(engine) == baseline.mappings
    outcomes = Counter(outcome for _, outcome, _ in job_runs(engine))
    hits = Counter(job for _, _, jobs in kills for job in jobs)
    assert outcomes["running"] == 0
    assert outcomes["abandoned"] == sum(hits.values())  # each interrupted run found and marked
    assert hits["meet_collect"] and hits["resolve"], "; ".join(f"{a}->{j}" for a, _, j in kills)
    print(f"\nkill -9: {len(kills)} kills, {finished} run(s) finished first; killed inside {dict(hits)}; {kills}")


def test_a_second_daemon_refuses_to_start(store_url: str, tmp_path: Path) -> None:
    engine = make_engine(store_url)
    upgrade(engine)
    config = tmp_path / "mapper.toml"
    config.write_text(f'[database]\nurl = "{store_url}"\n[google]\ncredentials = "none"\n')
    first = Daemon(Settings(database={"url": store_url}, google={"credentials": "none"}))
    first.open()
    try:
        second = CliRunner().invoke(app, ["--config", str(config), "daemon"])
    finally:
        first.shutdown()
        engine.dispose()
    assert second.exit_code == 2
    assert f"error: another mapper daemon holds the 'daemon' lease on this store: {first.holder}" in second.output
    assert "expires" in second.output


@pytest.mark.postgres
def test_concurrent_collect_and_resolve_on_postgres_leave_no_duplicates(sandbox: SandboxServer, tmp_path: Path) -> None:
    url = next(schema := postgres_schema_url())
    try:
        settings = write_config(tmp_path / "mapper.toml", SCENARIO, sandbox.url, database_url=url)
        admin = make_engine(url)
        upgrade(admin)
        sandbox.set_faults("meet:latency=10ms")
        contexts = [build_context(settings), build_context(settings)]
        steps = {spec.name: spec.step for spec in job_specs(settings)}
        run_recorded("calendar_sync", steps["calendar_sync"], contexts[0], "test:1:a")
        outcomes: dict[str, list[str]] = {}
        for job in ("meet_collect", "resolve"):
            barrier = threading.Barrier(2)
            results: list[str] = []

            def run(
                index: int, job: str = job, barrier: threading.Barrier = barrier, results: list[str] = results
            ) -> None:
                barrier.wait()
                results.append(run_recorded(job, steps[job], contexts[index], f"test:{index}:b").outcome)

            threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            outcomes[job] = results
        assert outcomes["meet_collect"] == ["ok", "ok"]  # idempotent upserts: both succeed
        assert len(outcomes["resolve"]) == 2
        assert_consistent(admin)
        run_recorded("resolve", steps["resolve"], contexts[0], "test:0:c")  # whatever a racing loser left
        assert_consistent(admin)
        with admin.connect() as connection:
            counts = {
                name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in ("conference", "participant", "participant_session", "mapping")
            }
        sessions = sum(len(s) for people in RECORDS.values() for s in people.values())
        participants = sum(len(people) for people in RECORDS.values())
        assert counts == {
            "conference": len(RECORDS),
            "participant": participants,
            "participant_session": sessions,
            "mapping": participants,
        }
        for ctx in contexts:
            ctx.sources.close()
            ctx.engine.dispose()
        admin.dispose()
    finally:
        sandbox.set_faults("")
        next(schema, None)  # drops the schema
