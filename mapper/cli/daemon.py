"""``mapper daemon``: run every job on its schedule until SIGTERM / SIGINT (see docs/DAEMON.md)."""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict
from typing import Annotated

import typer

from mapper.cli.app import app, state
from mapper.pipeline.daemon import SHUTDOWN_TIMEOUT, Daemon
from mapper.pipeline.jobs import job_specs


@app.command("daemon")
def daemon(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Run every job once, in cycle order, then exit (no scheduling).")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="JOB", help="With --once: run only this job (repeatable).", show_default=False),
    ] = None,
    shutdown_timeout: Annotated[
        float,
        typer.Option(help="Seconds to wait for the running job after SIGTERM before abandoning its item."),
    ] = SHUTDOWN_TIMEOUT,
    as_json: Annotated[bool, typer.Option("--json", help="With --once: print the job outcomes as JSON.")] = False,
) -> None:
    """Sync, collect, resolve, report and purge on the configured schedule; one daemon per store."""
    settings = state(ctx).settings()
    logging.basicConfig(
        level=settings.logging.level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if (only or as_json) and not once:
        raise typer.BadParameter("--only and --json go with --once", param_hint="--once")
    known = [spec.name for spec in job_specs(settings)]
    unknown = sorted(set(only or ()) - set(known))
    if unknown:
        raise typer.BadParameter(f"unknown job(s) {', '.join(unknown)} (jobs: {', '.join(known)})", param_hint="--only")
    runner = Daemon(settings, shutdown_timeout=shutdown_timeout)
    if once:
        outcomes = runner.run_once(only or ())
        if as_json:
            typer.echo(json.dumps([asdict(outcome) for outcome in outcomes], indent=2))
        else:
            for outcome in outcomes:
                counts = ", ".join(f"{k}={v}" for k, v in outcome.counts.items() if v) or "-"
                typer.echo(f"{outcome.name:<16} {outcome.outcome:<8} {counts}")
                for line in (outcome.error or "").splitlines()[:5]:
                    typer.echo(f"    {line}")
        code = runner.exit_code or (1 if any(o.outcome == "failed" for o in outcomes) else 0)
    else:
        code = runner.run()
    if runner.abandoned:  # a worker thread is still inside an item: leave without waiting for it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise typer.Exit(code)
