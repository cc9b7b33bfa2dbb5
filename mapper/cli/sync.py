"""``mapper sync``: pull data from the sources into the store (calendars, meet, recall).

Each command builds a :class:`JobContext` from the settings, runs one step and prints its counts,
item-level problems and API calls per method (``--json`` for programs).  The exit status is 0 when
the step ran, even if some items failed (they are listed); a step that could not run at all (bad
credentials, unreachable API, store not migrated) exits 2 through the CLI's error boundary.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from mapper.cli.app import app, state
from mapper.cli.progress import RichProgress
from mapper.errors import ConfigError
from mapper.pipeline.cycle import open_context
from mapper.sync.context import JobContext, StepResult

sync_app = typer.Typer(help="Pull data from the sources into the store.", no_args_is_help=True)
app.add_typer(sync_app, name="sync")

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def run_step(ctx: typer.Context, step: Callable[[JobContext], StepResult], as_json: bool) -> None:
    settings = state(ctx).settings()
    with (
        RichProgress(enabled=not as_json and sys.stderr.isatty()) as progress,
        open_context(settings, progress=progress) as job,
    ):
        result = step(job)
    print_result(result, job.sources.counter.calls(), as_json=as_json)


def print_result(result: StepResult, calls: dict[str, int], *, as_json: bool) -> None:
    if as_json:
        data = {
            "step": result.step,
            "counts": dict(sorted(result.counts.items())),
            "problems": result.problems,
            "api_calls": calls,
        }
        typer.echo(json.dumps(data, indent=2))
        return
    counts = ", ".join(f"{key}={value}" for key, value in sorted(result.counts.items()) if value) or "nothing to do"
    typer.echo(f"{result.step}: {counts}")
    if calls:
        typer.echo("api calls: " + ", ".join(f"{method}={count}" for method, count in calls.items()))
    if result.problems:
        typer.echo(f"{len(result.problems)} problem(s):")
        for problem in result.problems:
            typer.echo(f"  - {problem}")


@sync_app.command("calendars")
def sync_calendars_cmd(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Sync the configured calendars (incremental after the first run)."""
    from mapper.sync.calendars import sync_calendars

    run_step(ctx, lambda job: sync_calendars(job), as_json)


@sync_app.command("meet")
def sync_meet_cmd(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Collect Google Meet participants of meetings that have ended."""
    from mapper.sync.meet import collect_meet

    run_step(ctx, lambda job: collect_meet(job), as_json)


@sync_app.command("recall")
def sync_recall_cmd(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Collect participants from finished Recall.ai bots and link them to calendar events."""
    from mapper.sync.recall import sync_recall

    if not state(ctx).settings().recall.enabled:
        raise ConfigError(
            "config error: recall.enabled: is false; set it to true to sync Recall.ai", key="recall.enabled"
        )
    run_step(ctx, sync_recall, as_json)


__all__ = ["print_result", "run_step", "sync_app"]
