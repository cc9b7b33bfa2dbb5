"""``mapper sandbox generate``: write a synthetic organisation's scenario and its ground truth."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from mapper.cli.sandbox import sandbox_app
from mapper.clock import utc
from mapper.errors import ConfigError
from mapper.sandbox.generate import DEFAULT_NOW, generate, truth_file_for, write


def _now(text: str | None) -> datetime:
    if text is None:
        return DEFAULT_NOW
    try:
        return utc(text)
    except ValueError:
        raise ConfigError(f"--now: not an RFC 3339 timestamp with an offset: {text!r}") from None


@sandbox_app.command("generate")
def generate_command(
    users: Annotated[int, typer.Option("--users", help="Users in the organisation.", min=2)],
    days: Annotated[int, typer.Option("--days", help="Days of meetings, ending the midnight before --now.", min=1)],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same arguments, same bytes.")],
    output: Annotated[Path, typer.Option("--output", help="Scenario JSON file to write.", dir_okay=False)],
    recall_share: Annotated[
        float, typer.Option("--recall-share", help="Share of meetings a Recall.ai bot records.", min=0.0, max=1.0)
    ] = 0.25,
    truth: Annotated[
        Path | None,
        typer.Option(
            "--truth", help="Ground-truth file (default: OUTPUT with .truth.json).", dir_okay=False, show_default=False
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="The sandbox's pinned clock, RFC 3339 (default 2025-06-03T05:00:00Z).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Generate a realistic organisation: calendars, Meet calls, Recall bots and the truth about them.

    Prints one line saying what was written.
    """
    scenario, facts = generate(users, days, seed, recall_share, now=_now(now))
    truth_path = write(scenario, facts, output, truth or truth_file_for(output))
    sizes, counts = facts["sizes"], facts["counts"]
    typer.echo(
        f"wrote {output} ({sizes['calendars']} calendars, {sizes['events']} events in {sizes['event_copies']} copies, "
        f"{sizes['conference_records']} conference records, {sizes['bots']} bots) and {truth_path} "
        f"({counts['participants']} participants, {counts['meetings']} meetings)"
    )


__all__ = ["generate_command"]
