"""``mapper lookup`` and ``mapper correct``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mapper.api import Mapper
from mapper.cli.app import app, state
from mapper.errors import DataError
from mapper.lookup import ParticipantMapping


@app.command("lookup")
def lookup_command(
    ctx: typer.Context,
    meeting_code: Annotated[
        str | None, typer.Option("--meeting-code", help="Meet code or platform meeting id.")
    ] = None,
    recall_bot: Annotated[str | None, typer.Option("--recall-bot", help="Recall.ai bot id.")] = None,
    event: Annotated[str | None, typer.Option("--event", help="Google Calendar event id.")] = None,
    participant: Annotated[str | None, typer.Option("--participant", help="A participant's source key.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Meetings this email attended.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Only conferences starting on this UTC day (YYYY-MM-DD).")
    ] = None,
    days: Annotated[int, typer.Option("--days", help="With --email and no --on: look back this many days.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of objects.")] = False,
) -> None:
    """Who was who: mappings of a meeting code, Recall bot, event or participant; or an email's meetings."""
    chosen = [
        name
        for name, value in (
            ("--meeting-code", meeting_code),
            ("--recall-bot", recall_bot),
            ("--event", event),
            ("--participant", participant),
            ("--email", email),
        )
        if value
    ]
    if len(chosen) != 1:
        raise DataError("give exactly one of --meeting-code, --recall-bot, --event, --participant, --email")
    with Mapper.open(state(ctx).settings()) as mapper:
        if email:
            if on:
                start = datetime.fromisoformat(on).replace(tzinfo=UTC)
                end = start + timedelta(days=1)
            else:
                end = mapper.clock.now()
                start = end - timedelta(days=days)
            attendance = mapper.attended(email, start, end)
            if as_json:
                typer.echo(json.dumps([row.to_json() for row in attendance], indent=2))
                return
            table = Table("scheduled", "meeting", "conference", "joined", "left", "minutes", "method")
            for row in attendance:
                table.add_row(
                    _t(row.scheduled_start),
                    row.summary or "-",
                    row.conference,
                    _t(row.joined),
                    _t(row.left),
                    f"{row.seconds_present / 60:.0f}",
                    f"{row.method} {row.confidence:.2f}",
                )
            Console().print(table)
            return
        if participant:
            found = mapper.participant(participant)
            rows = [found] if found else []
        elif meeting_code:
            rows = mapper.meeting_code(meeting_code, on)
        elif recall_bot:
            rows = mapper.recall_bot(recall_bot, on)
        else:
            assert event is not None
            rows = mapper.event(event, on)
    if as_json:
        typer.echo(json.dumps([row.to_json() for row in rows], indent=2))
        return
    print_rows(rows, Console())


def print_rows(rows: list[ParticipantMapping], console: Console) -> None:
    if not rows:
        console.print("no participants found")
        return
    table = Table("participant", "display name", "email", "status", "method", "conf.", "joined", "minutes")
    for row in rows:
        style = {"resolved": "green", "ambiguous": "yellow", "unresolved": "red"}.get(row.status, "dim")
        table.add_row(
            row.participant,
            row.display_name or "",
            row.email or "-",
            f"[{style}]{row.status}[/{style}]",
            row.method or "-",
            f"{row.confidence:.2f}" if row.confidence is not None else "-",
            _t(row.joined),
            f"{row.seconds_present / 60:.0f}",
        )
    console.print(table)


def _t(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@app.command("correct")
def correct_command(
    ctx: typer.Context,
    participant: Annotated[str, typer.Option("--participant", help="The participant's source key.")],
    email: Annotated[str | None, typer.Option("--email", help="This participant's email address.")] = None,
    not_a_person: Annotated[
        bool, typer.Option("--not-a-person", help="This participant is a room, bot or line.")
    ] = False,
    by: Annotated[str, typer.Option("--by", help="Who makes the correction.", envvar="USER")] = "cli",
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the correction).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the corrected mapping as JSON.")] = False,
) -> None:
    """Correct a mapping: applied at once, never overwritten by automatic resolution, and taught."""
    with Mapper.open(state(ctx).settings()) as mapper:
        row = mapper.correct(participant, email=email, not_a_person=not_a_person, by=by, note=note)
    if as_json:
        typer.echo(json.dumps(row.to_json(), indent=2))
    else:
        print_rows([row], Console())
