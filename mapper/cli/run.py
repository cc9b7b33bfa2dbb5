"""``mapper run-once`` (one full cycle) and ``mapper resolve`` (only the matching step)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mapper.cli.app import app, state
from mapper.cli.progress import RichProgress
from mapper.pipeline.cycle import CycleReport, open_context, run_cycle, store_summary
from mapper.pipeline.resolve import resolve_conferences

JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")]


@app.command("run-once")
def run_once(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Sync calendars, collect Meet and Recall participants, resolve them: one cycle, then a summary."""
    settings = state(ctx).settings()
    with RichProgress(enabled=sys.stderr.isatty()) as progress, open_context(settings, progress=progress) as job:
        report = run_cycle(job)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        print_summary(report, Console())


@app.command("resolve")
def resolve(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Match every conference whose participants, invitees or knowledge changed."""
    settings = state(ctx).settings()
    with RichProgress(enabled=sys.stderr.isatty()) as progress, open_context(settings, progress=progress) as job:
        result = resolve_conferences(job)
        store = store_summary(job)
    if as_json:
        typer.echo(json.dumps({"counts": dict(result.counts), "problems": result.problems, "store": store}, indent=2))
        return
    console = Console()
    console.print(f"resolved {result.counts['conferences']} conference(s); store: {_store_line(store)}")
    for problem in result.problems:
        console.print(f"  [red]problem[/red] {problem}")


def _store_line(store: dict[str, int]) -> str:
    keys = ("events", "conferences", "participants", "resolved", "ambiguous", "unresolved", "not_a_person", "pending")
    return ", ".join(f"{store.get(key, 0)} {key.replace('_', ' ')}" for key in keys)


def print_summary(report: CycleReport, console: Console) -> None:
    """The one-screen summary of a cycle."""
    store = report.store
    people = sum(store.get(key, 0) for key in ("resolved", "ambiguous", "unresolved"))
    coverage = f"{store.get('resolved', 0) / people:.1%}" if people else "n/a"
    console.rule(f"cycle finished in {report.seconds:.1f}s")
    table = Table(title="store", show_header=True, header_style="bold")
    for key in (
        "events",
        "conferences",
        "participants",
        "resolved",
        "ambiguous",
        "unresolved",
        "not_a_person",
        "pending",
    ):
        table.add_column(key.replace("_", " "), justify="right")
    table.add_row(
        *(
            str(store.get(key, 0))
            for key in (
                "events",
                "conferences",
                "participants",
                "resolved",
                "ambiguous",
                "unresolved",
                "not_a_person",
                "pending",
            )
        )
    )
    console.print(table)
    console.print(f"resolution coverage of people: [bold]{coverage}[/bold]")
    steps = Table(title="steps", show_header=True, header_style="bold")
    steps.add_column("step")
    steps.add_column("counts")
    for step in report.steps:
        steps.add_row(step.step, ", ".join(f"{k}={v}" for k, v in sorted(step.counts.items()) if v) or "-")
    for name, error in report.failed_steps.items():
        steps.add_row(f"[red]{name}[/red]", f"[red]failed: {error}[/red]")
    console.print(steps)
    by_service: dict[str, int] = {}
    for method, count in report.api_calls.items():
        by_service[method.split(".")[0]] = by_service.get(method.split(".")[0], 0) + count
    console.print("API calls: " + (", ".join(f"{k} {v}" for k, v in sorted(by_service.items())) or "none"))
    problems = report.problems
    if problems:
        console.print(f"[yellow]{len(problems)} problem(s):[/yellow]")
        for problem in problems[:15]:
            console.print(f"  - {problem}")
        if len(problems) > 15:
            console.print(f"  … and {len(problems) - 15} more (use --json for all)")
